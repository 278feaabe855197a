"""Carts share the storefront table: they expire by TTL, and loads and updates never touch them."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from chalicelib.catalog import keys
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.offers import update_offers, validate_feed
from chalicelib.catalog.importer.table import ensure_table
from tests.catalog.test_atomic_load import items_of
from tests.catalog.test_importer import catalog, record
from tests.catalog.test_offer_updates import row
from tests.tools.test_admin_infra import check  # noqa: F401, F811 (a fixture)

INFRA = Path(__file__).resolve().parents[2] / "infra"


def ttl_of(table) -> dict:
    return table.meta.client.describe_time_to_live(TableName=table.name)["TimeToLiveDescription"]


def test_a_new_table_expires_items_by_the_code_s_attribute(make_table):
    table = make_table()
    assert ttl_of(table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": keys.TTL_ATTRIBUTE}
    ensure_table(table)  # again, on a table that has it: nothing to do, nothing refused
    assert ttl_of(table)["TimeToLiveStatus"] == "ENABLED"


def test_a_table_made_before_ttl_gets_it(moto_dynamodb):
    client = moto_dynamodb.meta.client
    client.create_table(**keys.table_definition("storefront-before-ttl"))
    table = moto_dynamodb.Table("storefront-before-ttl")
    assert ttl_of(table)["TimeToLiveStatus"] == "DISABLED"
    ensure_table(table)
    assert ttl_of(table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": keys.TTL_ATTRIBUTE}


def test_a_table_expiring_by_another_attribute_is_refused(moto_dynamodb):
    client = moto_dynamodb.meta.client
    client.create_table(**keys.table_definition("storefront-other-ttl"))
    client.update_time_to_live(
        TableName="storefront-other-ttl",
        TimeToLiveSpecification={"AttributeName": "ttl", "Enabled": True},
    )
    with pytest.raises(ValueError, match="carts would never expire"):
        ensure_table(moto_dynamodb.Table("storefront-other-ttl"))


def test_the_template_s_ttl_is_the_code_s(check):  # noqa: F811
    template = check.load_template(INFRA / "table.yaml")
    props = template["Resources"]["Table"]["Properties"]
    assert props["TimeToLiveSpecification"] == {
        "AttributeName": keys.TTL_ATTRIBUTE,
        "Enabled": True,
    }
    assert check.check_table(template) == []


@pytest.mark.parametrize(
    "ttl",
    [
        None,
        {"AttributeName": "ttl", "Enabled": True},
        {"AttributeName": "expires_at", "Enabled": False},
    ],
)
def test_the_check_catches_a_template_without_the_code_s_ttl(check, ttl):  # noqa: F811
    template = copy.deepcopy(check.load_template(INFRA / "table.yaml"))
    props = template["Resources"]["Table"]["Properties"]
    if ttl is None:
        del props["TimeToLiveSpecification"]
    else:
        props["TimeToLiveSpecification"] = ttl
    assert f"table.yaml: TTL on {keys.TTL_ATTRIBUTE} is not enabled" in check.check_table(template)


def cart(n: int) -> dict:
    """A cart item as the cart package keeps one: any shape, under a CART# partition."""
    return {
        "PK": f"CART#{n:032x}",
        "SK": "M#fr-fr",
        "lines": [{"product": "apple-iphone-12", "refurbisher": "shop-a", "quantity": 1}],
        "version": 3,
        keys.TTL_ATTRIBUTE: Decimal(1_900_000_000 + n),
    }


def carts_in(table) -> dict:
    return {k: v for k, v in items_of(table).items() if k[0].startswith("CART#")}


def test_carts_outlive_loads_and_offer_updates(make_table):
    table = make_table()
    table.put_item(Item=cart(1))  # before the first load
    load(table, catalog(record("apple-iphone-12"), record("google-pixel-7", brand="Google")))
    table.put_item(Item=cart(2))
    expected = {(c["PK"], c["SK"]): c for c in (cart(1), cart(2))}
    assert carts_in(table) == expected
    # Another catalog: the load deletes every product of the last one, and their items.
    report = load(table, catalog(record("apple-iphone-13"), record("apple-iphone-14")))
    assert report.items_deleted > 0 and not report.rejections
    assert not [k for k in items_of(table) if "pixel" in k[0] or "iphone-12" in k[0]]
    assert carts_in(table) == expected
    changes, refused = validate_feed([row("apple-iphone-13", price=29900, stock=0)])
    assert not refused
    assert update_offers(table, changes).products == 1
    assert carts_in(table) == expected
    # Nothing at all: the last load's products and summaries go, carts stay.
    load(table, catalog())
    assert carts_in(table) == expected
    assert not [k for k in items_of(table) if k[0].startswith(("P#", "L#", "S#"))]
