"""The trade-in key's policy as infra/check.py checks it, on the template and broken copies."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from infra.check_key import check_tradein_key

INFRA = Path(__file__).resolve().parents[2] / "infra"
CONTEXT_KEYS = ["market", "part", "tradein"]  # what chalicelib/tradein/accept.py seals with


@pytest.fixture(scope="module")
def check():
    """infra/check.py, imported as the package module it also is."""
    from infra import check as module

    return module


@pytest.fixture
def template(check) -> dict:
    return copy.deepcopy(check.load_template(INFRA / "tradein-key.yaml"))


def statements(template: dict) -> dict[str, dict]:
    """The key policy's statements by Sid, the payout role's from inside its Fn::If."""
    found = {}
    for statement in template["Resources"]["TradeInKey"]["Properties"]["KeyPolicy"]["Statement"]:
        statement = statement["Fn::If"][1] if "Fn::If" in statement else statement
        found[statement["Sid"]] = statement
    return found


def test_the_shoppers_may_encrypt_and_the_payout_role_alone_decrypt(check, template):
    assert check.SEALING["ForAllValues:StringEquals"]["kms:EncryptionContextKeys"] == CONTEXT_KEYS
    assert check_tradein_key(template, CONTEXT_KEYS) == []
    found = statements(template)
    assert "kms:Encrypt" in found["KeyAdministration"]["Action"]
    assert not {"kms:Decrypt", "kms:GenerateDataKey"} & set(found["KeyAdministration"]["Action"])
    assert found["PayoutToolDecrypts"]["Action"] == "kms:Decrypt"
    assert found["PayoutToolDecrypts"]["Principal"] == {"AWS": {"Ref": "PayoutRoleArn"}}


@pytest.mark.parametrize("action", ["kms:Decrypt", "kms:*", "kms:De*", "kms:ReEncrypt*"])
def test_the_account_may_not_grant_a_read_back(template, action):
    statements(template)["KeyAdministration"]["Action"].append(action)
    [problem] = check_tradein_key(template, CONTEXT_KEYS)
    assert "KeyAdministration allows" in problem and "another than the payout role" in problem


def test_a_key_the_shoppers_cannot_encrypt_with_is_refused(template):
    actions = statements(template)["KeyAdministration"]["Action"]
    actions[:] = [a for a in actions if a != "kms:Encrypt"] + ["kms:GenerateDataKey"]
    assert check_tradein_key(template, CONTEXT_KEYS) == [
        "tradein-key.yaml: the account may not grant kms:Encrypt: the shoppers cannot seal"
    ]


def test_the_payout_role_decrypts_trade_in_contexts_only(template):
    payout = statements(template)["PayoutToolDecrypts"]
    del payout["Condition"]
    [problem] = check_tradein_key(template, CONTEXT_KEYS)
    assert "PayoutToolDecrypts decrypts without the trade-in's encryption context" in problem


def test_decrypt_for_anyone_else_is_refused(template):
    statements(template)["PayoutToolDecrypts"]["Principal"] = {"AWS": "*"}
    [problem] = check_tradein_key(template, CONTEXT_KEYS)
    assert "PayoutToolDecrypts allows ['kms:Decrypt'] to another than the payout role" in problem


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"EnableKeyRotation": False}, "no yearly key rotation"),
        ({"KeySpec": "RSA_2048"}, "not a symmetric key"),
    ],
)
def test_the_key_rotates_and_is_symmetric(template, change, expected):
    template["Resources"]["TradeInKey"]["Properties"].update(change)
    [problem] = check_tradein_key(template, CONTEXT_KEYS)
    assert expected in problem


def test_the_key_outlives_its_stack(template):
    template["Resources"]["TradeInKey"]["DeletionPolicy"] = "Delete"
    assert check_tradein_key(template, CONTEXT_KEYS) == [
        "tradein-key.yaml: TradeInKey DeletionPolicy is 'Delete', not Retain"
    ]
