"""infra/tradein-key.yaml: the shoppers' role may encrypt with the key, the payout role decrypt.

Called by infra/check.py. What must hold:

- one symmetric AWS::KMS::Key with yearly rotation, kept on delete and on replacement;
- the account's statement (the root principal: it lets the account's IAM policies grant an
  action) allows kms:Encrypt, the one call the shoppers' function makes
  (.chalice/policy-<stage>.json), and nothing that reads a sealed record back: no kms:Decrypt
  and no kms:ReEncrypt*, not through a wildcard either;
- kms:Decrypt (or a wildcard that covers it) is allowed to the PayoutRoleArn principal alone,
  and only for a trade-in's encryption context keys.
"""

from __future__ import annotations

import fnmatch
from typing import Any

FILE = "tradein-key.yaml"
READS_BACK = ("kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo")
SEALS = "kms:Encrypt"


def _statements(policy: dict) -> list[dict]:
    """The key policy's statements, with both branches of any Fn::If."""
    found = []
    for statement in policy.get("Statement", []):
        branches = statement["Fn::If"][1:] if "Fn::If" in statement else [statement]
        found += [b for b in branches if isinstance(b, dict) and "Effect" in b]
    return found


def _allows(statement: dict, action: str) -> bool:
    actions = statement.get("Action", [])
    actions = actions if isinstance(actions, list) else [actions]
    return statement.get("Effect") == "Allow" and any(
        fnmatch.fnmatchcase(action.lower(), str(a).lower()) for a in actions
    )


def _principal(statement: dict) -> Any:
    principal = statement.get("Principal", {})
    return principal.get("AWS") if isinstance(principal, dict) else principal


def _is_account(statement: dict) -> bool:
    principal = _principal(statement)
    text = principal.get("Fn::Sub", "") if isinstance(principal, dict) else str(principal)
    return text.endswith(":root")


def check_tradein_key(template: dict, context_keys: list[str]) -> list[str]:
    """Every way the trade-in key and its policy give more, or less, than sealing needs."""
    keys = {n: r for n, r in template.get("Resources", {}).items() if r["Type"] == "AWS::KMS::Key"}
    if len(keys) != 1:
        return [f"{FILE}: {len(keys)} KMS keys, not one"]
    [(name, key)] = keys.items()
    props, problems = key.get("Properties", {}), []
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if key.get(policy) != "Retain":
            problems.append(f"{FILE}: {name} {policy} is {key.get(policy)!r}, not Retain")
    if props.get("EnableKeyRotation") is not True:
        problems.append(f"{FILE}: {name} has no yearly key rotation")
    if props.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        problems.append(f"{FILE}: {name} is not a symmetric key")
    statements = _statements(props.get("KeyPolicy", {}))
    account = [s for s in statements if _is_account(s)]
    if not any(_allows(s, SEALS) for s in account):
        problems.append(f"{FILE}: the account may not grant {SEALS}: the shoppers cannot seal")
    for statement in statements:
        reads = [a for a in READS_BACK if _allows(statement, a)]
        sid = statement.get("Sid", "a statement")
        if not reads:
            continue
        if _principal(statement) != {"Ref": "PayoutRoleArn"}:
            problems.append(f"{FILE}: {sid} allows {reads} to another than the payout role")
            continue
        condition = statement.get("Condition", {}).get("ForAllValues:StringEquals", {})
        if sorted(condition.get("kms:EncryptionContextKeys", [])) != sorted(context_keys):
            problems.append(f"{FILE}: {sid} decrypts without the trade-in's encryption context")
    return problems
