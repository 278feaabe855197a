"""HEAD is answered like GET on every shopper route, without a body (uptime monitors use it)."""

import pytest

from chalicelib.kernel.markets import MARKETS
from tests.conftest import body


@pytest.mark.parametrize("code", list(MARKETS))
def test_head_matches_get_on_every_page_of_a_market(client, shop_catalog, code):
    product = shop_catalog["products"][0]["id"]
    for path in (
        f"/{code}/",
        f"/{code}/l/laptops?sort=price-asc",
        f"/{code}/p/{product}",
        f"/{code}/search?q=apple",
        f"/{code}/sitemap.xml",
        f"/{code}/p/no-such-product",
        f"/{code}/l/laptops?sort=nonsense",
    ):
        got = client.http.get(path)
        head = client.http.head(path)
        assert head.status_code == got.status_code, path
        assert body(head) == "" and body(got) != "", path
        for name in ("Content-Type", "Content-Language", "Cache-Control", "ETag"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)


@pytest.mark.parametrize("path", ["/", "/robots.txt", "/sitemap.xml", "/FR-fr/", "/xx-yy/"])
def test_head_matches_get_outside_markets(client, path):
    headers = {"Accept-Language": "sv-SE"}
    got, head = client.http.get(path, headers=headers), client.http.head(path, headers=headers)
    assert head.status_code == got.status_code
    assert body(head) == ""
    assert head.headers.get("Location") == got.headers.get("Location")
    assert head.headers.get("Cache-Control") == got.headers.get("Cache-Control")
