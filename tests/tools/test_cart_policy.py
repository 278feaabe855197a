"""The shoppers' function may write carts and nothing else of the catalog table."""

from __future__ import annotations

import fnmatch
import json

import pytest

from chalicelib.cart.model import digest, new_cart_id
from chalicelib.cart.repository import cart_key
from chalicelib.catalog import keys
from tests.tools.test_admin_infra import ROOT, _check_with, _statements, check, config  # noqa: F401

WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem"}  # fmt: skip


def may_write(statements: list[dict], table_arn: str, partition_key: str) -> bool:
    """Whether an Allow statement lets a write of this partition key through (IAM's reading)."""
    for statement in statements:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        if not WRITES & set(actions) or table_arn not in resources:
            continue
        condition = statement.get("Condition", {})
        if not condition:
            return True
        patterns = condition.get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys", [])
        if any(fnmatch.fnmatchcase(partition_key, p) for p in patterns):
            return True
    return False


@pytest.mark.parametrize("name", ["dev", "eu", "us", "ap"])
def test_a_shoppers_function_writes_carts_only(config, name):  # noqa: F811
    statements = _statements(config, name)
    region = json.loads((ROOT / "chalicelib/kernel/stages.json").read_text())
    stage = region[name]
    table = f"arn:aws:dynamodb:{stage['region']}:*:table/{stage['table']}"
    cart = cart_key(digest(new_cart_id()), "fr-fr")["PK"]
    assert may_write(statements, table, cart)
    for other in (keys.product("fr-fr", "apple-iphone-13")["PK"], keys.home("fr-fr")["PK"],
                  keys.LOAD_MANIFEST["PK"], "CART", "XCART#1"):  # fmt: skip
        assert not may_write(statements, table, other), other


@pytest.mark.parametrize("name", ["eu-admin", "us-admin", "ap-admin"])
def test_the_editors_function_writes_no_cart(config, name):  # noqa: F811
    statements = _statements(config, name)
    assert not any(WRITES & set(s["Action"]) and ":table/storefront\"" in json.dumps(s)
                   for s in statements)  # fmt: skip


def test_policy_check_refuses_a_cart_write_without_its_condition(check, config):  # noqa: F811
    statements = _statements(config, "eu")
    next(s for s in statements if s["Sid"] == "WriteCarts").pop("Condition")
    problems = _check_with(check, config, "eu", statements)
    assert any("writes to the catalog table beyond carts" in p for p in problems)
    assert any("CART#*" in p and "missing" in p for p in problems)


def test_policy_check_refuses_a_wider_cart_pattern(check, config):  # noqa: F811
    statements = _statements(config, "us")
    cart = next(s for s in statements if s["Sid"] == "WriteCarts")
    cart["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] = ["*"]
    problems = _check_with(check, config, "us", statements)
    assert any("beyond carts" in p for p in problems)


@pytest.mark.parametrize("name", ["dev", "eu", "us", "ap"])
def test_a_shoppers_function_writes_trade_ins_where_it_serves_them(config, name):  # noqa: F811
    from chalicelib.tradein.model import digest as tradein_digest
    from chalicelib.tradein.model import new_reference
    from chalicelib.tradein.repository import tradein_key

    statements = _statements(config, name)
    stage = json.loads((ROOT / "chalicelib/kernel/stages.json").read_text())[name]
    table = f"arn:aws:dynamodb:{stage['region']}:*:table/{stage['table']}"
    tradein = tradein_key(tradein_digest(new_reference()), "fr-fr")["PK"]
    assert may_write(statements, table, tradein) is (name != "ap")  # ap has no trade-in market
    sealing = [s for s in statements if any(a.startswith("kms:") for a in s["Action"])]
    sealing = [s for s in sealing if "ssm" not in json.dumps(s)]  # dev's editor secret aside
    assert [s["Action"] for s in sealing] == ([] if name == "ap" else [["kms:Encrypt"]])
    assert not any("kms:Decrypt" in s["Action"] and "ssm" not in json.dumps(s) for s in statements)
    for s in sealing:  # the trade-in key only, with a trade-in's encryption context
        assert s["Condition"]["ForAnyValue:StringEquals"] == {
            "kms:ResourceAliases": ["alias/storefront-tradein"]
        }
        assert s["Condition"]["Null"] == {"kms:EncryptionContextKeys": "false"}


def test_policy_check_refuses_a_trade_in_grant_to_open_what_it_seals(check, config):  # noqa: F811
    statements = _statements(config, "eu")
    next(s for s in statements if s["Sid"] == "SealTradeInDetails")["Action"].append("kms:Decrypt")
    problems = _check_with(check, config, "eu", statements)
    assert any("kms:Decrypt" in p and "not needed" in p for p in problems)
