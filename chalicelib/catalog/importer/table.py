"""Creating the storefront table where it does not exist yet (local runs, tests, tools)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import keys


def ensure_table(table: Any) -> None:
    """Create the table with the storefront's keys and indexes if it does not exist."""
    client = table.meta.client
    try:
        client.describe_table(TableName=table.name)
    except client.exceptions.ResourceNotFoundException:
        client.create_table(**keys.table_definition(table.name))
        client.get_waiter("table_exists").wait(TableName=table.name)
