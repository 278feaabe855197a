"""What crawlers read: robots.txt, the sitemap index and one sitemap per market."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.catalog import failures
from chalicelib.catalog.model import CATEGORY_BY_CODE
from chalicelib.catalog.repository import CatalogRepository, CatalogUnavailable
from chalicelib.kernel.markets import MARKETS
from chalicelib.storefront.legal import page_slugs
from chalicelib.web.http import Request, Response
from chalicelib.web.view import RETRY_AFTER_SECONDS, View

XML = {"Content-Type": "application/xml"}


class Sitemaps:
    """robots.txt and sitemaps, for every market in one stage."""

    def __init__(self, view: View, catalog: Callable[[], CatalogRepository]) -> None:
        self.view = view
        self.catalog = catalog

    def robots(self, request: Request) -> Response:
        """``/robots.txt``: crawl everything but search results; point to the sitemaps."""
        links = self.view.links(request, None)
        body = (
            "User-agent: *\n"
            f"Disallow: {links.path('/')}*/search\n"
            f"Sitemap: {links.absolute('/sitemap.xml')}\n"
        )
        return Response(200, body, {"Content-Type": "text/plain"})

    def index(self, request: Request) -> Response:
        """``/sitemap.xml``: one sitemap per market."""
        links = self.view.links(request, None)
        body = self.view.renderer.render_xml(
            "storefront/sitemap_index.xml", links=links, markets=MARKETS
        )
        return Response(200, body, dict(XML))

    def market(self, request: Request, code: str) -> Response:
        """``/{market}/sitemap.xml``: home, categories, products, legal pages; with alternates."""
        market = MARKETS.get(code)
        if market is None:
            return Response(404, "", dict(XML))
        try:
            products = self.catalog().sitemap(market.code)
        except CatalogUnavailable as error:
            failures.report(error)  # logged like a page's failure; crawlers only need the status
            return Response(503, "", {**XML, "Retry-After": str(RETRY_AFTER_SECONDS)})
        body = self.view.renderer.render_xml(
            "storefront/sitemap.xml",
            links=self.view.links(request, market),
            market=market,
            markets=MARKETS,
            categories=CATEGORY_BY_CODE,
            products=products,
            legal_pages=page_slugs(market.code),
        )
        return Response(200, body, dict(XML))
