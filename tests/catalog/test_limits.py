"""Hostile records: what DynamoDB or a page would refuse is refused first, by position and field.

Each bad record is rejected whole, nothing of it is written, and the records around it load;
what does load can be shown and linked by the pages.
"""

import copy

import pytest

from chalicelib.catalog import keys, limits
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.validation import RecordError
from chalicelib.kernel.markets import MARKETS
from tests.catalog.test_importer import catalog, record
from tests.conftest import body, stage_client


def _with(change):
    bad = record("apple-iphone-13")
    change(bad)
    return bad


def _set(path, value):
    def change(raw):
        target = raw
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _every_description(text):
    return lambda raw: raw.__setitem__("description", {lang: text for lang in raw["description"]})


def _many_offers(raw):
    offer = raw["markets"]["fr-fr"]["offers"][0]
    raw["markets"]["fr-fr"]["offers"] = [dict(offer, price=30000 + i) for i in range(7000)]


HOSTILE = {
    "a number of 40 digits": (_set(["popularity"], 10**40), "popularity"),
    "a stock of 10^28": (
        _set(["markets", "fr-fr", "offers", 0, "stock"], 10**28),
        "markets.fr-fr.offers[0].stock",
    ),
    "a 1,100-letter word in the title": (_set(["title"], {"en": "x" * 1100}), "title.en"),
    "a 150-letter word in a short title": (_set(["title"], {"en": "Phone " + "x" * 150}), "title"),
    "a 2,100-character brand": (_set(["brand"], "B" * 2100), "brand"),
    "a brand whose slug is 65 characters": (_set(["brand"], "b" * 65), "brand"),
    "an 81-character id": (_set(["id"], "apple-" + "x" * 75), "id"),
    "a 450 KB description": (_every_description("word " * 90_000), "description.fr"),
    "a right-to-left override": (_every_description("Ok\u202eevil"), "description.fr"),
    "a zero-width space": (_set(["model"], "iPhone\u200b 13"), "model"),
    "a control character": (_every_description("bell\x07"), "description.fr"),
    "a lone surrogate": (_set(["model"], "iPhone \ud800"), "model"),
    "an item over 400 KB": (_many_offers, "markets.fr-fr"),
    "an infinite screen": (_set(["screen_in"], float("inf")), "screen_in"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_record_is_refused_by_field_and_nothing_of_it_is_written(make_table, name):
    change, field = HOSTILE[name]
    table = make_table()
    good = record("apple-iphone-12")
    report = load(table, catalog(good, _with(change), record("google-pixel-7", brand="Google")))
    assert [r.index for r in report.rejections] == [1], [str(r) for r in report.rejections]
    error = report.rejections[0].errors[0]
    assert error.path == field, str(error)
    assert str(error).startswith(f"{field}: ")
    ids = {item["PK"] for item in table.scan()["Items"]}
    assert not any("iphone-13" in pk or "x" * 20 in pk for pk in ids)
    assert table.get_item(Key=keys.product("fr-fr", "google-pixel-7")).get("Item")


def test_a_refurbisher_with_an_impossible_rating_rejects_the_file(make_table):
    data = catalog(record("apple-iphone-13"))
    data["refurbishers"][0]["rating"] = float("inf")
    with pytest.raises(RecordError, match=r"refurbishers\[0\]\.rating"):
        load(make_table(), data)


def test_text_is_stored_in_nfc(make_table):
    raw = record("apple-iphone-13")
    raw["model"] = "Cafe\u0301 13"  # e + combining acute
    table = make_table()
    load(table, catalog(raw))
    item = table.get_item(Key=keys.product("fr-fr", "apple-iphone-13"))["Item"]
    assert item["model"] == "Caf\u00e9 13"


def test_the_longest_id_and_brand_that_load_can_be_shown_and_linked(make_table):
    pid = "apple-" + "x" * (limits.MAX_SLUG - 6)
    brand = "b" * limits.MAX_SLUG
    raw = copy.deepcopy(record(pid, brand=brand))
    table = make_table()
    assert not load(table, catalog(raw)).rejections
    with stage_client(table) as client:
        for code in ("fr-fr", "ja-jp"):
            assert client.http.get(f"/{code}/p/{pid}").status_code == 200
            listing = client.http.get(f"/{code}/l/smartphones?brand={brand}")
            assert listing.status_code == 200 and f"/{code}/p/{pid}" in body(listing)
    too_long = "a" * (limits.MAX_SLUG + 1)
    with stage_client(table) as client:
        assert client.http.get(f"/fr-fr/p/{too_long}").status_code == 404
        assert client.http.get(f"/fr-fr/l/smartphones?brand={too_long}").status_code == 400


@pytest.mark.parametrize("code", list(MARKETS))
def test_every_market_text_limit_holds_for_the_demo(demo_catalog, code):
    """The demo catalog, real texts in 12 languages, fits every limit with room to spare."""
    for product in demo_catalog["products"]:
        for text in product["description"].values():
            assert limits.text_problem(limits.normalized(text), "description", True) is None
