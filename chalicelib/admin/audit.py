"""The audit log: sign-ins, failures, publishes, restores and account changes, for admins."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from chalicelib.admin import keys

KEEP_DAYS = 400  # a year of history and the month after it


@dataclass(frozen=True)
class Event:
    """One thing that happened, by whom, from where."""

    at: int
    actor: str
    action: str
    market: str = ""
    address: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def _day(at: int) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%d")


class AuditLog:
    """Append-only events, one partition per UTC day."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def record(self, event: Event) -> None:
        """Store an event; never its secrets (callers pass no passwords, ids or tokens)."""
        stamp = dt.datetime.fromtimestamp(event.at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.table.put_item(
            Item={
                "PK": keys.AUDIT_PK + _day(event.at),
                "SK": f"{stamp}#{secrets.token_hex(4)}",
                "at": event.at,
                "actor": event.actor,
                "action": event.action,
                "market": event.market,
                "address": event.address[:64],
                "detail": {k: str(v)[:300] for k, v in event.detail.items()},
                keys.TTL_ATTRIBUTE: event.at + KEEP_DAYS * 86400,
            }
        )

    def recent(self, now: int, days: int = 7, limit: int = 300) -> list[Event]:
        """The newest events of the last ``days`` days (one Query per day)."""
        found: list[Event] = []
        for back in range(days):
            day = _day(now - back * 86400)
            page = self.table.query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": keys.AUDIT_PK + day},
                ScanIndexForward=False,
                Limit=limit - len(found),
            )
            found += [
                Event(
                    at=int(item["at"]),
                    actor=item["actor"],
                    action=item["action"],
                    market=item.get("market", ""),
                    address=item.get("address", ""),
                    detail=dict(item.get("detail") or {}),
                )
                for item in page.get("Items", [])
            ]
            if len(found) >= limit:
                break
        return found
