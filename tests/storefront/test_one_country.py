"""Belgium, walked in both languages: fr-be and nl-be show the same offers, prices and stock.

Each page is reduced to what must not depend on the language: the numbers a shopper reads
(prices, stock, counts, percentages, dates, ratings) and the refurbishers' names, in page
order, with the product texts (which are in the page's language) taken out.
"""

import html
import json
import re

import pytest

from chalicelib.catalog.model import CATEGORIES, GRADES
from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests.conftest import DEMO_CATALOG, body

BELGIUM = ("fr-be", "nl-be")
TAG = re.compile(r"<[^>]*>")
NEXT = re.compile(r'<a class="btn" rel="next" href="([^"]+)"')
PICK = re.compile(r'<a class="pick" href="([^"]+)">')  # the grades not shown: no aria-current


def _shop_products() -> list[dict]:
    """The shop table's products (tests/conftest.py: the three most popular per category)."""
    products = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["products"]
    by_category: dict[str, list] = {}
    for product in sorted(products, key=lambda p: -p["popularity"]):
        by_category.setdefault(product["category"], []).append(product)
    return [p for ranked in by_category.values() for p in ranked[:3]]


PRODUCTS = {p["id"]: p for p in _shop_products()}


def texts_of(product: dict) -> set[str]:
    """The product's own texts in every language: they may hold digits of their own."""
    return {*product["title"].values(), *product["description"].values()}


def seen(page: str, names: list[str], texts: set[str]) -> list[str]:
    """What a shopper reads in the page's main part that no language may change."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    text = html.unescape(TAG.sub(" ", main))
    for own in sorted(texts, key=len, reverse=True):
        text = text.replace(own, " ")
    pattern = "|".join([r"\d+", *map(re.escape, sorted(names, key=len, reverse=True))])
    return re.findall(pattern, text)


@pytest.fixture(scope="module")
def names(shop_catalog):
    return [r["name"] for r in shop_catalog["refurbishers"]]


@pytest.fixture(scope="module")
def all_texts(shop_catalog):
    return set().union(*(texts_of(p) for p in shop_catalog["products"]))


def get(client, path: str) -> str:
    response = client.http.get(path)
    assert response.status_code == 200, path
    return body(response)


def walk(client, first: str) -> list[str]:
    """A page and every next page after it."""
    pages, path = [], first
    while path:
        page = get(client, path)
        pages.append(page)
        found = NEXT.search(page)
        path = html.unescape(found.group(1)) if found else None
    return pages


def test_the_home_pages_show_the_same_deals(client, names, all_texts):
    fr, nl = (seen(get(client, f"/{code}/"), names, all_texts) for code in BELGIUM)
    assert fr == nl
    assert len(fr) > 20


@pytest.mark.parametrize("category", [c.code for c in CATEGORIES])
@pytest.mark.parametrize("sort", ["popular", "price-asc"])
def test_every_listing_page_is_the_same(client, names, all_texts, category, sort):
    fr, nl = (walk(client, f"/{code}/l/{category}?sort={sort}") for code in BELGIUM)
    assert len(fr) == len(nl)
    for fr_page, nl_page in zip(fr, nl, strict=True):
        assert seen(fr_page, names, all_texts) == seen(nl_page, names, all_texts)


def variants(product: dict) -> list[tuple[int | None, str]]:
    return [
        (size, color) for size in product["storage_gb"] or [None] for color in product["colors"]
    ]


def variant_path(code: str, pid: str, size: int | None, color: str) -> str:
    storage = f"storage={size}&" if size else ""
    return f"/{code}/p/{pid}?{storage}color={color}"


@pytest.mark.parametrize("pid", list(PRODUCTS))
def test_every_grade_of_every_variant_has_one_price_and_stock(client, names, pid):
    product, texts = PRODUCTS[pid], texts_of(PRODUCTS[pid])
    followed = 0
    for size, color in variants(product):
        fr, nl = (get(client, variant_path(code, pid, size, color)) for code in BELGIUM)
        assert seen(fr, names, texts) == seen(nl, names, texts), (size, color)
        # each other grade's own page: its best offer, its stock, the other offers in it
        picks = [PICK.findall(page) for page in (fr, nl)]
        assert [p.replace("/fr-be/", "/") for p in picks[0]] == [
            p.replace("/nl-be/", "/") for p in picks[1]
        ]
        for fr_pick, nl_pick in zip(*picks, strict=True):
            fr_grade = get(client, html.unescape(fr_pick))
            nl_grade = get(client, html.unescape(nl_pick))
            assert seen(fr_grade, names, texts) == seen(nl_grade, names, texts), fr_pick
            followed += 1
    assert followed, "no variant offers a second grade: nothing was compared"


PICKS = re.compile(r'class="pick[^"]*"[^>]*><strong>(.*?)</strong><span>(.*?)</span>')


@pytest.mark.parametrize("code", BELGIUM)
def test_an_iphone_13_256_gb_blue_costs_the_same_in_both_languages(client, code):
    entry = PRODUCTS["apple-iphone-13"]["markets"][code]
    offers = [o for o in entry["offers"] if (o["storage_gb"], o["color"]) == (256, "blue")]
    translations = translations_for(MARKETS[code].translation_chain)
    expected = []
    for grade in GRADES:
        prices = [o["price"] for o in offers if o["grade"] == grade.code and o["stock"]]
        shown = Formatter(MARKETS[code]).price(Money(min(prices), "EUR")) if prices else None
        expected.append(
            (translations.gettext(grade.label), shown or translations.gettext("Sold out"))
        )
    page = get(client, f"/{code}/p/apple-iphone-13?storage=256&color=blue&grade=excellent")
    assert [(g, html.unescape(p)) for g, p in PICKS.findall(page)] == expected
    assert entry == PRODUCTS["apple-iphone-13"]["markets"]["nl-be"]
