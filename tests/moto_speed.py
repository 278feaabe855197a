"""moto's DynamoDB Query without sorting the whole table: the same answers, far sooner.

moto 5.2 answers every Query by sorting all the table's items (``Table.all_items``), then
the index's candidates (``Table.sorted_items``), with comparisons of its ``DynamoType``
objects that decode both values each time: about 150 ms a listing page over the shop table,
most of the suite's time. Here keys are sorted by their decoded values (strings or numbers:
the very same order), and a query of the table or of a local index looks only at its
partition, the only items it can return. Nothing else of moto changes: it stays the
DynamoDB of the tests.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any

from moto.dynamodb.models.table import Table

_query = Table.query
_QUERY = inspect.signature(_query)
# The partition a query of the table or of a local index reads: its items are the only ones
# it can return, so moto need not sort the whole table to find them.
_partition = threading.local()


def _all_items(self: Table) -> list[Any]:
    items: list[Any] = []
    if getattr(_partition, "table", None) is self:
        sets = [self.items.get(_partition.key, {})]
    else:
        sets = list(self.items.values())
    for hash_set in sets:
        if self.range_key_attr:
            items.extend(hash_set.values())
        else:
            items.append(hash_set)

    def key(item: Any) -> Any:
        if item.range_key:
            return (item.hash_key.cast_value, item.range_key.cast_value)
        return item.hash_key.cast_value

    return sorted(items, key=key)


def _sorted_items(
    self: Table, hash_key_attrs: list[str], range_key_attrs: list[str | None], items: list[Any]
) -> list[Any]:
    attrs = self._generate_attr_to_sort_by(hash_key_attrs, range_key_attrs)
    items.sort(key=lambda item: tuple(item.attrs[name].cast_value for name in attrs))
    return items


def _partition_query(self: Table, *args: Any, **kwargs: Any) -> Any:
    bound = _QUERY.bind(self, *args, **kwargs).arguments
    index = bound.get("index_name")
    local = {i.name for i in self.indexes or ()}  # a local index shares the table's partitions
    if (index and index not in local) or bound.get("hash_key") is None:
        return _query(self, *args, **kwargs)
    _partition.table, _partition.key = self, bound["hash_key"]
    try:
        return _query(self, *args, **kwargs)
    finally:
        _partition.table = None


def install() -> None:
    """Make moto's queries fast for this process (the tests)."""
    Table.all_items = _all_items  # type: ignore[method-assign]
    Table.query = _partition_query  # type: ignore[method-assign]
    Table.sorted_items = _sorted_items  # type: ignore[method-assign]
