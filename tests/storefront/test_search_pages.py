"""The search page as shoppers use it: everyday words, typos, odd input, one request a page."""

import copy
import html
import re
from urllib.parse import quote

import pytest

from chalicelib.catalog.repository import CatalogRepository
from chalicelib.catalog.search.query import typed_words
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tests.conftest import RequestCounter, body, loaded_table, stage_client

CODES = list(MARKETS)
PLACEHOLDER = "Search for a phone, a laptop, a brand…"
NOTHING = "Nothing matches this search. Check the spelling, or try a brand or a category."
PROMPT = "Type a model, a brand or a category, like “iPhone 13” or “Switch”."
PRODUCT_LINK = re.compile(r'<a class="card" href="[^"]*/p/([a-z0-9-]+)')
# The placeholder's words that suggest no product: the verb, articles, and "a brand" (a
# brand's name is what it asks for). Every other word of it must find its category.
NOT_SUGGESTIONS = {
    "en": "search for a brand",
    "fr": "rechercher un une marque",
    "nl": "zoek een merk",
    "de": "oder marke suchen",
    "es": "busca un una marca",
    "it": "cerca uno un una marca",
    "pt": "pesquise um uma marca",
    "fi": "hae merkkiä",
    "sv": "sök efter märke",
    "el": "αναζήτησε μάρκα",
    "sk": "hľadajte značku",
    "ja": "ブランドなどで検索",
}
# A product per category, and a Samsung phone with 128 GB in stock in every market.
SEARCHED = (
    "apple-iphone-13",
    "samsung-galaxy-s23",
    "apple-macbook-air-m1-2020",
    "apple-ipad-9th-gen",
    "apple-watch-se-2nd-gen",
    "sony-playstation-5",
    "sony-playstation-5-digital-edition",
    "apple-airpods-pro-2nd-gen",
)


def _(code, message):
    return translations_for(MARKETS[code].translation_chain).gettext(message)


@pytest.fixture(scope="module")
def search_catalog(demo_catalog):
    catalog = copy.deepcopy(demo_catalog)
    catalog["products"] = [p for p in catalog["products"] if p["id"] in SEARCHED]
    return catalog


@pytest.fixture(scope="module")
def search_table(moto_dynamodb, search_catalog):
    return loaded_table(moto_dynamodb, "storefront-search-pages", search_catalog)


@pytest.fixture(scope="module")
def shopper(search_table):
    with stage_client(search_table) as client:
        yield client


def found(shopper, code, query):
    """The products a search page shows, in order, and the page's text."""
    response = shopper.http.get(f"/{code}/search?q={quote(query)}")
    assert response.status_code == 200, (code, query)
    page = html.unescape(body(response))
    return PRODUCT_LINK.findall(body(response)), page


def category_of(catalog, ids):
    return {p["category"] for p in catalog["products"] if p["id"] in ids}


def in_stock(product, code):
    return [o for o in product["markets"][code]["offers"] if o["stock"] > 0]


EVERYDAY_WORDS = [
    ("fr-fr", "téléphone"),
    ("fr-fr", "téléphones"),
    ("fr-fr", "telephone portable"),
    ("fr-be", "gsm"),
    ("nl-be", "gsm"),
    ("nl-be", "GSM's"),
    ("pt-pt", "telemóvel"),
    ("pt-pt", "telemóveis"),
    ("de-de", "Handy"),
    ("de-at", "Handy"),
    ("de-de", "Handys"),
    ("en-us", "phone"),
    ("en-us", "cell phone"),
    ("en-us", "cellphones"),
    ("en-gb", "mobile"),
    ("en-gb", "mobile phones"),
    ("en-au", "mobile"),
    ("ja-jp", "スマホ"),
    ("ja-jp", "すまほ"),
    ("ja-jp", "携帯"),
    ("el-gr", "κινητό"),
    ("el-gr", "κινητά"),
    ("el-gr", "ΚΙΝΗΤΟ"),
    ("fi-fi", "puhelin"),
    ("fi-fi", "puhelimet"),
    ("sk-sk", "telefón"),
    ("sk-sk", "telefony"),
    ("sv-se", "mobiler"),
    ("es-es", "móvil"),
    ("it-it", "cellulare"),
    ("nl-nl", "mobieltje"),
]


@pytest.mark.parametrize("code, word", EVERYDAY_WORDS)
def test_everyday_words_for_a_phone_find_the_phones(shopper, search_catalog, code, word):
    ids, _page = found(shopper, code, word)
    phones = {p["id"] for p in search_catalog["products"] if p["category"] == "smartphones"}
    assert set(ids) == phones


@pytest.mark.parametrize(
    "code, word, category",
    [
        ("fr-fr", "ordinateur portable", "laptops"),
        ("fr-fr", "PC portable", "laptops"),
        ("es-es", "portátil", "laptops"),
        ("sv-se", "bärbar dator", "laptops"),
        ("el-gr", "φορητός", "laptops"),
        ("fi-fi", "läppäri", "laptops"),
        ("ja-jp", "ノートパソコン", "laptops"),
        ("fr-fr", "tablette", "tablets"),
        ("sv-se", "surfplatta", "tablets"),
        ("fr-fr", "montre connectée", "smartwatches"),
        ("de-de", "Smartwatch", "smartwatches"),
        ("ja-jp", "スマートウォッチ", "smartwatches"),
        ("de-de", "Konsole", "consoles"),
        ("es-es", "consola", "consoles"),
        ("ja-jp", "ゲーム機", "consoles"),
        ("fr-fr", "écouteurs", "headphones"),
        ("fr-fr", "casque", "headphones"),
        ("de-de", "Kopfhörer", "headphones"),
        ("es-es", "auriculares", "headphones"),
        ("ja-jp", "イヤホン", "headphones"),
        ("ja-jp", "ヘッドホン", "headphones"),
        ("en-us", "earbuds", "headphones"),
        ("en-us", "smarphone", "smartphones"),  # one typo in a category word
        ("fr-fr", "telephnoe", "smartphones"),
        ("de-de", "Kopfhörrer", "headphones"),
    ],
)
def test_category_words_find_their_category(shopper, search_catalog, code, word, category):
    ids, _page = found(shopper, code, word)
    assert ids and category_of(search_catalog, ids) == {category}


@pytest.mark.parametrize("code", CODES)
def test_every_word_the_search_box_suggests_finds_what_it_names(shopper, search_catalog, code):
    market = MARKETS[code]
    placeholder = _(code, PLACEHOLDER)
    skipped = set(typed_words(NOT_SUGGESTIONS[market.language], market))
    suggested = [w for w in typed_words(placeholder, market) if w not in skipped]
    categories = []
    for word in suggested:
        ids, _page = found(shopper, code, word)
        assert ids, (code, placeholder, word)
        categories.append(category_of(search_catalog, ids))
    # The box suggests a phone, then a laptop, in every language.
    assert categories == [{"smartphones"}, {"laptops"}], (code, placeholder, suggested)


@pytest.mark.parametrize("code", CODES)
def test_ps5_samsung_128_and_galxy_find_their_products_everywhere(shopper, search_catalog, code):
    ps5 = {p["id"] for p in search_catalog["products"] if "PlayStation 5" in p["model"]}
    assert set(found(shopper, code, "ps5")[0]) == ps5
    samsung_128 = {
        p["id"]
        for p in search_catalog["products"]
        if p["brand"] == "Samsung" and any(o["storage_gb"] == 128 for o in in_stock(p, code))
    }
    assert samsung_128 and set(found(shopper, code, "samsung 128")[0]) == samsung_128
    assert set(found(shopper, code, "samsung 128gb")[0]) == samsung_128
    assert set(found(shopper, code, "Samsung 128 GB")[0]) == samsung_128
    galaxy = {p["id"] for p in search_catalog["products"] if "Galaxy" in p["model"]}
    for typo in ("galxy", "galaxi", "samsnug", "samsong galxy"):
        assert set(found(shopper, code, typo)[0]) == galaxy, typo


@pytest.mark.parametrize(
    "code, query, wanted",
    [
        ("ja-jp", "アイフォン", "iPhone"),
        ("ja-jp", "アイフォン13", "iPhone 13"),
        ("ja-jp", "ｉＰｈｏｎｅ　１３", "iPhone 13"),
        ("ja-jp", "ギャラクシー", "Galaxy"),
        ("ja-jp", "プレステ5", "PlayStation 5"),
        ("en-us", "iphones", "iPhone"),
        ("en-us", "iphone13", "iPhone 13"),
        ("en-us", "iPhone 13 128", "iPhone 13"),
        ("en-us", "iphnoe", "iPhone"),
        ("en-us", "mac book", "MacBook"),
        ("en-us", "macbok", "MacBook"),
        ("en-us", "play station", "PlayStation"),
        ("en-us", "playstaton", "PlayStation"),
        ("en-us", "playstation digitl", "Digital"),
        ("en-us", "macbook 1tb", "MacBook"),
        ("en-us", "macbook 1 TB", "MacBook"),
        ("fr-fr", "macbook 512 go", "MacBook"),
        ("fr-fr", "samsung téléphone", "Galaxy"),
        ("el-gr", "apple κινητό", "iPhone"),
        ("en-us", "apple watch", "Watch"),
        ("en-us", "airpods pro", "AirPods Pro"),
    ],
)
def test_brand_model_and_storage_words_find_the_product(
    shopper, search_catalog, code, query, wanted
):
    ids, _page = found(shopper, code, query)
    models = {p["id"]: p["model"] for p in search_catalog["products"]}
    assert ids and all(wanted in models[i] for i in ids), (query, ids)


ODD_QUERIES = [
    "-",
    "🙂",
    "%00",
    "\x00iphone",
    "the",
    "de la",
    "a",
    "x" * 100,
    "y" * 101,
    "iPhoneアイフォン",
    "i\u0301\u0301phone",
    "１２８",
    "ＧＢ",
    "ﷺ" * 100,
    "' OR 1=1 --",
    ":v0 #n0 contains(text, :x)",
    "a b c d e f g h i j",
    " ".join(["samsung"] * 50),
    "\ud800",
    "مرحبا",
    "\u202eenohpi",
    "q" * 60000,
]


@pytest.mark.parametrize("code", ["fr-fr", "ja-jp", "el-gr"])
@pytest.mark.parametrize("query", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_queries_get_a_clear_page_and_at_most_one_request(shopper, search_table, code, query):
    calls = RequestCounter(search_table)
    try:
        raw = query if query.startswith("%") else quote(query, errors="surrogatepass")
        response = shopper.http.get(f"/{code}/search?q={raw}")
    finally:
        calls.close()
    page = html.unescape(body(response))
    assert response.status_code == 200
    assert len(calls.calls) <= 1
    assert len(body(response)) < 40_000  # a long query is cut, never echoed whole
    assert "\x00" not in page
    shown = (_(code, NOTHING), _(code, PROMPT), _(code, "Type at least two letters or digits."))
    assert PRODUCT_LINK.search(body(response)) or any(s in page for s in shown)


@pytest.mark.parametrize(
    "query",
    ["iphone", "iph", "ip", "téléphone", "galxy", "samsung 128", "ps5", "apple watch", "zzqx"],
)
@pytest.mark.parametrize("code", ["fr-fr", "en-us", "ja-jp", "fi-fi"])
def test_a_search_page_costs_one_dynamodb_request(shopper, search_table, code, query):
    calls = RequestCounter(search_table)
    try:
        response = shopper.http.get(f"/{code}/search?q={quote(query)}")
    finally:
        calls.close()
    assert response.status_code == 200
    assert calls.calls == ["Query"]


@pytest.mark.parametrize("query", ["apple", "appel", "téléphone", "ps5", "playstaton"])
def test_every_next_page_costs_one_request_and_repeats_nothing(search_table, query):
    repo = CatalogRepository(search_table, cursor_key=lambda: b"k" * 32)
    everything = repo.search("fr-fr", query, page_size=50).entries
    seen, cursor = [], None
    calls = RequestCounter(search_table)
    try:
        for _page in range(len(everything) + 1):
            page = repo.search("fr-fr", query, cursor=cursor, page_size=1)
            seen += [e.product_id for e in page.entries]
            cursor = page.next_cursor
            if not cursor:
                break
    finally:
        calls.close()
    assert len(everything) > 1
    assert sorted(seen) == sorted(e.product_id for e in everything)
    assert calls.calls == ["Query"] * len(calls.calls) and len(calls.calls) <= len(seen) + 1


def test_a_long_query_is_searched_and_shown_by_its_first_hundred_characters(shopper):
    ids, page = found(shopper, "en-us", "iPhone 13 " * 6_000)
    assert ids == ["apple-iphone-13"]
    assert 0 < page.count("iPhone 13 iPhone 13") < 40


@pytest.fixture(scope="module")
def apple_shopper(moto_dynamodb, demo_catalog):
    """A shop of Apple's products only: more than a page of them for "apple"."""
    catalog = copy.deepcopy(demo_catalog)
    catalog["products"] = [p for p in catalog["products"] if p["id"].startswith("apple-")]
    with stage_client(loaded_table(moto_dynamodb, "storefront-search-apple", catalog)) as client:
        yield client


HEADING = re.compile(r'<div class="toolbar"><h2>(.*?)</h2>')


@pytest.mark.parametrize("code", ["fr-fr", "en-us", "ja-jp", "de-de", "el-gr"])
def test_a_search_counts_its_results_only_once_it_has_seen_them_all(apple_shopper, code):
    gettext = translations_for(MARKETS[code].translation_chain)
    response, headings, seen = apple_shopper.http.get(f"/{code}/search?q=apple"), [], 0
    while True:
        assert response.status_code == 200
        shown = len(PRODUCT_LINK.findall(body(response)))
        headings.append(HEADING.search(body(response)).group(1))
        expected = gettext.gettext("Results %(first)s–%(last)s") % {
            "first": seen + 1,
            "last": seen + shown,
        }
        seen += shown
        more = re.search(r'rel="next" href="([^"]+)"', body(response))
        if more is None:
            break
        assert headings[-1] == expected
        response = apple_shopper.http.get(html.unescape(more.group(1)))
    assert len(headings) >= 2 and seen > 12
    assert headings[-1] == gettext.ngettext("%(n)s result", "%(n)s results", seen) % {"n": seen}
