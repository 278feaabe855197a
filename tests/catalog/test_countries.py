"""One country, one price: fr-be and nl-be sell the same offers at the same prices and stock.

The loader refuses a product whose Belgian markets differ, an offer update for one Belgian
market applies to both, and the demo catalog keeps the rule.
"""

import pytest

from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.offers import update_offers, validate_feed
from chalicelib.catalog.importer.validation import validate_catalog
from chalicelib.kernel.markets import MARKETS, country_markets
from tests.catalog.test_importer import DELETE, catalog, record, set_path
from tests.catalog.test_offer_updates import applied, assert_update_equals_a_clean_load, row

BELGIUM = ("fr-be", "nl-be")


def test_belgium_is_the_one_country_with_two_markets():
    shared = {code: country_markets(code) for code in MARKETS if len(country_markets(code)) > 1}
    assert shared == {"fr-be": BELGIUM, "nl-be": BELGIUM}


@pytest.mark.parametrize(
    "path, value, said",
    [
        ("markets.nl-be.offers[0].price", 33900, "offers[0] (price 33900, not 34900)"),
        ("markets.nl-be.offers[1].stock", 0, "offers[1] (stock 0, not 2)"),
        ("markets.nl-be.offers[0].refurbisher", "shop-b", "offers[0] (refurbisher 'shop-b'"),
        ("markets.nl-be.offers[1].warranty_months", 48, "offers[1] (warranty_months 48"),
        ("markets.nl-be.offers[1].grade", DELETE, "its number of offers (1, not 2)"),
        ("markets.nl-be.new_price", {"128": 79900}, "its new prices"),
        ("markets.fr-be.offers[0].battery_health", 90, "offers[0] (battery_health 88, not 90)"),
    ],
)
def test_the_loader_refuses_a_product_whose_belgian_markets_differ(path, value, said):
    bad = record("apple-iphone-13")
    if value is DELETE:  # the offer the path is in
        del bad["markets"]["nl-be"]["offers"][1]
    else:
        set_path(bad, path, value)
    valid, rejections = validate_catalog(catalog(record("apple-iphone-12"), bad))
    assert list(valid) == ["apple-iphone-12"]
    assert [(r.index, r.product_id) for r in rejections] == [(1, "apple-iphone-13")]
    message = str(rejections[0])
    assert message.startswith("products[1] (apple-iphone-13) markets.nl-be: differs from"), message
    assert f"markets.fr-be in {said}" in message
    assert "fr-be and nl-be are one country (BE)" in message


@pytest.mark.parametrize("sold", ["fr-be", "nl-be"])
def test_the_loader_refuses_a_product_sold_in_one_belgian_market_only(sold):
    bad = record("apple-iphone-13")
    del bad["markets"][next(c for c in BELGIUM if c != sold)]
    _, rejections = validate_catalog(catalog(bad))
    other = next(c for c in BELGIUM if c != sold)
    assert str(rejections[0]) == (
        f"products[0] (apple-iphone-13) markets: sells in {sold} but not in {other}: the"
        " markets of BE (fr-be, nl-be) are one country and must sell the same products"
    )


def test_a_product_sold_in_neither_belgian_market_loads():
    raw = record("apple-iphone-13")
    for code in BELGIUM:
        del raw["markets"][code]
    valid, rejections = validate_catalog(catalog(raw))
    assert not rejections and "fr-be" not in valid["apple-iphone-13"]


def test_the_demo_catalog_sells_alike_in_both_belgian_markets(demo_catalog):
    for product in demo_catalog["products"]:
        assert product["markets"]["fr-be"] == product["markets"]["nl-be"], product["id"]
    # and the rest of Europe is not a copy of Belgium: the rule is per country
    assert any(p["markets"]["fr-be"] != p["markets"]["fr-fr"] for p in demo_catalog["products"])


FILE = catalog(record("apple-iphone-12"), record("apple-iphone-13", popularity=70))


def both(rows):
    """The feed as it acts: each Belgian row made in both Belgian markets."""
    return [dict(r, market=m) for r in rows for m in country_markets(r["market"])]


@pytest.mark.parametrize(
    "rows",
    [
        [row("apple-iphone-13", "nl-be", price=29900)],
        [row("apple-iphone-13", "fr-be", stock=0)],
        [row("apple-iphone-13", code, price=29900) for code in BELGIUM],
        # two rows for one offer: the later one wins, in both markets alike
        [row("apple-iphone-12", "fr-be", price=25000), row("apple-iphone-12", "nl-be", stock=1)],
    ],
    ids=["nl-be row", "fr-be sold out", "both named", "two rows, last wins"],
)
def test_an_update_of_one_belgian_market_moves_both(make_table, rows):
    assert_update_equals_a_clean_load(make_table, FILE, rows, applied(FILE, both(rows)))
    valid, rejections = validate_catalog(applied(FILE, both(rows)))
    assert not rejections


def test_a_belgian_row_naming_no_offer_is_refused_once(make_table):
    table = make_table()
    load(table, FILE)
    changes, _ = validate_feed([row("apple-iphone-13", "nl-be", grade="premium")])
    report = update_offers(table, changes)
    assert [str(r) for r in report.rejections] == [
        "offers[0] (apple-iphone-13) $: apple-iphone-13 in nl-be has no offer of"
        " shop-a 128 black premium"
    ]
    assert report.offers == 0
