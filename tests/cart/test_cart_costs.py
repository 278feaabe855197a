"""What a cart costs in DynamoDB requests, and that catalog pages stay public beside it."""

from __future__ import annotations

import pytest

from tests.cart.conftest import ORIGIN, Shopper, cart_lines
from tests.conftest import RequestCounter, body
from tests.page_types import PAGE_TYPES, market_targets


def counted(table, call):
    counter = RequestCounter(table)
    try:
        response = call()
    finally:
        counter.close()
    return response, counter.calls


def test_each_cart_action_costs_at_most_its_budget(shopper, cart_table):
    action, fields = shopper.offers("de-at", "apple-iphone-13")[0]
    response, calls = counted(cart_table, lambda: shopper.post(action, fields, csrf=False))
    assert response.status_code == 303 and calls == ["GetItem", "GetItem", "PutItem"]
    shopper.add("de-at", "samsung-galaxy-s23")
    shopper.add("de-at", "sony-playstation-5")

    response, calls = counted(cart_table, lambda: shopper.get("/de-at/cart"))
    assert response.status_code == 200 and calls == ["GetItem", "BatchGetItem"]
    line = cart_lines(body(response))[0]

    response, calls = counted(
        cart_table, lambda: shopper.post("/de-at/cart/update", {"line": line, "quantity": "2"})
    )
    assert response.status_code == 303 and calls == ["GetItem", "GetItem", "PutItem"]
    shopper.cart("de-at")
    response, calls = counted(
        cart_table, lambda: shopper.post("/de-at/cart/remove", {"line": line})
    )
    assert response.status_code == 303 and calls == ["GetItem", "PutItem"]


@pytest.fixture(scope="module")
def french_pages(cart_table, cart_catalog):
    return market_targets(cart_table, cart_catalog, ["fr-fr"])["fr-fr"]


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
def test_catalog_pages_stay_public_and_the_same_with_a_cart(http, shopper, french_pages, page_type):
    path = page_type.path(french_pages)
    without = Shopper(http, ORIGIN).get(path)
    shopper.add("fr-fr", "apple-iphone-13")
    assert shopper.cart_id
    with_cart = shopper.get(path)
    assert with_cart.status_code == without.status_code == page_type.status
    for response in (without, with_cart):
        if page_type.name != "picker":  # "/" follows the visitor's headers: private by design
            assert response.headers["Cache-Control"].startswith("public"), page_type.name
        if page_type.status == 200 and page_type.name != "picker":
            assert response.headers.get("ETag"), page_type.name
        assert "Set-Cookie" not in response.headers
    assert body(with_cart) == body(without)
    assert with_cart.headers.get("Cache-Control") == without.headers.get("Cache-Control")
    assert with_cart.headers.get("ETag") == without.headers.get("ETag")
