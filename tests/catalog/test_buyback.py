"""Buy-back grids: validated like the catalog, written per trade-in market, read in one request."""

from __future__ import annotations

import contextlib
import copy
import json

import pytest

from chalicelib.catalog import keys
from chalicelib.catalog.importer.buyback import TRADE_IN
from chalicelib.catalog.importer.fields import RecordError
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests.catalog.test_atomic_load import Killed, Killer, items_of
from tests.catalog.test_importer import catalog
from tests.conftest import RequestCounter

PHONE, WATCH, OLD = "apple-iphone-12", "apple-watch-series-6", "apple-iphone-6s"
DEVICES = [
    {"id": PHONE, "category": "smartphones", "brand": "Apple", "model": "iPhone 12",
     "year": 2020, "storage_gb": [64, 128], "battery": True},
    {"id": WATCH, "category": "smartwatches", "brand": "Apple", "model": "Watch Series 6",
     "year": 2020, "storage_gb": [None], "battery": True},
    {"id": OLD, "category": "smartphones", "brand": "Apple", "model": "iPhone 6s",
     "year": 2015, "storage_gb": [32, 64], "battery": True, "listed_in": list(TRADE_IN)},
]  # fmt: skip


def grid(refurbisher: str, market: str, level: int = 0, version: str = "2026-11-28.1") -> dict:
    """A grid pricing the phone in both sizes and the watch; ``level`` moves every price."""
    return {
        "refurbisher": refurbisher,
        "market": market,
        "version": version,
        "prices": [
            {"device": PHONE, "storage_gb": 64, "flawless": 16000 + level, "good": 14000,
             "fair": 11000, "damaged": 5000},
            {"device": PHONE, "storage_gb": 128, "flawless": 18000 + level, "good": 16000,
             "fair": 12500, "damaged": None, "faulty": 2000},
            {"device": WATCH, "storage_gb": None, "flawless": 7000 + level, "good": 6000},
        ],
    }  # fmt: skip


def buyback_catalog(grids: list[dict] | None = None) -> dict:
    """No product; shop-a and shop-b buy in the five trade-in markets, shop-eu in Europe only."""
    data = catalog()
    data["refurbishers"].append(
        {"id": "shop-eu", "name": "Shop EU", "country": "FR", "rating": 4.1, "reviews": 5,
         "stages": ["eu"], "shipping": {}}
    )  # fmt: skip
    data["buyback_devices"] = copy.deepcopy(DEVICES)
    if grids is None:
        grids = [
            grid(r, m, level=100 * i) for m in TRADE_IN for i, r in enumerate(("shop-a", "shop-b"))
        ]
    data["buyback"] = grids
    return data


def buyback_keys(table) -> set[tuple[str, str]]:
    return {k for k in items_of(table) if k[0].startswith("B#") or k[1].startswith("BUYBACK#")}


def buyers(table, market: str, device: str = PHONE) -> list[str]:
    item = table.get_item(Key=keys.buyback_device(market, device)).get("Item")
    return [g["r"] for g in json.loads(item["grids"])] if item else []


def test_the_five_trade_in_markets_are_the_registry_s():
    assert TRADE_IN == ("fr-fr", "de-de", "es-es", "en-gb", "en-us")


def test_a_load_writes_the_index_and_devices_of_each_trade_in_market_and_no_other(make_table):
    table = make_table()
    report = load(table, buyback_catalog())
    assert not report.rejections and report.buyback_grids == 10
    expected = set()
    for code in TRADE_IN:
        expected |= {tuple(keys.buyback_index(code).values())}
        expected |= {tuple(keys.buyback_device(code, d).values()) for d in (PHONE, WATCH, OLD)}
        expected |= {tuple(keys.buyback_manifest(code).values())}
    assert buyback_keys(table) == expected
    manifest = table.get_item(Key=keys.buyback_manifest("en-gb"))["Item"]
    assert len(manifest["keys"]) == 4 and "pending" not in manifest
    assert buyers(table, "es-es") == ["shop-a", "shop-b"] and buyers(table, "es-es", OLD) == []
    assert load(table, buyback_catalog()).items_deleted == 0  # loading again changes nothing


def _unknown_refurbisher(data):
    data["buyback"][0]["refurbisher"] = "nobody"


def _rising(data):
    data["buyback"][0]["prices"][0]["fair"] = 14500  # good pays 14,000


def _storage(data):
    data["buyback"][0]["prices"][1]["storage_gb"] = 512


def _no_trade_in(data):
    data["buyback"][0]["market"] = "it-it"


def _stage(data):
    data["buyback"][8]["refurbisher"] = "shop-eu"  # shop-a's en-us grid


def _duplicate(data):
    data["buyback"].append(grid("shop-a", "fr-fr", level=900))


@pytest.mark.parametrize(
    "breaks, index, message, market, left",
    [
        (_rising, 0, "(shop-a fr-fr) prices[0].fair: pays 14,500 for fair but 14,000 for good",
         "fr-fr", ["shop-b"]),
        (_storage, 0, "(shop-a fr-fr) prices[1].storage_gb: must be one of [64, 128] for"
         f" {PHONE}, got 512", "fr-fr", ["shop-b"]),
        (_unknown_refurbisher, 0, "(nobody fr-fr) refurbisher: is not a known refurbisher",
         "fr-fr", ["shop-b"]),
        (_no_trade_in, 0, "(shop-a it-it) market: has no trade-in; trade-in markets are"
         " fr-fr, de-de, es-es, en-gb, en-us", "fr-fr", ["shop-b"]),
        (_stage, 8, "(shop-eu en-us) refurbisher: shop-eu serves the stages eu, not us",
         "en-us", ["shop-b"]),
        (_duplicate, 10, "(shop-a fr-fr) market: repeats buyback[0]: one grid per refurbisher",
         "fr-fr", ["shop-a", "shop-b"]),
    ],
)  # fmt: skip
def test_a_bad_grid_is_refused_with_its_message_and_nothing_of_it_written(
    make_table, breaks, index, message, market, left
):
    table = make_table()
    data = buyback_catalog()
    breaks(data)
    report = load(table, data)
    rejections = [str(r) for r in report.rejections]
    assert len(rejections) == 1 and rejections[0].startswith(f"buyback[{index}] {message}")
    assert buyers(table, market) == buyers(table, market, WATCH) == left
    item = table.get_item(Key=keys.buyback_device(market, PHONE))["Item"]
    assert (
        "14500" not in item["grids"] and "512" not in item["grids"] and "1690" not in item["grids"]
    )
    assert not any(pk.startswith("B#it-it") for pk, _ in items_of(table))


def test_a_bad_device_refuses_the_whole_file(make_table):
    table = make_table()
    data = buyback_catalog()
    data["buyback_devices"][0]["storage_gb"] = [128, 64]
    with pytest.raises(RecordError, match=r"^buyback_devices\[0\]\.storage_gb: must be 1 to 16"):
        load(table, data)
    assert items_of(table) == {}


def test_a_reload_removes_what_the_file_no_longer_has(make_table):
    table = make_table()
    load(table, buyback_catalog())
    data = buyback_catalog()
    data["buyback"] = [
        g for g in data["buyback"] if (g["refurbisher"], g["market"]) != ("shop-b", "en-us")
    ]
    for g in data["buyback"]:
        g["prices"] = [row for row in g["prices"] if row["device"] != WATCH]
    report = load(table, data)
    assert not report.rejections and report.items_deleted == 5  # the watch, in five markets
    assert buyers(table, "en-us") == ["shop-a"] and buyers(table, "fr-fr") == ["shop-a", "shop-b"]
    index = json.loads(table.get_item(Key=keys.buyback_index("en-us"))["Item"]["devices"])
    assert [d["i"] for d in index] == [OLD, PHONE]  # numbers sort as numbers: 6s before 12
    load(table, buyback_catalog(grids=[]))  # the old phone is still listed: only it is left
    left = buyback_keys(table)
    assert {pk for pk, _ in left if pk.startswith("B#")} == {
        pk for code in TRADE_IN for pk in (f"B#{code}", f"B#{code}#{OLD}")
    }
    data = buyback_catalog(grids=[])
    data["buyback_devices"][2].pop("listed_in")
    load(table, data)
    assert buyback_keys(table) == set()


def test_a_rejected_grid_keeps_what_the_last_load_wrote_of_it(make_table):
    table = make_table()
    load(table, buyback_catalog())
    before = table.get_item(Key=keys.buyback_device("de-de", PHONE))["Item"]
    data = buyback_catalog()
    data["buyback"][2]["version"] = "v2"  # shop-a de-de, newer and broken
    data["buyback"][2]["prices"][0]["good"] = 99999
    data["buyback"][3]["prices"][0]["flawless"] = 17777  # shop-b de-de, valid
    report = load(table, data)
    assert [r.product_id for r in report.rejections] == ["shop-a de-de"]
    after = json.loads(table.get_item(Key=keys.buyback_device("de-de", PHONE))["Item"]["grids"])
    assert after[0] == json.loads(before["grids"])[0]  # shop-a as loaded before
    assert after[1]["p"]["64"]["flawless"] == 17777


def _kill_catalog(grids: list[dict]) -> dict:
    """The buy-back catalog with 20 more phones, so that a market's items take two batches."""
    data = buyback_catalog(grids)
    extra = [{**DEVICES[0], "id": f"test-phone-{n}", "model": f"Phone {n}"} for n in range(20)]
    tablet = {**DEVICES[1], "id": "apple-ipad-9th-gen", "category": "tablets", "model": "iPad"}
    data["buyback_devices"] += [*extra, tablet]
    for g in grids:
        g["prices"] += [{**g["prices"][0], "device": d["id"]} for d in extra]
    return data


def _shop_a_in_france(table) -> tuple[dict[str, list[dict]], list[str]]:
    """shop-a's fr-fr entries by device, and the table with them taken out."""
    entries, rest = {}, []
    for key, item in sorted(items_of(table).items()):
        if key[0].startswith("B#fr-fr#"):
            grids = json.loads(item["grids"])
            entries[key[0]] = [g for g in grids if g["r"] == "shop-a"]
            item = {**item, "grids": [g for g in grids if g["r"] != "shop-a"]}
        rest.append(json.dumps([key, item], sort_keys=True, default=str))
    return entries, rest


def test_a_killed_load_is_cleaned_by_the_next_and_a_rejected_grid_never_mixes_two(make_table):
    first = _kill_catalog([grid(r, "fr-fr") for r in ("shop-a", "shop-b")])
    killed_grids = [grid(r, "fr-fr", level=50, version="v2") for r in ("shop-a", "shop-b")]
    killed = _kill_catalog(killed_grids)
    killed["buyback"].append(
        {
            "refurbisher": "shop-a",
            "market": "en-gb",
            "version": "v2",
            "prices": [{"device": "apple-ipad-9th-gen", "storage_gb": None, "flawless": 9000}],
        }
    )  # fmt: skip: a key that only the killed load writes
    nxt = _kill_catalog([grid(r, "fr-fr", level=70, version="v3") for r in ("shop-a", "shop-b")])
    nxt["buyback"][0]["prices"][0]["good"] = 99999  # shop-a's grid is refused
    loaded = {}
    for name, data in (("next", nxt), ("first", first), ("killed", killed)):
        table = make_table()
        load(table, data)
        loaded[name] = _shop_a_in_france(table)
    assert not any(loaded["next"][0].values())  # a clean load has no shop-a: its grid is bad
    kill_at, dead = 0, True
    while dead:
        kill_at += 1
        table = make_table()
        load(table, first)
        killer = Killer(table, kill_at=kill_at)
        with contextlib.suppress(Killed):
            load(table, killed)
        killer.close()
        dead = killer.dead
        load(table, nxt, break_lease=dead)
        entries, rest = _shop_a_in_france(table)
        assert rest == loaded["next"][1], kill_at
        # shop-a keeps a whole earlier grid, or none after a half-written one: never a mix.
        carried = [loaded["first"][0], loaded["killed"][0]]
        assert not any(entries.values()) or entries in carried, kill_at
    assert kill_at > 5


def test_the_repository_reads_an_index_and_a_device_in_one_request_each(make_table):
    table = make_table()
    load(table, buyback_catalog())
    repository = CatalogRepository(table)
    counter = RequestCounter(table)
    try:
        index = repository.buyback_index("en-gb", "GBP")
        device = repository.buyback_device("en-gb", PHONE, "GBP")
        calls = list(counter.calls)
        assert repository.buyback_index("it-it", "EUR") is None
        assert repository.buyback_device("en-gb", "apple-iphone-99", "GBP") is None
        assert repository.buyback_device("en-gb", "x" * 3000, "GBP") is None  # no request
    finally:
        counter.close()
    assert calls == ["GetItem", "GetItem"] and counter.calls[2:] == ["GetItem", "GetItem"]
    assert [d.id for d in index.devices] == [OLD, PHONE, WATCH]
    assert index.device(WATCH).storage_gb == (None,) and index.device(OLD).year == 2015
    assert device.market == "en-gb" and device.device.storage_gb == (64, 128)
    shop_a, shop_b = device.grids
    assert (shop_a.refurbisher, shop_a.name, shop_a.rating) == ("shop-a", "Shop A", 4.5)
    assert shop_b.price(64, "flawless") == Money(16100, "GBP")
    assert shop_a.price(128, "damaged") is None and shop_a.price(128, "faulty") == Money(
        2000, "GBP"
    )
    watch = repository.buyback_device("en-gb", WATCH, "GBP")
    assert watch.grids[0].price(None, "good") == Money(6000, "GBP")


def test_the_demo_has_competing_buyers_for_each_device_but_the_too_old(tradein_table):
    # tradein_table is loaded from the demo catalog's buy-back part, and refused nothing.
    repository = CatalogRepository(tradein_table)
    for code in MARKETS:
        index = repository.buyback_index(code, MARKETS[code].currency)
        assert (index is None) == (code not in TRADE_IN), code
        if index is None:
            continue
        assert len(index.devices) >= 20, code
        counts = {
            d.id: len(repository.buyback_device(code, d.id, MARKETS[code].currency).grids)
            for d in index.devices
        }
        too_old = {did for did, n in counts.items() if n == 0}
        assert too_old and {d.year for d in index.devices if d.id in too_old} <= {2015, 2016}
        assert min(n for n in counts.values() if n) >= 2, code
        assert {d.category for d in index.devices} >= {
            "smartphones",
            "tablets",
            "laptops",
            "consoles",
            "smartwatches",
        }
