"""The catalog loader: validation with positions, all-or-nothing per product, idempotence."""

import copy
import json
import re

import pytest
from boto3.dynamodb.conditions import Key

from chalicelib.catalog import keys
from chalicelib.catalog.importer.items import plan, search_terms
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.validation import RecordError
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import MARKETS
from tools import load_catalog

CATEGORIES = ("smartphones", "laptops", "tablets", "smartwatches", "consoles", "headphones")
LANGUAGES = ("en", "fr", "nl", "de", "es", "it", "pt_PT", "fi", "sv", "el", "sk", "ja")


def record(pid, category="smartphones", brand="Apple", price=34900, popularity=50):
    """A valid product sold in every market."""

    def market_entry(market):
        return {
            "currency": market.currency,
            "new_price": {"128": 80900},
            "offers": [
                {
                    "refurbisher": "shop-a",
                    "storage_gb": 128,
                    "color": "black",
                    "grade": "good",
                    "price": price,
                    "stock": 4,
                    "warranty_months": market.warranty_months,
                    "battery_health": 88,
                },
                {
                    "refurbisher": "shop-b",
                    "storage_gb": 128,
                    "color": "black",
                    "grade": "excellent",
                    "price": price + 5000,
                    "stock": 2,
                    "warranty_months": market.warranty_months + 12,
                    "battery_health": None,
                },
            ],
        }

    return {
        "id": pid,
        "category": category,
        "brand": brand,
        "model": pid.split("-", 1)[1].title(),
        "year": 2021,
        "popularity": popularity,
        "colors": ["black"],
        "storage_gb": [128],
        "screen_in": 6.1,
        "weight_g": 174,
        "description": {lang: f"Text in {lang}" for lang in LANGUAGES},
        "markets": {code: market_entry(m) for code, m in MARKETS.items()},
    }


def catalog(*products):
    return {
        "schema": 1,
        "refurbishers": [
            {
                "id": "shop-a",
                "name": "Shop A",
                "country": "FR",
                "rating": 4.5,
                "reviews": 10,
                "since": 2018,
                "stages": ["eu", "us", "ap"],
                "shipping": {code: {"days": [2, 4], "price": 0} for code in MARKETS},
            },
            {
                "id": "shop-b",
                "name": "Shop B",
                "country": "DE",
                "rating": 4.8,
                "reviews": 99,
                "since": 2019,
                "stages": ["eu", "us", "ap"],
                "shipping": {
                    code: {"days": [3, 6], "price": 590, "free_from": 15000} for code in MARKETS
                },
            },
        ],  # fmt: skip
        "co2e": {c: {"kg_avoided": 40, "source": "Test study 2022"} for c in CATEGORIES},
        "products": list(products),
    }


def all_keys(table):
    return {(i["PK"], i["SK"]) for i in table.scan()["Items"]}


def product_partitions(table, pid):
    return {pk for pk, _ in all_keys(table) if pk.startswith("P#") and pk.endswith(f"#{pid}")}


def test_valid_catalog_loads_every_market(make_table):
    table = make_table()
    report = load(table, catalog(record("apple-iphone-13"), record("apple-iphone-12")))
    assert report.products == 2 and not report.rejections
    item = table.get_item(Key=keys.product("ja-jp", "apple-iphone-13"))["Item"]
    assert item["currency"] == "JPY"
    assert json.loads(item["offers"])[0]["p"] == 34900
    assert item["description"] == "Text in ja"
    assert len(product_partitions(table, "apple-iphone-13")) == 18


DELETE = object()


def set_path(data, path, value):
    """Set (or with DELETE remove) the value at a path like ``markets.fr-fr.offers[1].price``."""
    parts = re.findall(r"[^.\[\]]+", path)
    *parents, last = parts
    for part in parents:
        data = data[int(part)] if part.isdigit() else data[part]
    if value is DELETE:
        del data[last]
    else:
        data[int(last) if last.isdigit() else last] = value


@pytest.mark.parametrize(
    "path, value, reported",
    [
        ("markets.fr-fr.offers[1].price", 449.5, None),
        ("markets.en-us.currency", "EUR", None),
        ("markets.de-de.offers[0].grade", "mint", None),
        ("category", "toasters", None),
        ("description.el", DELETE, "description"),
        ("markets.sk-sk.offers[0].refurbisher", "nobody", None),
        ("markets.ja-jp.offers[0].stock", -1, None),
        ("markets.fi-fi.offers[0].warranty_months", 6, None),
        ("markets.pt-pt.offers[0].warranty_months", 24, None),  # the legal 36 months
        ("markets.fr-be.offers[0].warranty_months", 12, None),  # the legal 24 months
        ("markets.it-it.new_price.128", DELETE, None),
        ("markets.xx-yy", {}, None),
        ("colors", ["plaid"], None),
    ],
)
def test_bad_record_is_reported_and_nothing_of_it_is_written(make_table, path, value, reported):
    table = make_table()
    bad = record("apple-iphone-12")
    set_path(bad, path, value)
    path = reported or path
    # The record after the bad one is loaded: the loader goes on past a rejection.
    report = load(table, catalog(bad, record("apple-iphone-14")))
    assert [(r.index, r.product_id) for r in report.rejections] == [(0, "apple-iphone-12")]
    message = str(report.rejections[0])
    assert message.startswith(f"products[0] (apple-iphone-12) {path}:"), message
    assert product_partitions(table, "apple-iphone-12") == set()
    assert not any("apple-iphone-12" in sk for _, sk in all_keys(table))
    assert len(product_partitions(table, "apple-iphone-14")) == 18


def test_loading_twice_changes_nothing(make_table):
    table = make_table()
    data = catalog(record("apple-iphone-13"), record("google-pixel-8", brand="Google"))
    load(table, data)
    first = table.scan()["Items"]
    again = load(table, data)
    assert again.items_deleted == 0
    assert sorted(map(str, table.scan()["Items"])) == sorted(map(str, first))


def test_reload_removes_what_the_new_catalog_no_longer_has(make_table):
    table = make_table()
    load(table, catalog(record("apple-iphone-13"), record("google-pixel-8", brand="Google")))
    report = load(table, catalog(record("apple-iphone-13")))
    assert report.items_deleted > 0
    assert product_partitions(table, "google-pixel-8") == set()
    assert not any("google" in pk or "google" in sk for pk, sk in all_keys(table))
    meta = table.get_item(Key={"PK": keys.listing_partition("fr-fr", "smartphones"), "SK": "#"})
    assert meta["Item"]["total"] == 1


def test_rejected_product_keeps_its_earlier_version(make_table):
    table = make_table()
    load(table, catalog(record("apple-iphone-13"), record("google-pixel-8", brand="Google")))
    broken = record("google-pixel-8", brand="Google")
    broken["markets"]["fr-fr"]["offers"][0]["price"] = "cheap"
    report = load(table, catalog(record("apple-iphone-13"), broken))
    assert len(report.rejections) == 1
    assert len(product_partitions(table, "google-pixel-8")) == 18


def test_rejected_product_still_counts_in_its_listings(make_table):
    table = make_table()
    phones = [record(f"apple-iphone-{n}", popularity=n) for n in (11, 12, 13)]
    load(table, catalog(*phones))
    broken = copy.deepcopy(phones)
    broken[1]["markets"]["fr-fr"]["offers"][0]["price"] = "x"
    load(table, catalog(*broken))
    page = CatalogRepository(table).listing("fr-fr", "smartphones")
    assert page.total == 3
    assert {e.product_id for e in page.entries} == {p["id"] for p in phones}
    alone = CatalogRepository(table).listing("fr-fr", "smartphones", grade="excellent")
    assert alone.total == 3
    home = CatalogRepository(table).home("fr-fr", "EUR")
    assert home.categories[0].count == 3


@pytest.mark.parametrize(
    "path, value",
    [
        ("screen_in", float("inf")),
        ("screen_in", -6.1),
        ("markets.fr-fr.offers[0].grade", ["good"]),
        ("category", ["smartphones"]),
        ("brand", "!!!"),
        ("markets.fr-fr.offers[0].price", 10**13),
    ],
)
def test_malformed_values_reject_only_their_record(make_table, path, value):
    table = make_table()
    bad = record("apple-iphone-12")
    set_path(bad, path, value)
    report = load(table, catalog(record("apple-iphone-13"), bad))
    assert [r.product_id for r in report.rejections] == ["apple-iphone-12"]
    assert table.get_item(Key=keys.product("fr-fr", "apple-iphone-13")).get("Item")
    assert product_partitions(table, "apple-iphone-12") == set()


def test_search_terms_drop_the_starts_of_longer_ones():
    assert search_terms("Laptop laptops Air AirPods X 13") == ["laptops", "airpods", "13"]


def test_listing_entries_are_written_per_facet(make_table):
    table = make_table()
    load(table, catalog(record("apple-iphone-13"), record("google-pixel-8", brand="Google")))
    partition = keys.listing_partition("de-de", "smartphones", "google", "excellent")
    items = table.query(KeyConditionExpression=Key("PK").eq(partition))["Items"]
    assert [i["SK"] for i in items] == ["#", items[1]["SK"]]
    assert items[1]["product"] == "google-pixel-8"
    assert items[1]["price"] == 39900


def test_broken_header_rejects_the_file(make_table):
    data = catalog(record("apple-iphone-13"))
    data["schema"] = 7
    with pytest.raises(RecordError, match="schema"):
        load(make_table(), data)


def test_command_line_reports_progress_and_rejections(make_table, tmp_path, capsys):
    table = make_table()
    bad = record("apple-iphone-12")
    bad["markets"]["fr-fr"]["offers"][0]["price"] = 0
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog(record("apple-iphone-13"), bad)))
    code = load_catalog.main([str(path), "--table", table.name, "--region", "eu-west-3"])
    err = capsys.readouterr().err
    assert code == 1
    assert "products 1/1" in err
    assert "rejected: products[1] (apple-iphone-12) markets.fr-fr.offers[0].price" in err
    assert "loaded 1 products" in err
    assert table.get_item(Key=keys.product("fr-fr", "apple-iphone-13")).get("Item")


@pytest.mark.parametrize("content", ["{not json", '{"schema": 1, "x": NaN}', "[Infinity]"])
def test_command_line_refuses_unreadable_files(tmp_path, capsys, content):
    path = tmp_path / "catalog.json"
    path.write_text(content)
    assert load_catalog.main([str(path), "--table", "t"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_demo_catalog_is_valid(demo_catalog):
    per_product, shared, rejections = plan(copy.deepcopy(demo_catalog))
    assert not rejections, [str(r) for r in rejections]
    assert len(per_product) >= 60
