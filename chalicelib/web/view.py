"""Turning what a page found into a response: layout, translations, formats and links."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from typing import Any

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.names import country_name, market_name, market_offer
from chalicelib.i18n.negotiation import LANGUAGE_HOMES, choose_market
from chalicelib.i18n.provider import TranslationProvider
from chalicelib.kernel.markets import DEFAULT_MARKET, MARKETS, Market
from chalicelib.kernel.settings import Settings
from chalicelib.web.errors import HttpError
from chalicelib.web.http import Request, Response
from chalicelib.web.links import Links, Seo
from chalicelib.web.render import Renderer

RETRY_AFTER_SECONDS = 30


class View:
    """What every page of every package renders through."""

    def __init__(
        self,
        renderer: Renderer,
        translations: TranslationProvider,
        settings: Callable[[], Settings] = Settings.from_env,
    ) -> None:
        self.renderer = renderer
        self.translations = translations
        self.settings = settings

    def links(self, request: Request, market: Market | None) -> Links:
        """The links of this request, in a market or none."""
        return Links(request, market, self.settings())

    def translations_of(self, market: Market) -> gettext.NullTranslations:
        """What the market's pages say, as the provider has it now."""
        return self.translations.for_market(market)

    def offer(self, code: str) -> str:
        """An invitation to a market's shop, in that market's language."""
        market = MARKETS[code]
        return market_offer(code, self.translations_of(market))

    def context(
        self, request: Request, market: Market, links: Links | None = None, **context: Any
    ) -> dict[str, Any]:
        """Everything a template sees besides the page's own data."""
        return {
            "market": market,
            "fmt": Formatter(market),
            "links": links or self.links(request, market),
            "markets": MARKETS,
            "market_name": market_name,
            "country_name": country_name,
            "market_offer": self.offer,
            "language_homes": LANGUAGE_HOMES,
            "request": request,
            "seo": context.pop("seo", None) or Seo(),
            **context,
        }

    def render(self, template: str, request: Request, market: Market, **context: Any) -> str:
        """A template rendered for a market, in its language and formats."""
        return self.renderer.render(
            template, self.translations_of(market), self.context(request, market, **context)
        )

    def page(
        self, template: str, request: Request, market: Market, status: int = 200, **context: Any
    ) -> Response:
        """An HTML response in the market's language."""
        return html(status, self.render(template, request, market, **context), market)

    def error(self, request: Request, market: Market, error: HttpError) -> Response:
        """An error as a page in the market's language, with its status."""
        response = self.page("error.html", request, market, error.status, error=error)
        if error.status == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def visitor_market(self, request: Request) -> Market:
        """The market whose language a page outside any market speaks to this visitor."""
        return self.chosen_market(request) or MARKETS[DEFAULT_MARKET]

    @staticmethod
    def chosen_market(request: Request) -> Market | None:
        """The market the visitor's headers point to, or None."""
        return choose_market(
            request.header("accept-language"), request.header("cloudfront-viewer-country")
        )


def html(status: int, body: str, market: Market) -> Response:
    """An HTML response in a market's language."""
    return Response(
        status,
        body,
        {"Content-Type": "text/html; charset=utf-8", "Content-Language": market.html_lang},
    )
