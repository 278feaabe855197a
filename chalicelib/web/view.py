"""Turning what a page found into a response: layout, translations, formats and links."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from typing import Any

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.names import built_offer, country_name, market_name, market_offer
from chalicelib.i18n.negotiation import LANGUAGE_HOMES, choose_market, parse_accept_language
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
        """An invitation to a market's shop, in that market's language.

        A market this stage serves says it with its live wording; another stage's market, as
        the package was built (its wording lives in its own stage's table).
        """
        if code not in self.settings().served_markets:
            known = built_offer(code)
            if known is not None:
                return known
        return market_offer(code, self.translations_of(MARKETS[code]))

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
        """An error as a page in the market's language (or its stand-in's), with its status."""
        market = self.stand_in(market)
        response = self.page("error.html", request, market, error.status, error=error)
        if error.status == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def visitor_market(self, request: Request) -> Market:
        """The market of this stage whose language a page outside any market speaks.

        The visitor's own market if the stage serves it, else the stage's market in the first
        of the visitor's languages it has, else its English one: a stage renders only its own
        markets (a package holds no other market's data).
        """
        chosen = self.chosen_market(request)
        if chosen is not None and chosen.code in self.settings().served_markets:
            return chosen
        languages = parse_accept_language(request.header("accept-language") or "")
        for language, _ in languages:
            found = self._served_in(language)
            if found is not None:
                return found
        return self.stand_in(chosen) if chosen else self.stand_in(MARKETS[DEFAULT_MARKET])

    def stand_in(self, market: Market) -> Market:
        """The market itself if this stage serves it, else the stage's market that speaks for it.

        That is one in the same language, else the stage's English market. It depends on the
        address alone, so a page of another stage's market stays cacheable.
        """
        served = self.settings().served_markets
        if market.code in served:
            return market
        for language in (market.language, "en"):
            found = self._served_in(language)
            if found is not None:
                return found
        return next(m for m in MARKETS.values() if m.code in served)

    def _served_in(self, language: str) -> Market | None:
        served = self.settings().served_markets
        home = LANGUAGE_HOMES.get(language)
        if home in served:
            return MARKETS[home]
        return next(
            (m for m in MARKETS.values() if m.language == language and m.code in served), None
        )

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
