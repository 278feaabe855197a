"""Choosing an offer on a product page: the best one first, why, and a form for each offer.

A small catalog sets up one tie of each kind in every market: the page must show the offer
the shopper is best served by, say why in the market's language and formats, and give each
offer a form whose hidden fields name that offer and nothing else (never its price).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import boto3
import pytest

from chalicelib.catalog.model import CATEGORIES
from chalicelib.catalog.offers import select_offer
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tests.catalog.test_importer import catalog, record
from tests.conftest import REGION, body, loaded_table, stage_client

PRICE = 34900
RATING = {"shop-a": 4.5, "shop-b": 4.8}  # as tests/catalog/test_importer.py's catalog rates them
NAMES = {"shop-a": "Shop A", "shop-b": "Shop B"}
FIELDS = ["product", "storage", "color", "grade", "refurbisher", "quantity"]
WARRANTY = (
    "Same price as another offer: chosen for its longer warranty (%(n)s month)",
    "Same price as another offer: chosen for its longer warranty (%(n)s months)",
)
BATTERY = "Same price as another offer: chosen for its battery health (%(health)s)"
RATING_LINE = "Same price as another offer: chosen for the seller's rating (%(rating)s/5)"
CHEAPEST = "Lowest price in this condition"
# Per product: its offers in Good as (shop, price above PRICE, months above the market's
# legal warranty, battery), and the shop the page must show first. Shop B is rated higher,
# so each tie that Shop A wins is won on the rule under test alone.
PHONES = {
    "apple-iphone-13": ([("shop-b", 0, 0, 95), ("shop-a", 0, 12, 88)], "shop-a"),  # warranty
    "apple-iphone-12": ([("shop-b", 0, 0, 88), ("shop-a", 0, 0, 95)], "shop-a"),  # battery
    "apple-iphone-11": ([("shop-a", 0, 0, 90), ("shop-b", 0, 0, 90)], "shop-b"),  # rating
    "apple-iphone-14": ([("shop-b", 100, 12, 99), ("shop-a", 0, 0, 80)], "shop-a"),  # cheapest
    "apple-iphone-15": ([("shop-b", 0, 0, 90)], "shop-b"),  # the only offer
}


def phone(pid: str, offers: list[tuple[str, int, int, int]]) -> dict:
    """A phone in every market with these offers in Good at 128 GB; 256 GB is sold out."""
    raw = record(pid)
    raw["storage_gb"] = [128, 256]
    for code, entry in raw["markets"].items():
        legal = MARKETS[code].warranty_months
        entry["new_price"] = {"128": 80900, "256": 90900}
        entry["offers"] = [
            {
                "refurbisher": shop,
                "storage_gb": 128,
                "color": "black",
                "grade": "good",
                "price": PRICE + extra,
                "stock": 5,
                "warranty_months": legal + months,
                "battery_health": battery,
            }
            for shop, extra, months, battery in offers
        ]
    return raw


@pytest.fixture(scope="module")
def http(moto_dynamodb):
    data = catalog(*(phone(pid, offers) for pid, (offers, _) in PHONES.items()))
    table = loaded_table(moto_dynamodb, "storefront-offer-choice", data)
    with stage_client(table) as client:
        yield client
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=table.name)


class Forms(HTMLParser):
    """The forms of a page: action, method, hidden fields and the text of each button."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._button: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method"), "fields": []})
            self.forms[-1]["buttons"] = []
        elif tag == "input" and self.forms:
            self.forms[-1]["fields"].append((a.get("type"), a.get("name"), a.get("value")))
        elif tag == "button" and self.forms:
            self._button = []
            self.forms[-1]["buttons"].append({"type": a.get("type"), "text": self._button})

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button.append(data)


def cart_forms(page: str, code: str) -> list[dict]:
    return [f for f in Forms(page).forms if f["action"] == f"/{code}/cart/add"]


def why_line(page: str) -> list[str]:
    return [re.sub(r"<[^>]*>", "", t) for t in re.findall(r'<p class="why">(.*?)</p>', page)]


def expected_reason(code: str, pid: str) -> str | None:
    """The reason line as the market's catalog words it, with the market's number formats."""
    market, fmt = MARKETS[code], Formatter(MARKETS[code])
    t = translations_for(market.translation_chain)
    months = market.warranty_months + 12
    return {
        "apple-iphone-13": t.ngettext(*WARRANTY, months) % {"n": fmt.number(months)},
        "apple-iphone-12": t.gettext(BATTERY) % {"health": fmt.percent(0.95)},
        "apple-iphone-11": t.gettext(RATING_LINE) % {"rating": fmt.decimal1(RATING["shop-b"])},
        "apple-iphone-14": t.gettext(CHEAPEST),
        "apple-iphone-15": None,
    }[pid]


def page_of(http, path: str) -> str:
    response = http.http.get(path)
    assert response.status_code == 200, path
    return html.unescape(body(response))


@pytest.mark.parametrize("code", list(MARKETS))
@pytest.mark.parametrize("pid", list(PHONES))
def test_the_page_says_why_its_first_offer_was_chosen(http, code, pid):
    page = page_of(http, f"/{code}/p/{pid}")
    reason = expected_reason(code, pid)
    assert why_line(page) == ([reason] if reason else [])


# The figures of the reason line as each market writes them, written out by hand.
FIGURES = {
    ("fr-fr", "apple-iphone-11"): "(4,8/5)",
    ("en-us", "apple-iphone-11"): "(4.8/5)",
    ("fr-fr", "apple-iphone-12"): "(95\u00a0%)",  # as the pages write "-35 %"
    ("en-us", "apple-iphone-12"): "(95%)",
    ("en-us", "apple-iphone-13"): "(24 months)",
    ("sv-se", "apple-iphone-13"): "(48 ",
    ("el-gr", "apple-iphone-11"): "(4,8/5)",
}


@pytest.mark.parametrize(("code", "pid"), list(FIGURES))
def test_the_reason_line_writes_its_figures_in_the_market_format(http, code, pid):
    (line,) = why_line(page_of(http, f"/{code}/p/{pid}"))
    assert FIGURES[code, pid] in line


def test_in_english_the_reason_reads_as_a_sentence(http):
    page = page_of(http, "/en-us/p/apple-iphone-13")
    assert why_line(page) == [
        "Same price as another offer: chosen for its longer warranty (24 months)"
    ]
    assert why_line(page_of(http, "/en-gb/p/apple-iphone-14")) == [CHEAPEST]


@pytest.mark.parametrize("code", list(MARKETS))
@pytest.mark.parametrize("pid", list(PHONES))
def test_each_offer_has_a_form_naming_that_offer(http, code, pid):
    page = page_of(http, f"/{code}/p/{pid}")
    forms = cart_forms(page, code)
    offers, winner = PHONES[pid]
    others = [shop for shop, *_ in sorted(offers, key=lambda o: o[0] != winner)][1:]
    assert [f["fields"][4][2] for f in forms] == [winner, *others]
    for form in forms:
        assert form["method"] == "post"
        assert [name for _, name, _ in form["fields"]] == FIELDS
        assert {kind for kind, _, _ in form["fields"]} == {"hidden"}
        values = dict((name, value) for _, name, value in form["fields"])
        assert values == {
            "product": pid,
            "storage": "128",
            "color": "black",
            "grade": "good",
            "refurbisher": values["refurbisher"],
            "quantity": "1",
        }
        assert [b["type"] for b in form["buttons"]] == ["submit"]
    # Each other offer's button says which offer it adds; the main one needs no more words.
    for form, shop in zip(forms[1:], others, strict=True):
        assert NAMES[shop] in "".join(form["buttons"][0]["text"])


@pytest.mark.parametrize("code", ["fr-fr", "ja-jp", "en-us", "nl-be"])
def test_a_sold_out_variant_has_nothing_to_add(http, code):
    page = page_of(http, f"/{code}/p/apple-iphone-13?storage=256")
    assert cart_forms(page, code) == []
    assert why_line(page) == []
    sold_out = translations_for(MARKETS[code].translation_chain).gettext("Sold out")
    assert f'<p class="price">{sold_out}</p>' in page


@pytest.mark.parametrize("code", list(MARKETS))
def test_the_product_page_stays_public_with_its_forms(http, code):
    response = http.http.get(f"/{code}/p/apple-iphone-13")
    assert cart_forms(body(response), code)
    cache = response.headers["Cache-Control"]
    assert cache.startswith("public") and "s-maxage=" in cache
    assert "Set-Cookie" not in response.headers and "Vary" not in response.headers
    etag = response.headers["ETag"]
    assert (
        http.http.get(f"/{code}/p/apple-iphone-13", headers={"If-None-Match": etag}).status_code
        == 304
    )
    assert "csrf" not in body(response).lower()


@pytest.mark.parametrize("code", list(MARKETS))
def test_a_card_and_the_page_it_opens_show_one_offer(shop_table, shop_catalog, code):
    """In the demo data, where offers often tie on price: the card's price, grade, new price
    and picture are those of the offer its product page shows first."""
    repository = CatalogRepository(shop_table)
    checked = 0
    for category in CATEGORIES:
        for entry in repository.listing(code, category.code).entries:
            product = repository.product(code, entry.product_id)
            best = select_offer(product, None, None, entry.grade).best
            new_price = product.new_prices[best.storage_gb]
            assert (entry.price, entry.grade, entry.new_price) == (
                best.price,
                best.grade,
                new_price,
            )
            if entry.image:
                shown = product.images[best.color][0]
                assert entry.image.key == shown.key, entry.product_id
            checked += 1
    assert checked >= len(CATEGORIES)
