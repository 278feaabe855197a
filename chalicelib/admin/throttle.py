"""Slowing down repeated sign-ins, per account name and per address.

The key is the name as typed, whether or not an account has it, so the answer never tells
whether the account exists. Every attempt is counted before its password is checked, in one
conditional write, so parallel guesses cannot slip past the count; a success forgives the
account's count. A few attempts are free; after them each must wait twice as long as the
last, up to 15 minutes; an hour without attempts (longer than any wait) forgives them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from chalicelib.admin import keys

WINDOW_SECONDS = 3600
MAX_DELAY_SECONDS = 900


@dataclass(frozen=True)
class Rule:
    """How many attempts are free for one kind of key."""

    kind: str
    free: int

    def delay(self, attempts: int) -> int:
        """Seconds the next attempt waits after this many."""
        if attempts < self.free:
            return 0
        return min(2 ** (attempts - self.free), MAX_DELAY_SECONDS)


ACCOUNT = Rule("account", free=5)
ADDRESS = Rule("address", free=20)  # one office's address signs many people in


class Throttle:
    """Attempts in the admin table, with TTL cleaning up after the window."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def claim(self, rule: Rule, value: str, now: int) -> int:
        """Count an attempt if one may be made now (0), else the seconds left to wait."""
        key = keys.throttle(rule.kind, value)
        errors = self.table.meta.client.exceptions
        try:
            answer = self.table.update_item(
                Key=key,
                UpdateExpression="ADD failures :one SET last_at = :now, #ttl = :ttl",
                ConditionExpression="attribute_not_exists(PK) OR (last_at > :stale AND "
                "(failures < :free OR (attribute_exists(next_at) AND next_at <= :now)))",
                ExpressionAttributeNames={"#ttl": keys.TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":one": 1,
                    ":now": now,
                    ":stale": now - WINDOW_SECONDS,
                    ":free": rule.free,
                    ":ttl": now + WINDOW_SECONDS + MAX_DELAY_SECONDS,
                },
                ReturnValues="UPDATED_NEW",
            )
        except errors.ConditionalCheckFailedException:
            return self._refused(rule, key, now)
        attempts = int(answer["Attributes"]["failures"])
        if attempts >= rule.free:
            self._hold(key, now + rule.delay(attempts))
        return 0

    def _refused(self, rule: Rule, key: dict, now: int) -> int:
        found = self.table.get_item(Key=key, ConsistentRead=True).get("Item") or {}
        if found and now - int(found.get("last_at", now)) >= WINDOW_SECONDS:
            errors = self.table.meta.client.exceptions
            try:  # forgiven: start again from this attempt
                self.table.put_item(
                    Item={
                        **key,
                        "failures": 1,
                        "last_at": now,
                        keys.TTL_ATTRIBUTE: now + WINDOW_SECONDS,
                    },
                    ConditionExpression="last_at <= :stale",
                    ExpressionAttributeValues={":stale": now - WINDOW_SECONDS},
                )
                return 0
            except errors.ConditionalCheckFailedException:
                pass  # another attempt started again first: this one waits its turn
        return max(1, int(found.get("next_at", now + 1)) - now)

    def _hold(self, key: dict, until: int) -> None:
        self.table.update_item(
            Key=key,
            UpdateExpression="SET next_at = :until",
            ExpressionAttributeValues={":until": until},
        )

    def forgive(self, rule: Rule, value: str) -> None:
        """Forget the attempts of a key (an account's, after it signs in)."""
        self.table.delete_item(Key=keys.throttle(rule.kind, value))

    def succeeded(self, rule: Rule, value: str) -> None:
        """Take a successful attempt back out of a shared key's count (an address's)."""
        errors = self.table.meta.client.exceptions
        with contextlib.suppress(errors.ConditionalCheckFailedException):
            self.table.update_item(
                Key=keys.throttle(rule.kind, value),
                UpdateExpression="ADD failures :minus",
                ConditionExpression="attribute_exists(PK) AND failures > :zero",
                ExpressionAttributeValues={":minus": -1, ":zero": 0},
            )
