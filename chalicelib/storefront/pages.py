"""The storefront's pages: one method per page, from checked request to rendered response."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.catalog.delivery import delivery_window, today_in
from chalicelib.catalog.model import CATEGORY_BY_CODE
from chalicelib.catalog.offers import select_offer
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n import N_
from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.storefront import params
from chalicelib.storefront.structured_data import product_data
from chalicelib.web.errors import NotFound, Unavailable
from chalicelib.web.http import Request, Response
from chalicelib.web.links import NOINDEX
from chalicelib.web.view import View


class StorefrontPages:
    """Home, listing, product and search pages of a market."""

    def __init__(self, view: View, catalog: Callable[[], CatalogRepository]) -> None:
        self.view = view
        self.catalog = catalog

    def home(self, request: Request, market: Market) -> Response:
        """A market's home page: categories, best deals and the market's promises."""
        data = self.catalog().home(market.code, market.currency)
        if data is None:
            raise Unavailable()
        links = self.view.links(request, market)
        seo = links.seo("/", MARKETS)
        return self.view.page(
            "storefront/home.html", request, market, home=data, seo=seo, links=links
        )

    def listing(self, request: Request, market: Market, category_code: str) -> Response:
        """A category listing with brand, grade and price filters, sort and pagination."""
        category = params.category(category_code)
        query = params.listing_query(request, market)
        page = self.catalog().listing(
            market.code,
            category.code,
            brand=query.brand,
            grade=query.grade,
            sort=query.sort,
            price_min=query.price_min,
            price_max=query.price_max,
            cursor=query.cursor,
        )
        links = self.view.links(request, market)
        seo = links.seo(f"/l/{category.code}", MARKETS, query.indexable, brand=query.brand)
        return self.view.page(
            "storefront/listing.html",
            request,
            market,
            category=category,
            page=page,
            filters=query.shown_filters(market),
            sort=query.sort,
            seo=seo,
            links=links,
        )

    def product(self, request: Request, market: Market, product_id: str) -> Response:
        """A product page: grades, variants, the best offer and the others, terms of the market."""
        if not params.SLUG.match(product_id):
            raise NotFound()
        item = self.catalog().product(market.code, product_id)
        if item is None:
            raise NotFound(N_("This product is not sold in this country, or no longer sold."))
        selection = select_offer(
            item,
            params.small_int(request, "storage"),
            request.arg("color"),
            request.arg("grade"),
        )
        links = self.view.links(request, market)
        seo = links.seo(f"/p/{item.id}", item.markets or (market.code,))
        return self.view.page(
            "storefront/product.html",
            request,
            market,
            product=item,
            selection=selection,
            delivery=delivery_window(today_in(market), market.delivery_days),
            category=CATEGORY_BY_CODE[item.category],
            seo=seo,
            structured_data=product_data(
                item,
                selection,
                seo.canonical,
                [links.media.absolute(p) for p in item.images.get(selection.color, ())],
            ),
            links=links,
        )

    def search(self, request: Request, market: Market) -> Response:
        """Search the market's catalog: its products' words, category words, one typo."""
        query = params.search_terms(request, market)
        page = None
        if query.text and not query.too_short:
            # Whatever was typed (punctuation, an emoji) the repository answers with a page.
            cursor = request.arg("cursor") or None
            page = self.catalog().search(market.code, query, cursor=cursor)
        return self.view.page(
            "storefront/search.html",
            request,
            market,
            query=query.text,
            page=page,
            too_short=query.too_short,
            seo=NOINDEX,
        )

    def not_found(self, request: Request, market: Market, *_: str) -> Response:
        """Any other address under a market: a 404 page in the market's language."""
        raise NotFound()
