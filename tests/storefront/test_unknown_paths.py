"""Any path under a market, however deep or odd, is that market's 404 page; escapes survive."""

import pytest
from markupsafe import escape

from chalicelib.kernel.markets import MARKETS
from tests.conftest import body
from tests.dynamodb_faults import translated

SHAPES = [
    "a/b/c/d",  # four segments below the market: once API Gateway's JSON 403
    "a/b/c/d/e",
    "a/b/c/d/e/f/",
    "1/2/3/4/5/6/7/8/9/10",
    "l",
    "p/",
    "l/laptops/extra",
    "l/laptops/a/b/c/d/e/f",
    "p/apple-iphone-13/reviews/1",
    "search/more",
    "legal/terms/print",
    "sitemap.xml/x",
    "manifest.webmanifest/x",
    "l/lap%2Ftops",
    "a%2Fb%2Fc",
    "..",
    "../..",
    "l/..",
    "%2e%2e/%2e%2e",
    "caf%C3%A9/%F0%9F%99%82",
    "%ff%fe",
    "no-such-page/",
]


def assert_localized_404(response, code: str) -> None:
    page = body(response)
    assert response.status_code == 404, (code, response.status_code, page[:200])
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<html lang="{MARKETS[code].html_lang}">' in page
    assert str(escape(translated(code, "Page not found"))) in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("code", MARKETS)
def test_every_path_under_a_market_is_its_404_page(client, code):
    for shape in SHAPES:
        assert_localized_404(client.http.get(f"/{code}/{shape}"), code)


@pytest.mark.parametrize("code", MARKETS)
def test_head_of_a_deep_path_is_a_404_without_a_body(client, code):
    response = client.http.head(f"/{code}/a/b/c/d/e")
    assert response.status_code == 404 and body(response) == ""
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/fr-fr/", "/fr-fr/l/laptops", "/fr-fr/a/b/c/d", "/"])
def test_other_methods_are_a_405_page_that_says_what_the_address_takes(client, method, path):
    response = client.http.request(
        method, path, headers={"Content-Type": "text/plain", "Accept-Language": "fr-FR"}, body=b"x"
    )
    page = body(response)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="fr-FR">' in page
    assert str(escape(translated("fr-fr", "This address only shows a page"))) in page
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" in response.headers


ESCAPED = [
    "p/caf%C3%A9",
    "p/a%20b",
    "p/a%2Fb",
    "l/%F0%9F%99%82",
    "search?q=caf%C3%A9%20cr%C3%A8me",
    "l/laptops?brand=a%2Fb&sort=price-asc",
    "p/%E6%97%A5%E6%9C%AC",
    "legal/terms#top",
]


@pytest.mark.parametrize("rest", ESCAPED)
@pytest.mark.parametrize("spelling", ["FR-FR", "Fr-fr", "fr_FR", "FR_fr"])
def test_the_lower_casing_redirect_keeps_escapes_as_they_were(client, spelling, rest):
    path = rest.split("#")[0]
    response = client.http.get(f"/{spelling}/{path}")
    assert response.status_code == 301
    location = response.headers["Location"]
    assert location == f"/fr-fr/{path}", location
    assert "%25" not in location
    again = client.http.get(location.replace("/fr-fr/", f"/{spelling}/", 1))
    assert again.headers["Location"] == location  # a second hop: the same address


def test_raw_unicode_and_stray_percent_signs_are_escaped_once_then_kept(client):
    first = client.http.get("/FR-FR/p/café%zz").headers["Location"]
    assert first == "/fr-fr/p/caf%C3%A9%25zz"
    assert client.http.get(first.replace("/fr-fr/", "/FR-FR/")).headers["Location"] == first


@pytest.mark.parametrize("code", MARKETS)
def test_every_market_redirects_its_upper_case_spelling_with_the_query(client, code):
    response = client.http.get(f"/{code.upper()}/search?q=%C3%A9t%C3%A9&q=x%00y")
    assert response.status_code == 301
    # The query as parsed, sent again: a NUL is a control character and is not kept.
    assert response.headers["Location"] == f"/{code}/search?q=%C3%A9t%C3%A9&q=xy"
