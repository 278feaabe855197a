"""Old bookmarks' sort orders serve the page: legacy spellings mapped, others the default."""

import re

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.storefront.params import sort_order
from tests.conftest import body

CARD = re.compile(r'class="card" href="[^"]*/p/([a-z0-9-]+)[?"]')


def products(response) -> list[str]:
    return list(dict.fromkeys(CARD.findall(body(response))))


@pytest.mark.parametrize(
    "raw, order",
    [
        ("price_asc", "price-asc"),
        ("price_desc", "price-desc"),
        ("PRICE-ASC", "price-asc"),
        (" price-desc ", "price-desc"),
        ("popularity", "popular"),
        ("cheapest", "popular"),
        ("", "popular"),
        (None, "popular"),
        ("price-asc\x00", "popular"),
    ],
)
def test_sort_orders_old_and_unknown(raw, order):
    assert sort_order(raw) == order


@pytest.mark.parametrize("code", MARKETS)
def test_legacy_spellings_serve_the_order_they_meant(client, code):
    for legacy, known in (("price_asc", "price-asc"), ("price_desc", "price-desc")):
        old = client.http.get(f"/{code}/l/smartphones?sort={legacy}")
        new = client.http.get(f"/{code}/l/smartphones?sort={known}")
        assert old.status_code == new.status_code == 200
        assert products(old) == products(new) and len(products(old)) > 1


@pytest.mark.parametrize("code", MARKETS)
def test_an_unknown_sort_is_the_default_page_with_its_clean_canonical(client, code):
    response = client.http.get(f"/{code}/l/smartphones?sort=bestsellers")
    default = client.http.get(f"/{code}/l/smartphones")
    page = body(response)
    assert response.status_code == 200
    assert products(response) == products(default)
    assert re.search(rf'<link rel="canonical" href="[^"]*/{code}/l/smartphones">', page)
    assert f'<html lang="{MARKETS[code].html_lang}">' in page
