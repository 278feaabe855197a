"""The one place AWS clients are made: lazily, once per name, region and endpoint."""

from __future__ import annotations

import threading
from typing import Any

import boto3

_lock = threading.Lock()
_tables: dict[tuple, Any] = {}


def dynamodb_table(name: str, region: str | None = None, endpoint_url: str | None = None) -> Any:
    """A boto3 Table, created on first use and kept for the life of the process."""
    cache_key = (name, region, endpoint_url)
    with _lock:
        if cache_key not in _tables:
            resource = boto3.resource("dynamodb", region_name=region, endpoint_url=endpoint_url)
            _tables[cache_key] = resource.Table(name)
        return _tables[cache_key]
