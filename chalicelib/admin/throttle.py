"""Slowing down repeated failed sign-ins, per account name and per address.

The key is the name as typed, whether or not an account has it, so the answer never tells
whether the account exists. A few failures are free; after them each attempt must wait
twice as long as the last, up to 15 minutes; a quiet quarter of an hour forgives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.admin import keys

WINDOW_SECONDS = 900
MAX_DELAY_SECONDS = 900


@dataclass(frozen=True)
class Rule:
    """How many failures are free for one kind of key."""

    kind: str
    free: int

    def delay(self, failures: int) -> int:
        """Seconds to wait after this many failures."""
        if failures < self.free:
            return 0
        return min(2 ** (failures - self.free), MAX_DELAY_SECONDS)


ACCOUNT = Rule("account", free=5)
ADDRESS = Rule("address", free=20)  # one office's address signs many people in


class Throttle:
    """Failed sign-ins in the admin table, with TTL cleaning up after the window."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def wait(self, rule: Rule, value: str, now: int) -> int:
        """Seconds before this key may try again; 0 when it may now."""
        item = self.table.get_item(Key=keys.throttle(rule.kind, value), ConsistentRead=True)
        found = item.get("Item")
        if not found or now - int(found["last_at"]) >= WINDOW_SECONDS:
            return 0
        return max(0, int(found["next_at"]) - now)

    def failed(self, rule: Rule, value: str, now: int) -> int:
        """Count a failure (atomically, so parallel guesses all count); the new total."""
        key = keys.throttle(rule.kind, value)
        errors = self.table.meta.client.exceptions
        try:
            answer = self.table.update_item(
                Key=key,
                UpdateExpression="ADD failures :one SET last_at = :now",
                ConditionExpression="attribute_not_exists(PK) OR last_at > :stale",
                ExpressionAttributeValues={":one": 1, ":now": now, ":stale": now - WINDOW_SECONDS},
                ReturnValues="UPDATED_NEW",
            )
            failures = int(answer["Attributes"]["failures"])
        except errors.ConditionalCheckFailedException:  # forgiven: start counting again
            failures = 1
            self.table.put_item(Item={**key, "failures": 1, "last_at": now})
        delay = rule.delay(failures)
        self.table.update_item(
            Key=key,
            UpdateExpression="SET next_at = :next, #ttl = :ttl",
            ExpressionAttributeNames={"#ttl": keys.TTL_ATTRIBUTE},
            ExpressionAttributeValues={
                ":next": now + delay,
                ":ttl": now + WINDOW_SECONDS + delay,
            },
        )
        return failures

    def forgive(self, rule: Rule, value: str) -> None:
        """Forget the failures of a key (an account's, after it signs in)."""
        self.table.delete_item(Key=keys.throttle(rule.kind, value))
