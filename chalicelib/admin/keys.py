"""The admin table's keys: accounts, sessions, sign-in attempts, messages, releases, audit.

Access patterns (docs/data-model.md): every read is a GetItem or a Query on one partition;
a person's sessions are a Query on the sparse ``by-account`` index; nothing scans.
"""

from __future__ import annotations

from chalicelib.i18n.published import PUBLISHED_PK

ACCOUNT_INDEX = "by-account"
TTL_ATTRIBUTE = "expires_at"
ACCOUNTS_PK = "ACCOUNTS"  # one partition listing every account (a few hundred at most)
AUDIT_PK = "AUDIT#"  # + the day, so that a day's events are one partition
__all__ = ["PUBLISHED_PK", "table_definition"]


def account(email: str) -> dict[str, str]:
    """The key of an account."""
    return {"PK": ACCOUNTS_PK, "SK": email}


def session(digest: str) -> dict[str, str]:
    """The key of a session, by the hash of its id (the id itself is stored nowhere)."""
    return {"PK": f"SESSION#{digest}", "SK": "SESSION"}


def throttle(kind: str, value: str) -> dict[str, str]:
    """The key of the failed sign-ins of one account name or one address."""
    return {"PK": f"THROTTLE#{kind}", "SK": value}


def overrides(target: str) -> dict[str, str]:
    """The key of a market's or a language's overrides: published, drafts and revisions."""
    return {"PK": f"TARGET#{target}", "SK": "OVERRIDES"}


def release(market: str, version: int) -> dict[str, str]:
    """The key of one release of a market."""
    return {"PK": f"RELEASE#{market}", "SK": f"{version:010d}"}


def releases_of(market: str) -> str:
    """The partition of a market's releases."""
    return f"RELEASE#{market}"


def published(market: str) -> dict[str, str]:
    """The key of the snapshot shoppers' pages read."""
    return {"PK": PUBLISHED_PK, "SK": market}


def pending_import(token: str) -> dict[str, str]:
    """The key of an uploaded .po file waiting for confirmation."""
    return {"PK": f"IMPORT#{token}", "SK": "IMPORT"}


def table_definition(name: str) -> dict:
    """CreateTable arguments: the same for moto, local runs and the infrastructure."""
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": "S"} for attr in ("PK", "SK", "account")
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": ACCOUNT_INDEX,
                "KeySchema": [
                    {"AttributeName": "account", "KeyType": "HASH"},
                    {"AttributeName": "PK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    }
