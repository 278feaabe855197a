"""A storefront page with the market's drafts applied, for the signed-in editor only.

The page is rendered by the storefront's own page functions through a view whose provider
holds the drafts; its links stay inside the preview, and a banner says what it is.
"""

from __future__ import annotations

import gettext
from typing import Any

from markupsafe import Markup

from chalicelib.i18n.provider import ShippedTranslations
from chalicelib.i18n.published import OverrideTranslations
from chalicelib.kernel.markets import Market
from chalicelib.web.http import Request, with_query
from chalicelib.web.links import NOINDEX, Links
from chalicelib.web.view import View


class PreviewLinks(Links):
    """Links of a previewed page: the market's pages open in the preview too."""

    def __init__(self, request: Request, market: Market | None, settings: Any, previewed: str):
        super().__init__(request, market, settings)
        self.previewed = previewed

    def path(self, path: str, /, **params: Any) -> str:
        """The preview of a page of the previewed market, any other path as it is."""
        if path == f"/{self.previewed}" or path.startswith(f"/{self.previewed}/"):
            return with_query(
                f"{self.prefix}/admin/{self.previewed}/preview", {"path": path, **params}
            )
        return super().path(path, **params)


class DraftTranslations:
    """A provider for one market: its published overrides and drafts over the catalogs."""

    def __init__(self, live: View, market: Market, messages: dict[str, tuple[str, ...]]):
        self.live = live
        self.market = market
        self.messages = messages

    def for_market(self, market: Market) -> gettext.NullTranslations:
        """The drafts for the previewed market; other markets as their pages say now."""
        if market.code != self.market.code:
            return self.live.translations_of(market)
        return OverrideTranslations(self.messages, ShippedTranslations().for_market(market))


class PreviewView(View):
    """The storefront's view, with drafts, preview links, noindex and a banner."""

    def __init__(self, live: View, market: Market, messages: dict, banner: Markup) -> None:
        super().__init__(live.renderer, DraftTranslations(live, market, messages), live.settings)
        self.previewed = market.code
        self.banner = banner

    def links(self, request: Request, market: Market | None) -> Links:
        """Links that keep the editor inside the preview."""
        return PreviewLinks(request, market, self.settings(), self.previewed)

    def context(self, request: Request, market: Market, links: Links | None = None, **context: Any):
        """The page's context with the banner, never indexed."""
        context["seo"] = NOINDEX
        full = super().context(request, market, links, **context)
        full["preview_banner"] = self.banner
        return full
