"""What a shopper may put in a storefront address: checked, or a 400 that says what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.catalog.limits import URL_SLUG as SLUG
from chalicelib.catalog.model import CATEGORY_BY_CODE, GRADE_BY_CODE, SORTS, Category
from chalicelib.catalog.search.query import SearchQuery, plan_query
from chalicelib.i18n import N_
from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money, minor_digits
from chalicelib.web.errors import BadRequest, NotFound
from chalicelib.web.http import Request

# Spellings of sort orders that old links and bookmarks carry; any other unknown order is the
# default one, since an order never changes which products a page shows.
LEGACY_SORTS = {
    "price_asc": "price-asc",
    "price_desc": "price-desc",
    "priceasc": "price-asc",
    "pricedesc": "price-desc",
    "price": "price-asc",
    "popularity": "popular",
    "relevance": "popular",
}
_WHOLE = re.compile(r"^[0-9]{1,7}$")
_SMALL_WHOLE = re.compile(r"^[0-9]{1,6}$")


@dataclass(frozen=True)
class ListingQuery:
    """A listing's filters, sort and cursor, as checked from the query string."""

    brand: str | None
    grade: str | None
    sort: str
    price_min: int | None
    price_max: int | None
    cursor: str | None

    @property
    def indexable(self) -> bool:
        """A category, or a brand in it, is a landing page; other filters are views of it."""
        ranged = self.price_min is not None or self.price_max is not None
        return not (self.grade or ranged or self.cursor) and self.sort == "popular"

    def shown_filters(self, market: Market) -> dict[str, object]:
        """The filters as the page's form shows them: prices in whole major units."""

        def whole(amount: int | None) -> object:
            if amount is None:
                return None
            return Money(amount, market.currency).to_decimal().to_integral_value()

        return {
            "brand": self.brand,
            "grade": self.grade,
            "sort": self.sort if self.sort != "popular" else None,
            "min": whole(self.price_min),
            "max": whole(self.price_max),
        }


def category(code: str) -> Category:
    """The category of an address, or 404."""
    found = CATEGORY_BY_CODE.get(code)
    if found is None:
        raise NotFound()
    return found


def _price(request: Request, name: str, currency: str) -> int | None:
    raw = (request.arg(name) or "").strip()
    if not raw:
        return None
    if not _WHOLE.match(raw):
        raise BadRequest(N_("Prices must be whole numbers, like 150."))
    return int(raw) * 10 ** minor_digits(currency)


def listing_query(request: Request, market: Market) -> ListingQuery:
    """A listing's query string checked; 400 for a filter or sort that does not exist."""
    brand = request.arg("brand") or None
    if brand is not None and not SLUG.match(brand):
        raise BadRequest(N_("This brand filter is not valid."))
    grade = request.arg("grade") or None
    if grade is not None and grade not in GRADE_BY_CODE:
        raise BadRequest(N_("This condition filter is not valid."))
    sort = sort_order(request.arg("sort"))
    low = _price(request, "min", market.currency)
    high = _price(request, "max", market.currency)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return ListingQuery(brand, grade, sort, low, high, request.arg("cursor") or None)


def sort_order(raw: str | None) -> str:
    """A listing's sort order: a known one, a legacy spelling of one, else the default."""
    wanted = (raw or "").strip().lower()
    wanted = LEGACY_SORTS.get(wanted, wanted)
    return wanted if wanted in SORTS else "popular"


def small_int(request: Request, name: str) -> int | None:
    """A small whole number parameter, or None when absent or not one."""
    raw = request.arg(name) or ""
    return int(raw) if _SMALL_WHOLE.match(raw) else None


def search_terms(request: Request, market: Market) -> SearchQuery:
    """The search as typed, planned: any query is one (a long one is cut, never refused)."""
    return plan_query(request.arg("q") or "", market)
