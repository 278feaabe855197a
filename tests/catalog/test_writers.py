"""One writer at a time, and the cases a review found: repeats, kills before rejections, feeds."""

import contextlib

import pytest

from chalicelib.catalog import keys
from chalicelib.catalog.importer import lease
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.offers import update_offers, validate_feed
from chalicelib.catalog.importer.validation import RecordError, validate_catalog
from tests.catalog.test_atomic_load import FIRST, Killed, Killer, items_of, product
from tests.catalog.test_importer import catalog
from tests.catalog.test_offer_updates import row


def test_a_second_writer_is_refused_while_the_first_holds_the_lease(make_table):
    table = make_table()
    load(table, FIRST)
    with lease.holding(table, "offer update"):
        with pytest.raises(lease.TableBusy, match="a offer update holds|an? offer update holds"):
            load(table, FIRST)
        with pytest.raises(lease.TableBusy):
            update_offers(table, validate_feed([row("apple-iphone-12")])[0])
    assert not table.get_item(Key=lease.LEASE_KEY).get("Item")  # released
    assert not load(table, FIRST).rejections


def test_a_dead_writers_lease_expires_or_is_broken(make_table):
    table = make_table()
    killer = Killer(table, kill_at=3)
    with contextlib.suppress(Killed):
        load(table, FIRST)
    killer.close()
    assert table.get_item(Key=lease.LEASE_KEY)["Item"]["what"] == "load"
    with pytest.raises(lease.TableBusy, match="break its lease"):
        load(table, FIRST)
    load(table, FIRST, break_lease=True)
    with lease.holding(table, "load", seconds=0):
        pass
    table.put_item(Item={**lease.LEASE_KEY, "owner": "gone", "what": "load", "until": 1})
    assert not load(table, FIRST).rejections  # an expired lease is taken over


def test_a_repeated_id_counts_once(make_table):
    table = make_table()
    load(table, FIRST)
    twice = catalog(
        product("apple-iphone-11"), product("apple-iphone-12"), product("apple-iphone-12")
    )
    report = load(table, twice)
    assert [r.index for r in report.rejections] == [2]
    clean = make_table()
    load(clean, FIRST)
    assert items_of(table) == items_of(clean)


def test_a_product_rejected_after_a_killed_load_goes_as_in_a_clean_load(make_table):
    """Kept only if the killed load never journaled it; else gone, as a clean load has it."""
    bad = product("apple-iphone-12")
    bad["year"] = "soon"
    rejecting = catalog(product("apple-iphone-11"), bad)
    clean = items_of(_loaded(make_table(), rejecting))
    kept = items_of(_loaded(_loaded(make_table(), FIRST), rejecting))
    journaled = 0
    for kill_at in range(2, 10):
        table = make_table()
        load(table, FIRST)
        killer = Killer(table, kill_at=kill_at)
        with contextlib.suppress(Killed):
            load(
                table, catalog(product("apple-iphone-11"), product("apple-iphone-12", price=29900))
            )
        killer.close()
        if not killer.dead:
            continue
        journal = table.get_item(Key=keys.LOAD_MANIFEST)["Item"]
        pending = "apple-iphone-12" in journal.get("pending", [])
        journaled += pending
        report = load(table, rejecting, break_lease=True)
        assert [r.product_id for r in report.rejections] == ["apple-iphone-12"]
        assert items_of(table) == (clean if pending else kept), kill_at
    assert journaled  # most kill points fall after the journal


def _loaded(table, data):
    load(table, data)
    return table


def test_a_product_whose_manifest_would_outgrow_an_item_is_refused(make_table, monkeypatch):
    from chalicelib.catalog import limits

    monkeypatch.setattr(limits, "MAX_ITEM_BYTES", 12_000)  # half: under the 7 KB manifests
    table = make_table()
    report = load(table, FIRST)
    assert {r.errors[0].path for r in report.rejections} == {"markets"}
    assert "makes a manifest of" in str(report.rejections[0])
    assert not table.get_item(Key=keys.product("fr-fr", "apple-iphone-11")).get("Item")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"refurbisher": "shop-b"}, "refurbisher"),
        ({"price": "²"}, "price"),
        ({"stock": "①"}, "stock"),
        ({"market": ["fr-fr"]}, "market"),
        ({"color": {"black": 1}}, "color"),
        ({"storage_gb": "¹²⁸"}, "storage_gb"),
    ],
)
def test_a_feed_row_that_is_not_one_is_refused_without_a_crash(change, field):
    changes, refused = validate_feed([{**row("apple-iphone-12"), **change}], "shop-a")
    assert not changes and refused[0].errors[0].path == field, str(refused[0])


def test_a_number_of_400_digits_is_a_record_error():
    data = catalog(product("apple-iphone-11"))
    data["products"][0]["screen_in"] = 10**400
    valid, rejections = validate_catalog(data)
    assert not valid and rejections[0].errors[0].path == "screen_in"
    data["refurbishers"][0]["rating"] = 10**400
    with pytest.raises(RecordError, match="rating"):
        validate_catalog(data)


def test_an_arabic_letter_mark_is_refused_like_other_bidi_marks():
    from chalicelib.catalog import limits

    assert "U+061C" in limits.text_problem("abc\u061cdef", "model")
    assert limits.text_problem("Stoß\u00addämpfer", "model") is None  # soft hyphens stay
