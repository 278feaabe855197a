"""What search engines see: canonical URLs, hreflang twins, structured data, sitemaps."""

import json
import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.storefront.legal import page_slugs
from tests.conftest import body

LINK = re.compile(r'<link rel="(canonical|alternate)"(?: hreflang="([^"]+)")? href="([^"]+)">')
LOC = re.compile(r"<loc>([^<]+)</loc>")


def path_of(url: str) -> str:
    parsed = urlparse(url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def head_links(page: str) -> tuple[str | None, dict[str, str]]:
    canonical, alternates = None, {}
    for rel, lang, href in LINK.findall(page):
        if rel == "canonical":
            canonical = href
        else:
            alternates[lang] = href
    return canonical, alternates


def test_every_page_of_every_market_and_its_twins_link_both_ways(client):
    index = body(client.http.get("/sitemap.xml"))
    sitemaps = LOC.findall(index)
    assert [path_of(u) for u in sitemaps] == [f"/{code}/sitemap.xml" for code in MARKETS]
    seen: dict[str, tuple[int, str | None, dict]] = {}

    def visit(url: str):
        if url not in seen:
            response = client.http.get(path_of(url))
            page = body(response)
            seen[url] = (response.status_code, *head_links(page))
        return seen[url]

    pages = []
    for sitemap in sitemaps:
        response = client.http.get(path_of(sitemap))
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/xml"
        pages += LOC.findall(body(response))
    assert len(pages) > len(MARKETS) * 7
    for url in pages:
        status, canonical, alternates = visit(url)
        assert status == 200, url
        assert canonical == url, (url, canonical)
        assert alternates["x-default"].endswith("/?choose=1")
        own = MARKETS[urlparse(url).path.split("/")[1]].html_lang
        assert alternates[own] == url
        for lang, target in alternates.items():
            target_status, _, back = visit(target)
            assert target_status == 200, (url, lang, target)
            if lang != "x-default":
                assert back.get(own) == url, (url, "is not linked back from", target)


def test_filtered_listings_are_not_indexed_but_brands_are(client):
    filtered = body(client.http.get("/fr-fr/l/laptops?grade=good&sort=price-asc"))
    assert '<meta name="robots" content="noindex, follow">' in filtered
    assert 'rel="canonical"' not in filtered
    brand = body(client.http.get("/fr-fr/l/laptops?brand=apple"))
    canonical, alternates = head_links(brand)
    assert path_of(canonical) == "/fr-fr/l/laptops?brand=apple"
    assert path_of(alternates["de-AT"]) == "/de-at/l/laptops?brand=apple"


def test_search_results_are_not_indexed(client):
    assert 'content="noindex, follow"' in body(client.http.get("/fr-fr/search?q=apple"))


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.http.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain"
    assert "Disallow: /*/search" in body(response)
    assert re.search(r"^Sitemap: https?://[^/]+/sitemap\.xml$", body(response), re.M)


@pytest.mark.parametrize("code", list(MARKETS))
def test_product_structured_data(client, shop_catalog, code):
    product = shop_catalog["products"][0]
    page = body(client.http.get(f"/{code}/p/{product['id']}"))
    raw = re.search(r'<script type="application/ld\+json">(.+?)</script>', page).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Product" and data["sku"] == product["id"]
    assert data["brand"]["name"] == product["brand"]
    market = MARKETS[code]
    in_stock = [o for o in product["markets"][code]["offers"] if o["stock"] > 0]
    cheapest = {}
    for offer in in_stock:
        cheapest[offer["grade"]] = min(cheapest.get(offer["grade"], 10**12), offer["price"])
    assert data["offers"]
    for offer in data["offers"]:
        assert offer["priceCurrency"] == market.currency
        assert offer["itemCondition"] == "https://schema.org/RefurbishedCondition"
        assert offer["availability"] == "https://schema.org/InStock"
        digits = 0 if market.currency == "JPY" else 2
        assert Decimal(offer["price"]) * 10**digits >= min(cheapest.values())


@pytest.mark.parametrize("code", list(MARKETS))
def test_pages_describe_themselves_in_the_market_language(client, shop_catalog, code):
    for path in (
        f"/{code}/",
        f"/{code}/l/tablets",
        f"/{code}/p/{shop_catalog['products'][0]['id']}",
    ):
        page = body(client.http.get(path))
        description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
        assert len(description) > 20
        if MARKETS[code].language != "en":
            english = body(client.http.get(path.replace(code, "en-us", 1)))
            assert description not in english


def test_the_suggestion_speaks_the_visitor_language_and_keeps_pages_cacheable(client):
    page = body(client.http.get("/fr-fr/l/laptops", headers={"Accept-Language": "de-AT"}))
    same = body(client.http.get("/fr-fr/l/laptops", headers={"Accept-Language": "ja-JP"}))
    assert page == same
    link = re.search(
        r'<a href="(/de-at/l/laptops)" hreflang="de-AT"[^>]*data-offer="([^"]+)"', page
    )
    assert link and link.group(2) == "Zu unserem Shop für Österreich"
    assert 'data-offer="日本のショップへ"' in page
    assert 'id="suggest"' in page and "navigator.languages" in page


@pytest.mark.parametrize("code", MARKETS)
def test_each_market_sitemap_lists_its_own_legal_pages(client, code):
    urls = [path_of(u) for u in LOC.findall(body(client.http.get(f"/{code}/sitemap.xml")))]
    legal = [u for u in urls if "/legal/" in u]
    assert legal == [f"/{code}/legal/{slug}" for slug in page_slugs(code)]
    assert (f"/{code}/legal/tokushoho" in legal) == (code == "ja-jp")
