"""Every page type a shopper can reach, at its hardest in each market, for the page-wide tests.

The browser layout test, the HTML validity test and the accessibility test all walk this
list. To add a page type, add one line to PAGE_TYPES: its name, its path in a market (built
from the market's Targets) and the status it must answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from chalicelib.catalog.model import CATEGORIES
from chalicelib.catalog.offers import select_offer
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tests.conftest import body, stage_client


@dataclass(frozen=True)
class Targets:
    """The addresses in one market that show each page type at its hardest."""

    code: str
    longest_category: str
    filters: str
    product_with_others: str
    sold_out: str


class PageType(NamedTuple):
    """A kind of page: how to reach it in a market and the status it answers."""

    name: str
    path: Callable[[Targets], str]
    status: int = 200


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", lambda t: f"/{t.code}/"),
    PageType("listing", lambda t: f"/{t.code}/l/{t.longest_category}"),
    PageType("listing-filtered", lambda t: f"/{t.code}/l/{t.longest_category}?{t.filters}"),
    PageType("product-others", lambda t: f"/{t.code}/p/{t.product_with_others}"),
    PageType("product-sold-out", lambda t: f"/{t.code}/p/{t.sold_out}"),
    PageType("search", lambda t: f"/{t.code}/search?q=apple"),
    PageType("search-none", lambda t: f"/{t.code}/search?q=zzyzx+qwv"),
    PageType("not-found", lambda t: f"/{t.code}/p/no-such-product", 404),
    PageType("picker", lambda t: "/?choose=1"),
    PageType("bad-request", lambda t: f"/{t.code}/l/{t.longest_category}?min=abc", 400),
    PageType("legal-notice", lambda t: f"/{t.code}/legal/notice"),
    PageType("legal-warranty", lambda t: f"/{t.code}/legal/warranty"),
    # Japan's 特定商取引法に基づく表記 stands in for the terms there: a table of long rows.
    PageType(
        "legal-terms",
        lambda t: f"/{t.code}/legal/{'tokushoho' if t.code == 'ja-jp' else 'terms'}",
    ),
)


def category_name(code: str, label: str) -> str:
    """A category's name as the market's shoppers read it."""
    return translations_for(MARKETS[code].translation_chain).gettext(label)


def market_targets(
    table: Any, catalog: dict, codes: Iterable[str] = tuple(MARKETS)
) -> dict[str, Targets]:
    """Per market: its longest category name, a product with other offers, a sold-out variant."""
    repository = CatalogRepository(table)
    found = {}
    for code in codes:
        category = max(CATEGORIES, key=lambda c: len(category_name(code, c.label))).code
        brand = next(p["brand"] for p in catalog["products"] if p["category"] == category)
        with_others = sold_out = None
        for product in catalog["products"]:
            if with_others and sold_out:
                break
            item = repository.product(code, product["id"])
            if item is None:
                continue
            if with_others is None and select_offer(item, None, None, None).others:
                with_others = item.id
            for storage in item.storage_gb:
                for color in item.colors:
                    if sold_out is None and select_offer(item, storage, color, None).best is None:
                        sold_out = f"{item.id}?storage={storage}&color={color}"
        assert with_others and sold_out, code
        filters = f"brand={brand.lower()}&grade=good&min=1&max=100000&sort=price-desc"
        found[code] = Targets(code, category, filters, with_others, sold_out)
    return found


def rendered_pages(
    table: Any, catalog: dict, codes: Iterable[str]
) -> Iterator[tuple[str, PageType, str, str]]:
    """Every page type of each market as its shoppers get it: market, type, path and HTML."""
    targets = market_targets(table, catalog)
    with stage_client(table) as client:
        for code in codes:
            for kind in PAGE_TYPES:
                path = kind.path(targets[code])
                language = {"Accept-Language": MARKETS[code].html_lang}
                response = client.http.get(path, headers=language)
                assert response.status_code == kind.status, path
                yield code, kind, path, body(response)
