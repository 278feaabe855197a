"""Prices, tax and listing titles on rendered pages, as each market's shoppers read them.

A small catalog with set prices: every market's product page, listing and home page are
compared, to the character, with what that market's shops write (docs/i18n.md).
"""

import html
import re

import boto3
import pytest

from chalicelib.catalog.model import CATEGORIES
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tests.catalog.test_importer import catalog, record
from tests.conftest import REGION, body, loaded_table, stage_client

NBSP, NNBSP = "\u00a0", "\u202f"
TAG = re.compile(r"<[^>]*>")
# The best offer of the test phone in Good, per currency, in minor units (yen have none).
PRICE = {"EUR": 40900, "GBP": 29900, "USD": 40900, "AUD": 44900, "SEK": 399000, "JPY": 39800}
# (main price, the tax line by the buy box): what each market's product page shows.
SHOWN = {
    "fr-fr": (f"409,00{NBSP}€", "TVA incluse"),
    "fr-be": (f"409,00{NBSP}€", "TVA incluse"),
    "nl-be": (f"€{NBSP}409,00", "Incl. btw"),
    "de-de": (f"409,00{NBSP}€", "Inkl. MwSt."),
    "de-at": (f"€{NBSP}409,00", "Inkl. MwSt."),
    "es-es": (f"409,00{NBSP}€", "IVA incluido"),
    "it-it": (f"409,00{NBSP}€", "IVA inclusa"),
    "nl-nl": (f"€{NBSP}409,00", "Incl. btw"),
    "pt-pt": (f"409,00{NBSP}€", "IVA incluído"),
    "en-gb": ("£299.00", "Including VAT"),
    "en-ie": ("€409.00", "Including VAT"),
    "fi-fi": (f"409,00{NBSP}€", "Hinta sisältää ALV:n"),
    "sv-se": (f"3{NBSP}990{NBSP}kr", "Inkl. moms"),
    "el-gr": (f"409,00{NBSP}€", "Η τιμή περιλαμβάνει ΦΠΑ"),
    "sk-sk": (f"409,00{NBSP}€", "Vrátane DPH"),
    "en-us": ("$409.00", "Plus sales tax at checkout"),
    "ja-jp": ("39,800円（税込）", None),  # 総額表示: beside each price instead
    "en-au": ("$449", "Including GST"),
}
# The smartphones listing's title, whole, as each language's translator wrote it.
LISTING_TITLE = {
    "fr-fr": "Smartphones reconditionnés",
    "fr-be": "Smartphones reconditionnés",
    "nl-be": "Refurbished smartphones",
    "de-de": "Generalüberholte Smartphones",
    "de-at": "Generalüberholte Smartphones",
    "es-es": "Móviles reacondicionados",
    "it-it": "Smartphone ricondizionati",
    "nl-nl": "Refurbished smartphones",
    "pt-pt": "Smartphones recondicionados",
    "en-gb": "Refurbished smartphones",
    "en-ie": "Refurbished smartphones",
    "fi-fi": "Kunnostetut älypuhelimet",
    "sv-se": "Rekonditionerade mobiler",
    "el-gr": "Ανακατασκευασμένα κινητά",
    "sk-sk": "Repasované smartfóny",
    "en-us": "Refurbished smartphones",
    "ja-jp": "整備済みスマートフォン",
    "en-au": "Refurbished smartphones",
}
# One offer left: a sentence of its own, not the plural message with 1 in it.
LAST_ONE = {
    "fr-fr": "Plus qu'un seul à ce prix",
    "de-de": "Nur noch ein Exemplar zu diesem Preis",
    "es-es": "Solo queda una unidad a este precio",
    "sv-se": "Bara en kvar till det här priset",
    "ja-jp": "この価格では残り1点",
    "en-us": "Only one left at this price",
}


def phone(pid, popularity, cents=0):
    """A phone sold in every market at the set prices; its Excellent offer costs ``cents`` more."""
    raw = record(pid, popularity=popularity)
    for code, entry in raw["markets"].items():
        market = MARKETS[code]
        good, excellent = entry["offers"]
        good.update(price=PRICE[market.currency], stock=1)
        excellent.update(price=PRICE[market.currency] + 1000 + cents, stock=7)
        for offer in entry["offers"]:
            offer["warranty_months"] = market.warranty_months
        entry["new_price"] = {"128": PRICE[market.currency] * 2}
    return raw


@pytest.fixture(scope="module")
def priced_table(moto_dynamodb):
    data = catalog(phone("apple-iphone-13", 90), phone("apple-iphone-12", 80, 50))
    table = loaded_table(moto_dynamodb, "storefront-prices", data)
    yield table
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=table.name)


@pytest.fixture(scope="module")
def http(priced_table):
    with stage_client(priced_table) as client:
        yield client


def page_of(http, path):
    response = http.http.get(path)
    assert response.status_code == 200, path
    return html.unescape(body(response))


def texts(pattern, page):
    return [TAG.sub("", found).strip() for found in re.findall(pattern, page, re.S)]


def test_every_market_has_its_expected_strings():
    assert sorted(SHOWN) == sorted(LISTING_TITLE) == sorted(MARKETS)


@pytest.mark.parametrize("code", list(MARKETS))
def test_the_product_page_shows_the_price_and_tax_as_the_market_writes_them(http, code):
    page = page_of(http, f"/{code}/p/apple-iphone-13?grade=good")
    price, tax = SHOWN[code]
    assert texts(r'<div class="price">(.*?)</div>', page) == [price]
    assert texts(r'<p class="tax">(.*?)</p>', page) == ([tax] if tax else [])
    if code == "ja-jp":  # every price of the page says 税込, once each
        assert page.count("（税込）") == page.count("円") - page.count("円お得") > 3
    else:
        assert "（税込）" not in page


@pytest.mark.parametrize("code", list(MARKETS))
def test_the_listing_reads_as_one_title_and_prices_as_the_shops_write_them(http, code):
    page = page_of(http, f"/{code}/l/smartphones?sort=price-asc")
    title = LISTING_TITLE[code]
    assert texts(r"<h1>(.*?)</h1>", page) == [title]
    assert f"<title>{title} · " in page
    category = next(c for c in CATEGORIES if c.code == "smartphones")
    described = translations_for(MARKETS[code].translation_chain).gettext(
        category.listing_description
    )
    assert f'<meta name="description" content="{described}">' in page
    if MARKETS[code].language != "en":
        assert described != category.listing_description
    cards = texts(r'<span class="price">(.*?)</span>', page)
    assert cards == [SHOWN[code][0]] * 2  # both phones' best offer, in Good


@pytest.mark.parametrize("code", list(MARKETS))
def test_the_home_page_states_tax_only_where_the_law_wants_it_by_each_price(http, code):
    page = page_of(http, f"/{code}/")
    cards = texts(r'<span class="price">(.*?)</span>', page)
    assert cards and set(cards) == {SHOWN[code][0]}
    assert ("（税込）" in page) == (code == "ja-jp")


@pytest.mark.parametrize("code", list(LAST_ONE))
def test_one_left_is_said_in_words(http, code):
    page = page_of(http, f"/{code}/p/apple-iphone-13?grade=good")
    assert LAST_ONE[code] in page
    assert "Plus que 1 " not in page


# Sweden writes whole kronor without decimals, but prices shown together keep them alike.
ALIGNED = {
    "sv-se": (f"3{NBSP}990,00{NBSP}kr", f"4{NBSP}000,50{NBSP}kr"),
    "en-au": ("$449.00", "$459.50"),
    "fr-fr": (f"409,00{NBSP}€", f"419,50{NBSP}€"),
    "ja-jp": ("39,800円（税込）", "40,850円（税込）"),
}


@pytest.mark.parametrize("code", list(ALIGNED))
def test_prices_on_one_page_keep_their_decimals_alike(http, code):
    page = page_of(http, f"/{code}/p/apple-iphone-12?grade=good")
    picks = texts(r'<a class="pick"[^>]*><strong>[^<]*</strong><span>(.*?)</span>', page)
    assert picks == list(ALIGNED[code])
    assert texts(r'<div class="price">(.*?)</div>', page) == [ALIGNED[code][0]]
