"""Forged links and mangled stored text are pages in the market's language, never a 500."""

import base64
import json

import pytest

from chalicelib.catalog.repository import CatalogRepository
from tests.conftest import body, stage_client
from tests.dynamodb_faults import translated

EXPIRED = "This page link has expired. Start again from the first page."


def read(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def forge(cursor: str, **changes) -> str:
    """A cursor this listing handed out, with some of its fields rewritten."""
    return raw(json.dumps({**read(cursor), **changes}))


def raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture(scope="module")
def cursors(shop_table):
    """Real next-page cursors of a listing and a search in fr-fr."""
    repo = CatalogRepository(shop_table)
    listing = repo.listing("fr-fr", "smartphones", page_size=1).next_cursor
    search = repo.search("fr-fr", ["apple"], page_size=1).next_cursor
    assert listing and search
    return {"listing": listing, "search": search}


FORGERIES = {
    "a count that is true": lambda c: forge(c, n=True),
    "an offset that is true": lambda c: forge(c, o=True),
    "a count of 10**28": lambda c: forge(c, n=10**28),
    "an offset of 10**28": lambda c: forge(c, o=10**28, n=None),
    "a negative offset": lambda c: forge(c, o=-1),
    "a count that is a float": lambda c: forge(c, n=1.5),
    "an infinite count": lambda c: forge(c, n=float("inf")),
    "JSON nested too deep": lambda c: raw("[" * 100_000),
    "a number too long to read": lambda c: raw('{"k":{},"n":' + "9" * 5000 + ',"o":0}'),
    "half a surrogate pair in the key": lambda c: forge(
        c, k={**read(c)["k"], "SK": read(c)["k"]["SK"] + "\ud800"}
    ),
    "not base64": lambda c: "%%%",
}


@pytest.mark.parametrize("page", ["listing", "search"])
@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_forged_cursor_is_the_expired_link_page(client, cursors, page, forgery):
    cursor = FORGERIES[forgery](cursors[page])
    path = "/fr-fr/l/smartphones" if page == "listing" else "/fr-fr/search?q=apple"
    sep = "&" if "?" in path else "?"
    response = client.http.get(f"{path}{sep}cursor={cursor}")
    page_html = body(response)
    assert response.status_code == 400, forgery
    assert translated("fr-fr", EXPIRED).replace("'", "&#39;") in page_html
    assert '<html lang="fr-FR">' in page_html and "Traceback" not in page_html


def test_the_real_cursors_still_lead_to_the_next_page(client, cursors):
    listing = client.http.get(f"/fr-fr/l/smartphones?cursor={cursors['listing']}")
    search = client.http.get(f"/fr-fr/search?q=apple&cursor={cursors['search']}")
    assert listing.status_code == 200 and search.status_code == 200


class MangledText:
    """A table whose items come back with half a surrogate pair in their description.

    DynamoDB (and moto) refuse to store one; a table read through another client may not.
    """

    def __init__(self, table) -> None:
        self.table = table

    def get_item(self, **kwargs):
        answer = self.table.get_item(**kwargs)
        item = dict(answer["Item"])
        item["description"] = "Half a pair \ud83d, then the rest. " + item["description"]
        item["digest"] = "mangled"  # parsed afresh, not from the cache of the clean item
        return {**answer, "Item": item}


def test_half_a_surrogate_pair_in_stored_text_is_shown_not_a_500(shop_table):
    with stage_client(MangledText(shop_table)) as client:
        response = client.http.get("/en-gb/p/apple-iphone-13")
    page = body(response)
    assert response.status_code == 200 and "ETag" in response.headers
    assert "then the rest." in page and "\ud83d" not in page
