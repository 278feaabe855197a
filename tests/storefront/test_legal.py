"""Legal and trust pages as a shopper reaches them: the footer, each page, and warranty figures."""

import gzip
import html
import re

import pytest
from markupsafe import escape

from chalicelib.catalog.offers import rank
from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.storefront import legal
from tests.conftest import body

CODES = list(MARKETS)
H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


def ngettext(code, singular, plural, count, **values):
    """A plural message as the page renders it, escaped as in the HTML."""
    texts = translations_for(MARKETS[code].translation_chain)
    return str(escape(texts.ngettext(singular, plural, count) % values))


def buy_box_warranty(code, months):
    n = Formatter(MARKETS[code]).number(months)
    return ngettext(code, "%(n)s-month warranty", "%(n)s-month warranty", months, n=n)


def row_warranty(code, months):
    n = Formatter(MARKETS[code]).number(months)
    return ngettext(code, "%(n)s month", "%(n)s months", months, n=n)


def market_promise(code):
    months = MARKETS[code].warranty_months
    n = Formatter(MARKETS[code]).number(months)
    singular, plural = "Warranty of at least %(n)s month", "Warranty of at least %(n)s months"
    return ngettext(code, singular, plural, months, n=n)


def footer_links(code):
    return [
        f'<a href="/{code}/legal/{slug}">{escape(title)}</a>'
        for slug, title in legal.footer_links(code)
    ]


@pytest.mark.parametrize("code", CODES)
def test_every_page_footer_links_all_the_markets_legal_pages(client, shop_catalog, code):
    product = shop_catalog["products"][0]["id"]
    for path in (f"/{code}/", f"/{code}/p/{product}", f"/{code}/l/nothing", f"/{code}/search"):
        page = body(client.http.get(path))
        footer = page[page.index("<footer>") :]
        missing = [link for link in footer_links(code) if link not in footer]
        assert not missing, (path, missing)
        assert len(footer_links(code)) == len(legal.page_slugs(code))


@pytest.mark.parametrize("code", CODES)
def test_each_legal_page_is_public_cacheable_in_the_markets_language(client, code):
    market = MARKETS[code]
    for slug, page in legal.legal_for(code).pages.items():
        response = client.http.get(f"/{code}/legal/{slug}")
        text = body(response)
        assert response.status_code == 200, (code, slug)
        assert response.headers["Cache-Control"].startswith("public")
        assert "s-maxage=30" in response.headers["Cache-Control"] and response.headers["ETag"]
        assert response.headers["Content-Language"] == market.html_lang
        assert f'<html lang="{market.html_lang}">' in text
        assert len(gzip.compress(text.encode())) < 20_000
        assert H1.findall(text) == [str(escape(page.title))]
        assert f'href="/{code}/legal/{slug}" aria-current="page"' in text
        first = page.sections[-1].paragraphs or [page.sections[-1].rows[-1][1]]
        assert str(escape(first[-1])) in text


def test_legal_pages_cost_no_dynamodb_request(client, dynamodb_calls):
    for code in ("fr-fr", "ja-jp", "en-us"):
        for slug in legal.page_slugs(code):
            assert client.http.get(f"/{code}/legal/{slug}").status_code == 200
    assert dynamodb_calls == []


def test_paragraphs_are_text_not_html(client):
    page = body(client.http.get("/fr-fr/legal/notice"))
    assert "99 rue de l&#39;Exemple" in page  # escaped like any text
    assert "<script" not in page.split("<main>")[1].split("</main>")[0]


@pytest.mark.parametrize("code", CODES)
def test_the_tokushoho_page_exists_in_japan_only(client, code):
    response = client.http.get(f"/{code}/legal/tokushoho")
    assert response.status_code == (200 if code == "ja-jp" else 404)
    if code == "ja-jp":
        text = body(response)
        assert "<h1>特定商取引法に基づく表記</h1>" in text
        assert (
            "<dt><strong>販売価格</strong></dt><dd>各商品ページに表示する価格（消費税込み）</dd>"
            in text
        )


@pytest.mark.parametrize("code", CODES)
def test_an_unknown_legal_page_is_the_markets_404(client, code):
    response = client.http.get(f"/{code}/legal/imprint")
    text = body(response)
    assert response.status_code == 404
    assert f'<html lang="{MARKETS[code].html_lang}">' in text
    title = translations_for(MARKETS[code].translation_chain).gettext("Page not found")
    assert f"<h1>{escape(title)}</h1>" in text
    assert all(link in text for link in footer_links(code))


@pytest.mark.parametrize("code", CODES)
def test_the_home_promise_is_the_markets_minimum_warranty_linked_to_its_page(client, code):
    page = body(client.http.get(f"/{code}/"))
    assert f'<a href="/{code}/legal/warranty">{market_promise(code)}</a>' in page


RANKED = ("price", "warranty_months", "battery_health")  # then the shop's terms, as pages rank


def _best_and_others(product, code, shops):
    """The offer the buy box shows for the cheapest variant in stock, and the other offers."""
    offers = [o for o in product["markets"][code]["offers"] if o["stock"] > 0]
    groups: dict[tuple, list] = {}
    for o in offers:
        groups.setdefault((o["storage_gb"], o["color"], o["grade"]), []).append(o)
    variant, group = max(
        groups.items(), key=lambda kv: (len(kv[1]), -min(o["price"] for o in kv[1]))
    )
    group.sort(key=lambda o: rank(*(o.get(k) for k in RANKED), *shops[o["refurbisher"]]))
    return variant, group[0], group[1:]


@pytest.mark.parametrize("code", CODES)
def test_the_product_page_shows_one_warranty_figure_per_offer(client, shop_catalog, code):
    shops = {r["id"]: (r["rating"], r["reviews"], r["id"]) for r in shop_catalog["refurbishers"]}
    product = next(p for p in shop_catalog["products"] if code in p["markets"])
    (storage, color, grade), best, others = _best_and_others(product, code, shops)
    query = f"color={color}&grade={grade}" + (f"&storage={storage}" if storage else "")
    page = body(client.http.get(f"/{code}/p/{product['id']}?{query}"))
    main = page[page.index("<main>") : page.index("</main>")]
    shown = {
        m: len(re.findall(rf"(?<![\w.,]){re.escape(buy_box_warranty(code, m))}", main))
        for m in range(1, 121)
    }
    assert {m: c for m, c in shown.items() if c} == {best["warranty_months"]: 1}
    link = f'<a href="/{code}/legal/warranty">{buy_box_warranty(code, best["warranty_months"])}</a>'
    assert link in main
    tbody = main.split("<tbody>")[1].split("</tbody>")[0] if others else ""
    rows = [CELL.findall(row)[2] for row in ROW.findall(tbody)]  # refurbisher, battery, warranty
    assert [html.unescape(r) for r in rows] == [
        html.unescape(row_warranty(code, o["warranty_months"])) for o in others
    ]
    assert market_promise(code) not in page  # the market's promise is not repeated here


@pytest.mark.parametrize("code", CODES)
def test_no_offer_carries_less_than_the_markets_minimum(shop_catalog, code):
    minimum = MARKETS[code].warranty_months
    months = [
        o["warranty_months"] for p in shop_catalog["products"] for o in p["markets"][code]["offers"]
    ]
    assert months and min(months) >= minimum
