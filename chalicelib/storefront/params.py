"""What a shopper may put in a storefront address: checked, or a 400 that says what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.catalog.limits import URL_SLUG as SLUG
from chalicelib.catalog.model import CATEGORY_BY_CODE, GRADE_BY_CODE, SORTS, Category
from chalicelib.catalog.text import tokens
from chalicelib.i18n import N_
from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money, minor_digits
from chalicelib.web.errors import BadRequest, NotFound
from chalicelib.web.http import Request

MAX_QUERY_LENGTH = 100
MAX_SEARCH_TERMS = 6
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
    sort = request.arg("sort") or "popular"
    if sort not in SORTS:
        raise BadRequest(N_("This sort order is not valid."))
    low = _price(request, "min", market.currency)
    high = _price(request, "max", market.currency)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return ListingQuery(brand, grade, sort, low, high, request.arg("cursor") or None)


def small_int(request: Request, name: str) -> int | None:
    """A small whole number parameter, or None when absent or not one."""
    raw = request.arg(name) or ""
    return int(raw) if _SMALL_WHOLE.match(raw) else None


def search_terms(request: Request) -> tuple[str, list[str]]:
    """The search as typed and its terms; 400 when it is too long to be a search."""
    query = (request.arg("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(N_("This search is too long. Try fewer words."))
    return query, tokens(query)[:MAX_SEARCH_TERMS]
