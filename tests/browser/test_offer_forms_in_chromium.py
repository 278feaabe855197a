"""The product page's add-to-cart buttons in Chromium: on the first screen of a phone, thumb-sized,
and posting exactly the offer shown (the cart itself answers elsewhere; here the post is caught).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.catalog.offers import select_offer
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import MARKETS
from tests.conftest import body, stage_client

ORIGIN = "https://shop.example"
MARKETS_SEEN = ("de-de", "ja-jp", "nl-be")  # nl-be: the tallest header
PHONE_SCREEN = 800  # px tall, as the other browser tests open phones


@pytest.fixture(scope="module")
def shop(shop_table):
    with stage_client(shop_table) as client:
        yield client


def product_with_others(shop_table, shop_catalog, code):
    """A product of the market whose default selection has other offers, and that selection."""
    repository = CatalogRepository(shop_table)
    for raw in shop_catalog["products"]:
        product = repository.product(code, raw["id"])
        if product and (picked := select_offer(product, None, None, None)).others:
            return product, picked
    raise AssertionError(code)


def open_page(browser, shop, path, width, posts):
    page = browser.new_page(
        viewport={"width": width, "height": PHONE_SCREEN}, locale=MARKETS[path[1:6]].html_lang
    )

    def serve(route):
        url = urlsplit(route.request.url)
        if url.netloc != urlsplit(ORIGIN).netloc:
            return route.abort()
        if route.request.method == "POST":  # what the cart would get; it answers elsewhere
            posts.append((url.path, route.request.post_data))
            return route.fulfill(status=204)
        response = shop.http.get(url.path + (f"?{url.query}" if url.query else ""))
        headers = {k: v for k, v in response.headers.items() if isinstance(v, str)}
        return route.fulfill(status=response.status_code, headers=headers, body=body(response))

    page.route("**/*", serve)
    assert page.goto(ORIGIN + path).status == 200
    return page


def fields_of(offer, product_id):
    return {
        "product": [product_id],
        "storage": [str(offer.storage_gb)] if offer.storage_gb is not None else [],
        "color": [offer.color],
        "grade": [offer.grade],
        "refurbisher": [offer.refurbisher.id],
        "quantity": ["1"],
    }


@pytest.mark.parametrize("width", (360, 390, 1280))
@pytest.mark.parametrize("code", MARKETS_SEEN)
def test_the_main_button_is_thumb_sized_on_the_first_screen(
    browser, shop, shop_table, shop_catalog, code, width
):
    product, picked = product_with_others(shop_table, shop_catalog, code)
    posts: list = []
    page = open_page(browser, shop, f"/{code}/p/{product.id}", width, posts)
    try:
        main = page.locator(".buy form.add button[type=submit]")
        assert main.count() == 1 and main.is_visible()
        box = main.bounding_box()
        if width < 720:
            assert box["height"] >= 44 and box["y"] + box["height"] <= PHONE_SCREEN, box
        rows = page.locator(".offers form.add button[type=submit]")
        assert rows.count() == len(picked.others)
        for i in range(rows.count()):
            row = rows.nth(i).bounding_box()
            assert row["height"] >= (44 if width < 720 else 24), row
            assert row["x"] >= 0 and row["x"] + row["width"] <= width, row
        main.click()
        page.wait_for_timeout(200)
        assert len(posts) == 1
        path, data = posts[0]
        assert path == f"/{code}/cart/add"
        assert parse_qs(data) == {k: v for k, v in fields_of(picked.best, product.id).items() if v}
    finally:
        page.close()


@pytest.mark.parametrize("code", ("fr-fr", "ja-jp"))
def test_another_offer_posts_that_offer(browser, shop, shop_table, shop_catalog, code):
    product, picked = product_with_others(shop_table, shop_catalog, code)
    posts: list = []
    page = open_page(browser, shop, f"/{code}/p/{product.id}", 390, posts)
    try:
        page.locator(".offers form.add button[type=submit]").last.click()
        page.wait_for_timeout(200)
        wanted = fields_of(picked.others[-1], product.id)
        assert [parse_qs(data) for _, data in posts] == [{k: v for k, v in wanted.items() if v}]
    finally:
        page.close()
