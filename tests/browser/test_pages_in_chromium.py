"""The storefront's pages in a real browser (Debian's Chromium through Playwright), phone first.

Chromium asks for every page and asset; the answers come from the app over moto, through the
same Chalice test client as the other tests, so no server or network is involved. Each page
is opened at 360 and 390 px and at 1280 px, and checked as a shopper reads it: the language,
the heading, the prices in the market's format, the search box within reach, no script error.
Screenshots go to build/screenshots/ for a person to look at.
"""

import re
from urllib.parse import urlsplit

import pytest

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests.conftest import ROOT, stage_client

WIDTHS = (360, 390, 1280)
MARKETS_SEEN = ("fr-fr", "ja-jp", "el-gr", "nl-be", "en-us")
SHOTS = ROOT / "build" / "screenshots"
ORIGIN = "https://shop.example"


@pytest.fixture(scope="module")
def shop(shop_table):
    with stage_client(shop_table) as client:
        yield client


def _serve(shop, route):
    """Answer the browser's request from the app; nothing leaves the machine."""
    url = urlsplit(route.request.url)
    if url.netloc != urlsplit(ORIGIN).netloc:
        return route.abort()
    path = url.path + (f"?{url.query}" if url.query else "")
    language = route.request.headers.get("accept-language", "")
    response = shop.http.get(path, headers={"Accept-Language": language})
    headers = {k: v for k, v in response.headers.items() if isinstance(v, str)}
    return route.fulfill(status=response.status_code, headers=headers, body=response.body)


def _open(browser, shop, path, width):
    """A page as a shopper of its market opens it: their language, a phone or a desktop."""
    code = path.split("/")[1]
    page = browser.new_page(
        viewport={"width": width, "height": 800}, locale=MARKETS[code].html_lang
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: _serve(shop, route))
    response = page.goto(ORIGIN + path)
    return page, response, errors


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _(code, message):
    return translations_for(MARKETS[code].translation_chain).gettext(message)


def _search_box_in_reach(page, width):
    box = page.locator("form.search input").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("code", MARKETS_SEEN)
def test_home_reads_in_the_market_language(browser, shop, code, width):
    page, response, errors = _open(browser, shop, f"/{code}/", width)
    assert response.status == 200 and not errors
    assert page.locator("html").get_attribute("lang") == MARKETS[code].html_lang
    heading = page.locator("h1")
    assert heading.is_visible()
    assert heading.inner_text() == _(code, "Refurbished tech, tested and guaranteed")
    assert page.locator("#suggest").is_hidden()  # a shopper in their own market is not redirected
    assert page.get_by_text(_(code, "Shop by category")).first.is_visible()
    _search_box_in_reach(page, width)
    _shot(page, f"home-{code}-{width}")
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("code", MARKETS_SEEN)
def test_product_price_is_visible_and_in_the_market_format(
    browser, shop, shop_catalog, code, width
):
    product = shop_catalog["products"][0]
    page, response, errors = _open(browser, shop, f"/{code}/p/{product['id']}", width)
    assert response.status == 200 and not errors
    price = page.locator("div.price").first
    assert price.is_visible()
    market = MARKETS[code]
    note = translations_for(market.translation_chain).gettext("(tax included)")
    note = note if market.tax_note == "zeikomi" else ""  # Japan: 税込 beside each price
    offered = {
        Formatter(market).price(Money(o["price"], market.currency)) + note
        for o in product["markets"][code]["offers"]
        if o["stock"] > 0
    }
    assert price.inner_text().strip() in offered
    box = price.bounding_box()
    assert box["x"] >= 0 and box["width"] > 0
    _shot(page, f"product-{code}-{width}")
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_listing_shows_cards_and_a_search_finds_them(browser, shop, width):
    page, response, errors = _open(browser, shop, "/ja-jp/l/smartphones?sort=price-asc", width)
    assert response.status == 200 and not errors
    prices = page.locator("span.price")
    assert prices.count() > 0 and prices.first.is_visible()
    assert all(re.fullmatch(r"[\d,]+円（税込）", t.strip()) for t in prices.all_inner_texts())
    _shot(page, f"listing-ja-jp-{width}")
    page.locator("form.search input").first.fill("apple")
    page.locator("form.search input").first.press("Enter")
    page.wait_for_load_state()
    assert "/ja-jp/search" in page.url and "q=apple" in page.url
    assert page.locator("span.price").count() > 0
    page.close()


@pytest.mark.parametrize("width", (360, 1280))
def test_an_unknown_page_is_a_404_in_the_market_language(browser, shop, width):
    page, response, errors = _open(browser, shop, "/el-gr/p/no-such-phone", width)
    assert response.status == 404 and not errors
    assert page.get_by_text(_("el-gr", "Page not found")).first.is_visible()
    _shot(page, f"not-found-el-gr-{width}")
    page.close()


def test_the_language_suggestion_runs_under_the_pages_content_security_policy(browser, shop):
    """The inline script runs, allowed by hash: a German visitor of the French shop sees it."""
    page = browser.new_page(viewport={"width": 390, "height": 800}, locale="de-DE")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.route("**/*", lambda route: _serve(shop, route))
    page.goto(ORIGIN + "/fr-fr/")
    suggestion = page.locator("#suggest")
    assert suggestion.is_visible() and not blocked
    assert "/de-de/" in suggestion.locator("a").get_attribute("href")
    page.close()
