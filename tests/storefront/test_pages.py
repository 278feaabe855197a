"""Every page type in every market, as a shopper sees it, through the Chalice test client."""

import html
import re
from urllib.parse import urlparse

import pytest

from chalicelib.catalog.delivery import delivery_window, today_in
from chalicelib.catalog.model import CATEGORY_BY_CODE
from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests import events
from tests.conftest import app_over, body, stage_client

CODES = list(MARKETS)
CARD_PRICE = re.compile(r'<span class="price">(.+?)</span>')


def _(code, message):
    return translations_for(MARKETS[code].translation_chain).gettext(message)


def in_stock(product, code):
    return [o for o in product["markets"].get(code, {}).get("offers", []) if o["stock"] > 0]


def title_in(product, code):
    """The product's title as the market's language writes it."""
    chain = (*MARKETS[code].text_chain, "en")
    return next(product["title"][name] for name in chain if name in product["title"])


def price(code, amount):
    """A price as the page writes it: in Japan, with 税込 beside it (templates/_prices.html)."""
    market = MARKETS[code]
    shown = Formatter(market).price(Money(amount, market.currency))
    if market.tax_note == "zeikomi":
        shown += f'<small class="tax">{_(code, "(tax included)")}</small>'
    return shown


def text(response):
    return html.unescape(body(response))


@pytest.mark.parametrize("code", CODES)
def test_home_shows_categories_and_prices_in_the_market_language(client, shop_catalog, code):
    response = client.http.get(f"/{code}/")
    page = text(response)
    market = MARKETS[code]
    assert response.status_code == 200
    assert f'<html lang="{market.html_lang}">' in page
    assert response.headers["Content-Language"] == market.html_lang
    for category in CATEGORY_BY_CODE.values():
        cheapest = min(
            o["price"]
            for p in shop_catalog["products"]
            if p["category"] == category.code
            for o in in_stock(p, code)
        )
        assert _(code, category.label) in page
        assert price(code, cheapest) in page
    if market.language != "en":
        assert _(code, "Shop by category") != "Shop by category"
    assert _(code, "Shop by category") in page


@pytest.mark.parametrize("code", CODES)
def test_listing_counts_and_sorts_by_price(client, shop_catalog, code):
    phones = [p for p in shop_catalog["products"] if p["category"] == "smartphones"]
    cheapest = sorted(
        min(o["price"] for o in in_stock(p, code)) for p in phones if in_stock(p, code)
    )
    response = client.http.get(f"/{code}/l/smartphones?sort=price-asc")
    page = text(response)
    assert response.status_code == 200
    assert CARD_PRICE.findall(page) == [price(code, amount) for amount in cheapest]
    descending = text(client.http.get(f"/{code}/l/smartphones?sort=price-desc"))
    assert CARD_PRICE.findall(descending) == [price(code, a) for a in reversed(cheapest)]


@pytest.mark.parametrize("code", CODES)
def test_listing_filters_by_brand_grade_and_price(client, shop_catalog, code):
    phones = [p for p in shop_catalog["products"] if p["category"] == "smartphones"]
    brand = phones[0]["brand"]
    expected = []
    for p in phones:
        good = [o["price"] for o in in_stock(p, code) if o["grade"] == "good"]
        if p["brand"] == brand and good:
            expected.append(min(good))
    slug = brand.lower().replace(" ", "-")
    response = client.http.get(f"/{code}/l/smartphones?brand={slug}&grade=good&sort=price-asc")
    assert CARD_PRICE.findall(text(response)) == [price(code, a) for a in sorted(expected)]
    digits = 0 if MARKETS[code].currency == "JPY" else 2
    high = max(expected) // 10**digits
    low = min(expected) // 10**digits + 1
    ranged = text(
        client.http.get(f"/{code}/l/smartphones?brand={slug}&grade=good&min={low}&max={high}")
    )
    wanted = [a for a in expected if low * 10**digits <= a <= high * 10**digits]
    assert sorted(CARD_PRICE.findall(ranged)) == sorted(price(code, a) for a in wanted)


@pytest.mark.parametrize("code", CODES)
def test_product_page_shows_the_best_offer_and_the_market_terms(client, shop_catalog, code):
    product = shop_catalog["products"][0]
    offers = in_stock(product, code)
    pick = min(offers, key=lambda o: o["price"])
    same = [
        o
        for o in offers
        if (o["storage_gb"], o["color"], o["grade"])
        == (pick["storage_gb"], pick["color"], pick["grade"])
    ]
    query = f"color={pick['color']}&grade={pick['grade']}"
    if pick["storage_gb"]:
        query += f"&storage={pick['storage_gb']}"
    response = client.http.get(f"/{code}/p/{product['id']}?{query}")
    page = text(response)
    market = MARKETS[code]
    fmt = Formatter(market)
    assert response.status_code == 200
    assert f'<div class="price">{price(code, pick["price"])}</div>' in page
    sellers = {r["id"]: r["name"] for r in shop_catalog["refurbishers"]}
    assert all(sellers[o["refurbisher"]] in page for o in same)
    new = product["markets"][code]["new_price"][str(pick["storage_gb"] or "base")]
    assert f"<s>{price(code, new)}</s>" in page
    first, last = delivery_window(today_in(market), market.delivery_days)
    assert fmt.date(first) in page and fmt.date(last) in page
    chain = (*market.text_chain, "en")
    description = next(product["description"][n] for n in chain if n in product["description"])
    assert description in page
    for other in ("de-de", "ja-jp", "en-us"):
        assert f'href="/{other}/p/{product["id"]}' in page


@pytest.mark.parametrize("code", CODES)
def test_search_finds_products_by_brand(client, shop_catalog, code):
    brand = shop_catalog["products"][0]["brand"]
    titles = {
        title_in(p, code)
        for p in shop_catalog["products"]
        if p["brand"] == brand and in_stock(p, code)
    }
    path = f"/{code}/search?q={brand.lower()[:3]}"
    found = ""
    for _page in range(10):
        page = text(client.http.get(path))
        found += page
        more = re.search(r'rel="next" href="([^"]+)"', page)
        if not more:
            break
        path = more.group(1)
    assert titles and all(t in found for t in titles)
    nothing = client.http.get(f"/{code}/search?q=zzqxj")
    assert nothing.status_code == 200
    assert _(
        code, "Nothing matches this search. Check the spelling, or try a brand or a category."
    ) in text(nothing)


@pytest.mark.parametrize("code", CODES)
def test_unknown_product_and_category_are_404_in_the_market_language(client, code):
    for path in (
        f"/{code}/p/no-such-phone",
        f"/{code}/l/toasters",
        f"/{code}/basket",
        f"/{code}/l/x/y",
    ):
        response = client.http.get(path)
        page = text(response)
        assert response.status_code == 404
        assert f'<html lang="{MARKETS[code].html_lang}">' in page
        assert _(code, "Page not found") in page
        assert "Traceback" not in page


@pytest.mark.parametrize(
    "query",
    [
        "min=abc",
        "max=-5",
        "grade=mint",
        "brand=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "cursor=garbage",
    ],
)
def test_malformed_listing_parameters_are_400(client, query):
    response = client.http.get(f"/it-it/l/laptops?{query}")
    assert response.status_code == 400
    assert _("it-it", "We could not understand this address") in text(response)
    assert "<script>alert" not in body(response)


def test_swapped_price_range_is_normalized(client):
    assert client.http.get("/fr-fr/l/laptops?min=2000&max=100").status_code == 200


def test_other_spellings_of_a_market_redirect(client):
    response = client.http.get("/FR_fr/l/laptops?sort=price-asc")
    assert response.status_code == 301
    assert response.headers["Location"] == "/fr-fr/l/laptops?sort=price-asc"


def test_unknown_market_shows_the_picker_as_404(client):
    response = client.http.get("/xx-yy/", headers={"Accept-Language": "de-DE"})
    page = text(response)
    assert response.status_code == 404
    assert '<html lang="de-DE">' in page
    assert all(f'href="/{code}/"' in page for code in CODES)


def test_root_redirects_to_the_visitor_market(client):
    response = client.http.get(
        "/", headers={"Accept-Language": "nl-BE,nl;q=0.9", "CloudFront-Viewer-Country": "BE"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/nl-be/"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    "path, headers",
    [("/", {"Accept-Language": "zh-CN"}), ("/?choose=1", {"Accept-Language": "fr-FR"})],
)
def test_root_shows_the_picker(client, path, headers):
    response = client.http.get(path, headers=headers)
    assert response.status_code == 200
    assert all(f'href="/{code}/"' in text(response) for code in CODES)


def test_dynamodb_failure_is_a_503_with_retry_after(moto_dynamodb):
    with stage_client(moto_dynamodb.Table("no-such-table")) as client:
        response = client.http.get("/sv-se/p/apple-iphone-13")
    page = text(response)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert _("sv-se", "The shop is taking a short break") in page
    assert "Traceback" not in page and "ResourceNotFound" not in page


@pytest.mark.parametrize("code", CODES)
def test_each_page_costs_at_most_one_dynamodb_request(client, dynamodb_calls, shop_catalog, code):
    product = shop_catalog["products"][0]["id"]
    for path in (
        f"/{code}/",
        f"/{code}/l/smartphones",
        f"/{code}/l/smartphones?sort=price-desc&grade=good&min=1&max=99999",
        f"/{code}/p/{product}",
        f"/{code}/search?q=pro+max",
    ):
        before = len(dynamodb_calls)
        assert client.http.get(path).status_code == 200
        assert len(dynamodb_calls) - before == 1, (path, dynamodb_calls[before:])
    before = len(dynamodb_calls)
    client.http.get("/")
    assert len(dynamodb_calls) == before


def test_behind_a_public_domain_links_drop_the_stage_prefix(shop_table, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://www.recircle.example")
    response = app_over(shop_table)(events.load("home-under-stage-prefix"), None)
    hrefs = re.findall(r'href="([^"#]+)"', response["body"])
    assert all(not urlparse(h).path.startswith("/api/") for h in hrefs)
    assert '<link rel="canonical" href="https://www.recircle.example/fr-fr/">' in response["body"]


def test_links_keep_the_api_gateway_stage_prefix(shop_table):
    response = app_over(shop_table)(events.load("home-under-stage-prefix"), None)
    assert response["statusCode"] == 200
    paths = [urlparse(h).path for h in re.findall(r'href="([^"#]+)"', response["body"])]
    assert paths and all(p.startswith("/api/") for p in paths), [
        p for p in paths if not p.startswith("/api/")
    ]


def test_search_terms_are_escaped(client):
    page = body(client.http.get("/fr-fr/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_an_empty_filter_offers_to_clear_it(client):
    response = client.http.get("/de-de/l/laptops?brand=nokia&grade=premium")
    page = text(response)
    assert response.status_code == 200
    clear = _("de-de", "Clear filters")
    assert f'<a class="btn" href="/de-de/l/laptops">{clear}</a>' in page


def test_a_shopper_pages_through_a_listing(make_table, demo_catalog):
    import copy

    from chalicelib.catalog.importer.load import load
    from chalicelib.catalog.repository import PAGE_SIZE

    phones = copy.deepcopy(demo_catalog)
    phones["products"] = [p for p in phones["products"] if p["category"] == "smartphones"]
    table = make_table()
    load(table, phones)
    listed = [p for p in phones["products"] if in_stock(p, "sv-se")]
    assert len(listed) > PAGE_SIZE
    with stage_client(table) as http:
        first = text(http.http.get("/sv-se/l/smartphones?sort=price-desc"))
        cursor = re.search(r'rel="next" href="[^"]*cursor=([^"&]+)"', first).group(1)
        second = text(http.http.get(f"/sv-se/l/smartphones?sort=price-desc&cursor={cursor}"))
    shown = CARD_PRICE.findall(first) + CARD_PRICE.findall(second)
    expected = sorted((min(o["price"] for o in in_stock(p, "sv-se")) for p in listed), reverse=True)
    assert shown == [price("sv-se", amount) for amount in expected]
    assert 'rel="next"' not in second
    assert f"{PAGE_SIZE + 1}–{len(listed)}" in second


@pytest.mark.parametrize("code", ["fr-fr", "ja-jp", "en-us"])
def test_a_grade_picked_from_a_listing_opens_on_that_grade(client, shop_catalog, code):
    for product in shop_catalog["products"][:6]:
        excellent = [o["price"] for o in in_stock(product, code) if o["grade"] == "excellent"]
        if not excellent:
            continue
        page = text(client.http.get(f"/{code}/p/{product['id']}?grade=excellent"))
        assert f'<div class="price">{price(code, min(excellent))}</div>' in page


@pytest.mark.parametrize("query", ["-", "%F0%9F%99%82", "%C2%BF%3F"])
def test_a_search_of_only_punctuation_or_emoji_matches_nothing(client, query):
    response = client.http.get(f"/el-gr/search?q={query}")
    assert response.status_code == 200
    nothing = _(
        "el-gr", "Nothing matches this search. Check the spelling, or try a brand or a category."
    )
    assert nothing in text(response)
