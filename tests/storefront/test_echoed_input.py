"""What a page repeats of its address is short and clean: no amplification, no controls."""

import re

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.web.http import Request, clean, escaped_path
from tests.conftest import body

PARAMS = ["q", "brand", "grade", "sort", "min", "max", "cursor", "storage", "color", "choose"]
PAGES = ["/{code}/search?q=apple", "/{code}/l/laptops", "/{code}/p/apple-iphone-13", "/{code}/"]
HUGE = "x" * 60_000
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def size(response) -> int:
    return len(response.body)


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("page", PAGES)
def test_a_60000_character_parameter_gives_a_page_of_ordinary_size(client, page, param):
    path = page.format(code="el-gr")
    sep = "&" if "?" in path else "?"
    ordinary = client.http.get(f"{path}{sep}{param}=x")
    huge = client.http.get(f"{path}{sep}{param}={HUGE}")
    assert huge.status_code < 500
    assert '<html lang="el-GR">' in body(huge)
    # At most what a 100-character value repeated in the language links would add.
    assert size(huge) < max(size(ordinary), 1) + 4_000, (size(ordinary), size(huge))
    assert "x" * 101 not in body(huge)


@pytest.mark.parametrize("code", MARKETS)
def test_a_long_search_is_a_short_page_in_the_market_language(client, code):
    response = client.http.get(f"/{code}/search?q={HUGE}")
    assert response.status_code in (200, 400)  # cut to a search, or refused: never echoed
    assert f'<html lang="{MARKETS[code].html_lang}">' in body(response)
    assert size(response) < 64_000 and "x" * 101 not in body(response)


def test_a_60000_character_path_is_an_ordinary_404_page(client):
    ordinary = client.http.get("/ja-jp/no-such-page")
    huge = client.http.get(f"/ja-jp/{'y' * 60_000}")
    assert huge.status_code == 404
    assert size(huge) < size(ordinary) + 1_000 and "y" * 101 not in body(huge)


@pytest.mark.parametrize("code", MARKETS)
def test_control_and_bidi_characters_are_never_echoed(client, code):
    sent = "ph%00o%01n%1Fe%7F%C2%85%E2%80%AE%E2%80%AA%E2%81%A6%E2%81%A9%E2%80%8F"
    response = client.http.get(f"/{code}/search?q={sent}&brand=a%00b")
    page = body(response)
    assert response.status_code == 200
    assert not INVISIBLE.search(page)
    assert "phone" in page  # what was typed, without what no one types
    assert "%00" not in page and "\x00" not in page


def test_a_nul_is_never_sent_back_raw_in_a_redirect(client):
    location = client.http.get("/FR-FR/search?q=a%00b%E2%80%AEc").headers["Location"]
    assert location == "/fr-fr/search?q=abc"


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("a\x00b", "ab"),
        ("\t tab\n", " tab"),
        ("a\u202eb\u2066c\u2069", "abc"),
        ("\x85\x9f\x7f", ""),
        ("\ud800x", "x"),  # half a surrogate pair, as API Gateway's JSON can spell it
        ("téléphone 🙂 👩‍👩‍👧", "téléphone 🙂 👩‍👩‍👧"),  # joiners in emoji stay
        ("x" * 10_000, "x" * 4096),
    ],
)
def test_every_query_argument_is_cleaned_at_the_boundary(raw, cleaned):
    request = Request(path="/fr-fr/search", query={"q": ["first", raw]})
    assert request.arg("q") == clean(raw) == cleaned
    assert request.pairs() == [("q", "first"), ("q", cleaned)]


@pytest.mark.parametrize(
    "path",
    ["a b", "café", "caf%C3%A9", "%2F", "%zz", "%", "日本/語", "a%20b/%E2%82%AC", "\ud800", "'()*"],
)
def test_escaping_a_path_is_idempotent_and_keeps_escapes(path):
    once = escaped_path(path)
    assert escaped_path(once) == once
    assert once.isascii() and " " not in once
    if re.fullmatch(r"(?:[A-Za-z0-9/.'()*-]|%[0-9A-Fa-f]{2})*", path):
        assert once == path  # an already escaped path is left exactly as it was
