"""Shipping per refurbisher and market: checked in the file, kept on the product item, read back.

A bad value in a refurbisher's shipping refuses the file (as any refurbisher field does); an
offer in a market its refurbisher has no shipping for refuses that product only.
"""

import json

import pytest

from chalicelib.catalog import codec
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.validation import RecordError, validate_header, validate_product
from chalicelib.catalog.model import Shipping
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import MARKETS, country_markets
from chalicelib.kernel.money import Money
from tests.catalog.test_importer import DELETE, catalog, product_partitions, record, set_path

# A path below refurbishers[0] (shop-a), the value put there, and the path the error names.
BAD_SHIPPING = [
    ("shipping", DELETE, "shipping"),
    ("shipping", [], "shipping"),
    ("shipping.fr-fr", "2-4 days", "shipping.fr-fr"),
    ("shipping.fr-fr.days", [4, 2], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", [0, 2], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", [2, 16], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", [2], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", [2, 3, 4], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", [2.0, 4], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", [True, 4], "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", "2-4", "shipping.fr-fr.days"),
    ("shipping.fr-fr.days", DELETE, "shipping.fr-fr.days"),
    ("shipping.fr-fr.price", -1, "shipping.fr-fr.price"),
    ("shipping.fr-fr.price", 4.99, "shipping.fr-fr.price"),
    ("shipping.fr-fr.price", "499", "shipping.fr-fr.price"),
    ("shipping.fr-fr.price", None, "shipping.fr-fr.price"),
    ("shipping.fr-fr.price", 1_000_001, "shipping.fr-fr.price"),  # over 10,000 €
    ("shipping.ja-jp.price", 10_001, "shipping.ja-jp.price"),  # yen have no cents
    ("shipping.fr-fr.free_from", 0, "shipping.fr-fr.free_from"),
    ("shipping.fr-fr.free_from", "150", "shipping.fr-fr.free_from"),
    ("shipping.fr-fr.free_from", 10**40, "shipping.fr-fr.free_from"),
    ("shipping.fr-fr.free_form", 15000, "shipping.fr-fr"),  # a misspelt field is not ignored
    ("shipping.xx-yy", {"days": [1, 2], "price": 0}, "shipping.xx-yy"),
    ("shipping.nl-be.price", 999, "shipping.nl-be"),  # one Belgium, one shipping
    ("shipping.nl-be", DELETE, "shipping"),
]


@pytest.mark.parametrize("path, value, reported", BAD_SHIPPING)
def test_bad_shipping_refuses_the_file_and_writes_nothing(make_table, path, value, reported):
    data = catalog(record("apple-iphone-13"), record("apple-iphone-12"))
    set_path(data["refurbishers"][0], path, value)
    table = make_table()
    with pytest.raises(RecordError) as caught:
        load(table, data)
    assert str(caught.value).startswith(f"refurbishers[0].{reported}:"), str(caught.value)
    assert table.scan()["Items"] == []


def test_shipping_to_a_stage_the_refurbisher_does_not_sell_in_is_refused():
    data = catalog()
    data["refurbishers"][0]["stages"] = ["eu"]
    with pytest.raises(RecordError, match=r"refurbishers\[0\]\.shipping\.en-us: shop-a sells"):
        validate_header(data)


def test_an_offer_without_shipping_in_its_market_refuses_that_product_only(make_table):
    data = catalog(record("apple-iphone-13"), record("apple-iphone-12"), record("apple-iphone-14"))
    del data["refurbishers"][1]["shipping"]["ja-jp"]  # shop-b: every product sells it in Japan
    data["products"][0]["markets"]["ja-jp"]["offers"].pop(1)  # but this one, not in Japan
    table = make_table()
    report = load(table, data)
    assert [(r.index, r.product_id) for r in report.rejections] == [
        (1, "apple-iphone-12"),
        (2, "apple-iphone-14"),
    ]
    message = str(report.rejections[0])
    assert message == (
        "products[1] (apple-iphone-12) markets.ja-jp.offers[1].refurbisher:"
        " shop-b has no ja-jp in refurbishers[1].shipping"
    )
    assert product_partitions(table, "apple-iphone-12") == set()
    assert len(product_partitions(table, "apple-iphone-13")) == 18


def test_the_edges_of_each_range_are_accepted():
    data = catalog()
    data["refurbishers"][0]["shipping"]["fr-fr"] = {"days": [1, 1], "price": 1_000_000}
    data["refurbishers"][0]["shipping"]["ja-jp"] = {"days": [15, 15], "price": 10_000}
    data["refurbishers"][0]["shipping"]["en-us"] = {"days": [1, 15], "price": 0, "free_from": None}
    shipping = validate_header(data).refurbishers["shop-a"].shipping
    assert (shipping["fr-fr"].days, shipping["fr-fr"].price) == ((1, 1), 1_000_000)
    assert (shipping["ja-jp"].days, shipping["ja-jp"].price) == ((15, 15), 10_000)
    assert shipping["en-us"].free_from is None


@pytest.fixture(scope="module")
def demo_records(demo_catalog):
    """The first demo product, validated into one record per market, and the file's shipping."""
    context = validate_header(demo_catalog)
    shipping = {r["id"]: r["shipping"] for r in demo_catalog["refurbishers"]}
    return validate_product(demo_catalog["products"][0], context), shipping


def expected(raw: dict, currency: str) -> Shipping:
    free = raw.get("free_from")
    return Shipping(
        tuple(raw["days"]),
        Money(raw["price"], currency),
        None if free is None else Money(free, currency),
    )


@pytest.mark.parametrize("code", list(MARKETS))
def test_each_offer_reads_back_its_refurbisher_s_shipping_in_that_market(demo_records, code):
    records, shipping = demo_records
    item = codec.product_item(records[code], sorted(records))
    product = codec.decode_product(item)
    currency = MARKETS[code].currency
    assert product.offers
    for offer in product.offers:
        assert offer.refurbisher.shipping == expected(
            shipping[offer.refurbisher.id][code], currency
        )
    # The item holds this market's shipping only: nothing of another market's terms.
    stored = json.loads(item["refurbishers"])
    assert all(set(r["ship"]) <= {"d", "p", "f"} for r in stored.values())


@pytest.mark.parametrize("code", list(MARKETS))
def test_a_product_item_read_back_as_a_record_writes_the_same_item(demo_records, code):
    records, _ = demo_records
    item = codec.product_item(records[code], sorted(records))
    again = codec.product_item(codec.decode_record(item, MARKETS[code]), sorted(records))
    assert again == item  # what an offer update writes keeps the shipping, digest and all


def test_yen_are_minor_units(demo_records):
    records, shipping = demo_records
    product = codec.decode_product(codec.product_item(records["ja-jp"], sorted(records)))
    ship = product.offers[0].refurbisher.shipping
    raw = shipping[product.offers[0].refurbisher.id]["ja-jp"]
    assert ship.price == Money(raw["price"], "JPY")
    assert ship.price.to_decimal() == raw["price"]  # ¥990 is 990, not 9.90


def test_an_item_written_before_shipping_decodes_without_it(demo_records):
    records, _ = demo_records
    item = codec.product_item(records["fr-fr"], ["fr-fr"])
    old = {
        rid: {k: v for k, v in r.items() if k != "ship"}
        for rid, r in json.loads(item["refurbishers"]).items()
    }
    product = codec.decode_product({**item, "refurbishers": json.dumps(old)})
    assert product.offers and all(o.refurbisher.shipping is None for o in product.offers)


def test_the_shipping_cost_of_a_subtotal():
    ship = Shipping((2, 4), Money(499, "EUR"), Money(15000, "EUR"))
    assert ship.cost_for(Money(14999, "EUR")) == Money(499, "EUR")
    assert ship.cost_for(Money(15000, "EUR")) == Money(0, "EUR")
    assert Shipping((1, 2), Money(0, "JPY")).cost_for(Money(1, "JPY")) == Money(0, "JPY")
    assert Shipping((1, 2), Money(550, "JPY")).cost_for(Money(10**9, "JPY")) == Money(550, "JPY")
    with pytest.raises(ValueError):
        ship.cost_for(Money(20000, "GBP"))


@pytest.mark.parametrize("code", list(MARKETS))
def test_the_demo_ships_from_every_seller_of_a_market(demo_catalog, code):
    market = MARKETS[code]
    sellers = [r for r in demo_catalog["refurbishers"] if market.stage in r["stages"]]
    terms = [r["shipping"][code] for r in sellers]
    assert len(terms) == len(sellers)
    assert any(t["price"] > 0 for t in terms)
    for seller, t in zip(sellers, terms, strict=True):
        first = country_markets(code)[0]
        assert t == seller["shipping"][first]  # Belgium ships alike in both languages
        if seller["country"] == market.country:
            assert t["days"][1] <= 3  # from next door
        else:
            assert t["days"][0] >= 3  # across a border


def test_the_demo_ships_free_in_most_markets(demo_catalog):
    free = {
        code
        for r in demo_catalog["refurbishers"]
        for code, t in r["shipping"].items()
        if t["price"] == 0
    }
    assert len(free) >= 15 and {"fr-fr", "en-us", "ja-jp", "en-au", "sv-se", "en-gb"} <= free


def test_the_demo_has_thresholds_in_every_currency(demo_catalog):
    currencies = {
        MARKETS[code].currency
        for r in demo_catalog["refurbishers"]
        for code, t in r["shipping"].items()
        if t.get("free_from")
    }
    assert currencies == {m.currency for m in MARKETS.values()}


def test_the_product_page_read_carries_shipping(shop_table, shop_catalog):
    pid = shop_catalog["products"][0]["id"]
    shipping = {r["id"]: r["shipping"] for r in shop_catalog["refurbishers"]}
    product = CatalogRepository(shop_table).product("sv-se", pid)
    for offer in product.offers:
        assert offer.refurbisher.shipping == expected(
            shipping[offer.refurbisher.id]["sv-se"], "SEK"
        )
