"""The one place AWS clients are made: lazily, from the environment, and replaceable in tests."""

from __future__ import annotations

import os
import threading
from typing import Any

import boto3

from chalicelib import keys

_lock = threading.Lock()
_tables: dict[tuple, Any] = {}
_override: Any = None


def dynamodb_table(name: str, region: str | None = None, endpoint_url: str | None = None) -> Any:
    """A boto3 Table, created once per name, region and endpoint."""
    cache_key = (name, region, endpoint_url)
    with _lock:
        if cache_key not in _tables:
            resource = boto3.resource("dynamodb", region_name=region, endpoint_url=endpoint_url)
            _tables[cache_key] = resource.Table(name)
        return _tables[cache_key]


def catalog_table() -> Any:
    """The table the storefront reads, named by TABLE_NAME at call time."""
    if _override is not None:
        return _override
    name = os.environ.get("TABLE_NAME")
    if not name:
        raise RuntimeError("TABLE_NAME is not set for this stage")
    return dynamodb_table(name, endpoint_url=os.environ.get("DYNAMODB_ENDPOINT_URL") or None)


def use_table(table: Any) -> None:
    """Make every request read this table (tests, local runs); None restores the default."""
    global _override
    _override = table


def ensure_table(table: Any) -> None:
    """Create the table with the storefront's keys and indexes if it does not exist."""
    client = table.meta.client
    try:
        client.describe_table(TableName=table.name)
    except client.exceptions.ResourceNotFoundException:
        client.create_table(**keys.table_definition(table.name))
        client.get_waiter("table_exists").wait(TableName=table.name)
