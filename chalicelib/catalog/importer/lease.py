"""One writer at a time: a load or an offer update holds the table's lease while it writes.

Two writers interleaving would each rewrite manifests from what they read before the other
wrote, and lose keys (a phantom product) or prices. The lease is a conditional put of one
item; it expires, so that a writer killed while holding it blocks the table for at most
``LEASE_SECONDS``, or until an operator breaks it.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from typing import Any

LEASE_KEY = {"PK": "X#", "SK": "LEASE"}
LEASE_SECONDS = 15 * 60


class TableBusy(RuntimeError):
    """Another load or update holds the table."""


@contextlib.contextmanager
def holding(
    table: Any, what: str, seconds: float = LEASE_SECONDS, break_lease: bool = False
) -> Iterator[str]:
    """Hold the table's lease for the duration; TableBusy when another writer has it."""
    owner = uuid.uuid4().hex
    now = time.time()
    item = {**LEASE_KEY, "owner": owner, "what": what, "until": int(now + seconds)}
    condition = "attribute_not_exists(PK) OR #until <= :now"
    try:
        if break_lease:
            table.put_item(Item=item)
        else:
            table.put_item(
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeNames={"#until": "until"},
                ExpressionAttributeValues={":now": int(now)},
            )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        held = table.get_item(Key=LEASE_KEY, ConsistentRead=True).get("Item", {})
        until = time.strftime("%H:%M:%S UTC", time.gmtime(int(held.get("until", now))))
        raise TableBusy(
            f"a {held.get('what', 'writer')} holds {table.name} until {until};"
            " wait for it, or break its lease if it was killed"
        ) from None
    try:
        yield owner
    finally:
        with contextlib.suppress(table.meta.client.exceptions.ConditionalCheckFailedException):
            table.delete_item(
                Key=LEASE_KEY,
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":owner": owner},
            )
