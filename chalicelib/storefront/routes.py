"""The storefront's routes: catalog pages, public and cacheable by path; ``/`` negotiated."""

from __future__ import annotations

import re
from collections.abc import Callable

from chalice import Blueprint

from chalicelib.catalog.failures import as_http_error
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.storefront.entry import Entry
from chalicelib.storefront.legal import LegalPages
from chalicelib.storefront.pages import StorefrontPages
from chalicelib.storefront.site_files import SiteFiles
from chalicelib.storefront.sitemaps import Sitemaps
from chalicelib.web.caching import NEGOTIATED, PUBLIC_CATALOG, STATIC_FILE
from chalicelib.web.guard import MarketGuard
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from chalicelib.web.security import shop_headers
from chalicelib.web.view import View


def blueprint(view: View, catalog: Callable[[], CatalogRepository]) -> Blueprint:
    """Every storefront route, reading the catalog through ``catalog``."""
    entry = Entry(view)
    pages = StorefrontPages(view, catalog)
    sitemaps = Sitemaps(view, catalog)
    files = SiteFiles(view)
    guard = MarketGuard(view, translators=[as_http_error], unknown_market=entry.unknown_market)

    routes = Routes("storefront", guard.fallback, shop_headers(), every_method=True)
    home, listing, show_product = guard(pages.home), guard(pages.listing), guard(pages.product)
    search, not_found = guard(pages.search), guard(pages.not_found)
    manifest = guard(files.market_manifest)
    legal_page = guard(LegalPages(view).page)

    @routes.route("/", NEGOTIATED)
    def root(request: Request) -> Response:
        return entry.root(request)

    @routes.route("/robots.txt", PUBLIC_CATALOG)
    def robots(request: Request) -> Response:
        return sitemaps.robots(request)

    @routes.route("/sitemap.xml", PUBLIC_CATALOG)
    def sitemap_index(request: Request) -> Response:
        return sitemaps.index(request)

    @routes.route("/{market}/sitemap.xml", PUBLIC_CATALOG)
    def market_sitemap(request: Request, market: str) -> Response:
        return sitemaps.market(request, market)

    @routes.route("/favicon.svg", STATIC_FILE)
    def favicon_svg(request: Request) -> Response:
        return files.favicon_svg(request)

    @routes.route("/favicon.ico", STATIC_FILE)
    def favicon_ico(request: Request) -> Response:
        return files.favicon_ico(request)

    @routes.route("/manifest.webmanifest", STATIC_FILE)
    def site_manifest(request: Request) -> Response:
        return files.site_manifest(request)

    @routes.route("/{market}/manifest.webmanifest", STATIC_FILE)
    def market_manifest(request: Request, market: str) -> Response:
        return manifest(request, market)

    @routes.route("/{market}", PUBLIC_CATALOG)
    def market_home(request: Request, market: str) -> Response:
        return home(request, market)

    @routes.route("/{market}/l/{category}", PUBLIC_CATALOG)
    def category_listing(request: Request, market: str, category: str) -> Response:
        return listing(request, market, category)

    @routes.route("/{market}/p/{product}", PUBLIC_CATALOG)
    def product_page(request: Request, market: str, product: str) -> Response:
        return show_product(request, market, product)

    @routes.route("/{market}/search", PUBLIC_CATALOG)
    def search_page(request: Request, market: str) -> Response:
        return search(request, market)

    @routes.route("/{market}/legal/{page}", PUBLIC_CATALOG)
    def legal(request: Request, market: str, page: str) -> Response:
        return legal_page(request, market, page)

    # Any other path, however deep, is the 404 page of the market its first segment names:
    # greedy {proxy+} routes below every route (web/route_tree.py). No route may add a
    # variable beside {market}'s static children ("/{market}/{page}"): API Gateway refuses
    # two variables side by side, and the greedy one is already there.
    def unknown_page(request: Request, **_: str) -> Response:
        return not_found(request, request.path.split("/")[1])

    routes.complete(unknown_page, PUBLIC_CATALOG)
    return routes.blueprint


def page_for(view: View, catalog: Callable[[], CatalogRepository]) -> Callable[[Request], Response]:
    """The storefront page of any path under a market, rendered through ``view`` (previews)."""
    pages = StorefrontPages(view, catalog)
    guard = MarketGuard(view, translators=[as_http_error])
    handlers = (
        (re.compile(r"^/([^/]+)/?$"), guard(pages.home)),
        (re.compile(r"^/([^/]+)/l/([^/]+)$"), guard(pages.listing)),
        (re.compile(r"^/([^/]+)/p/([^/]+)$"), guard(pages.product)),
        (re.compile(r"^/([^/]+)/search$"), guard(pages.search)),
        (re.compile(r"^/([^/]+)/legal/([^/]+)$"), guard(LegalPages(view).page)),
    )
    not_found = guard(pages.not_found)

    def page(request: Request) -> Response:
        for pattern, handler in handlers:
            found = pattern.match(request.path)
            if found:
                return handler(request, *found.groups())
        return not_found(request, request.path.split("/")[1])

    return page
