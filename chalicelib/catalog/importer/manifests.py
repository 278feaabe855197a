"""How writers name items in manifests: one key string per item, read back consistently."""

from __future__ import annotations

from typing import Any


def key_of(item: dict) -> str:
    """An item's key as manifests list it: ``PK`` and ``SK`` joined by a line break."""
    return f"{item['PK']}\n{item['SK']}"


def split_key(key: str) -> dict[str, str]:
    """A manifest's key string back as a DynamoDB key."""
    pk, sk = key.split("\n", 1)
    return {"PK": pk, "SK": sk}


def market_of(item: dict) -> str:
    """The market segment of an item's partition key (``L#fr-fr#…`` -> ``fr-fr``)."""
    return item["PK"].split("#")[1]


def read(table: Any, key: dict) -> dict:
    """An item, or an empty dict; strongly consistent, since manifests steer deletions."""
    return table.get_item(Key=key, ConsistentRead=True).get("Item", {})


def keys_in(manifest: dict) -> set[str]:
    """The key strings a manifest lists."""
    return set(manifest.get("keys", []))


def delete_keys(batch: Any, stale: set[str]) -> int:
    """Queue the deletion of these keys; how many there were."""
    for key in stale:
        batch.delete_item(Key=split_key(key))
    return len(stale)
