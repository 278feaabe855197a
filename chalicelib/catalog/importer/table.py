"""Creating the storefront table where it does not exist yet (local runs, tests, tools)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import keys


def ensure_table(table: Any) -> None:
    """Create the table with the storefront's keys, indexes and TTL if it does not exist."""
    client = table.meta.client
    try:
        client.describe_table(TableName=table.name)
    except client.exceptions.ResourceNotFoundException:
        client.create_table(**keys.table_definition(table.name))
        client.get_waiter("table_exists").wait(TableName=table.name)
    ensure_ttl(table)


def ensure_ttl(table: Any) -> None:
    """Turn on expiry by ``keys.TTL_ATTRIBUTE`` (carts), as infra/table.yaml does for stages."""
    client = table.meta.client
    ttl = client.describe_time_to_live(TableName=table.name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        # DynamoDB refuses to enable it twice, and a table has one TTL attribute.
        if ttl.get("AttributeName") != keys.TTL_ATTRIBUTE:
            raise ValueError(
                f"{table.name} expires items by {ttl.get('AttributeName')!r},"
                f" not {keys.TTL_ATTRIBUTE!r}: carts would never expire"
            )
        return
    client.update_time_to_live(
        TableName=table.name,
        TimeToLiveSpecification={"AttributeName": keys.TTL_ATTRIBUTE, "Enabled": True},
    )
