"""An edited cursor is the expired-link page in the market's language, never a huge count."""

import base64
import json

import pytest
from markupsafe import escape

from chalicelib.catalog.cursor import encode_cursor
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n.formatting import Formatter
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.settings import Settings
from tests.conftest import body
from tests.dynamodb_faults import translated

EXPIRED = "This page link has expired. Start again from the first page."


def read(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def write(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.fixture(scope="module")
def first_pages(shop_table):
    """A real first page (one product per page) of each market's smartphones, and its cursor."""
    repo = CatalogRepository(shop_table)
    return {code: repo.listing(code, "smartphones", page_size=1) for code in MARKETS}


@pytest.mark.parametrize("code", MARKETS)
def test_a_cursor_claiming_a_billion_results_is_refused(client, first_pages, code):
    cursor = first_pages[code].next_cursor
    data = read(cursor)
    billion = Formatter(MARKETS[code]).number(10**9)
    for forged in ({**data, "n": 10**9}, {**data, "o": 10**9 - 1}, {**data, "n": 10**9, "s": ""}):
        response = client.http.get(f"/{code}/l/smartphones?cursor={write(forged)}")
        page = body(response)
        assert response.status_code == 400
        assert f'<html lang="{MARKETS[code].html_lang}">' in page
        assert str(escape(translated(code, EXPIRED))) in page
        assert billion not in page


@pytest.mark.parametrize("code", MARKETS)
def test_the_real_cursor_still_shows_the_real_count(client, first_pages, code):
    first = first_pages[code]
    response = client.http.get(f"/{code}/l/smartphones?cursor={first.next_cursor}")
    assert response.status_code == 200
    assert Formatter(MARKETS[code]).number(first.total) in body(response)


def test_a_cursor_signed_by_another_stage_is_refused(client, first_pages):
    data = read(first_pages["fr-fr"].next_cursor)
    other = Settings.from_env({"STAGE": "eu"}).cursor_key
    forged = encode_cursor(data["k"], 10**9, data["o"], signing_key=other)
    response = client.http.get(f"/fr-fr/l/smartphones?cursor={forged}")
    assert response.status_code == 400
    assert str(escape(translated("fr-fr", EXPIRED))) in body(response)


def test_a_search_cursor_is_signed_too(client, shop_table):
    cursor = CatalogRepository(shop_table).search("de-de", ["apple"], page_size=1).next_cursor
    assert client.http.get(f"/de-de/search?q=apple&cursor={cursor}").status_code == 200
    forged = write({**read(cursor), "o": 10**9})
    response = client.http.get(f"/de-de/search?q=apple&cursor={forged}")
    assert response.status_code == 400
    assert '<html lang="de-DE">' in body(response)
