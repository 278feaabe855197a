"""The override store: each market's and language's published wording, drafts and releases.

One item per target (a market such as ``fr-be`` or a language such as ``fr``) holds its
published overrides, its drafts and a revision per message, so that a save is one
conditional write on that message's revision, and a publish is one transaction of a few
items whatever the number of messages: the targets, each affected market's snapshot
(what shoppers' pages read) and each affected market's release.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from chalicelib.admin import keys

Strings = tuple[str, ...]


class Conflict(Exception):
    """Someone changed the message (or the target) since this person started."""


@dataclass(frozen=True)
class Draft:
    """A pending change of one message: new strings, or None to go back to the catalog."""

    strings: Strings | None
    by: str
    at: int


@dataclass
class TargetState:
    """Everything overridden or drafted for a market or a language."""

    target: str
    published: dict[str, Strings] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)
    writes: int = 0
    exists: bool = False

    def revision(self, key: str) -> int:
        """The message's revision: it changes on every save, discard and publish of it."""
        return self.revisions.get(key, 0)


@dataclass(frozen=True)
class Release:
    """One publish (or restore) as a market saw it."""

    market: str
    version: int
    at: int
    by: str
    origin: str
    changes: tuple[dict[str, Any], ...]
    state: dict[str, dict[str, Strings]]
    restored_from: int | None = None


def _strings(value: Any) -> Strings:
    return tuple(str(s) for s in value)


def _state(target: str, item: dict[str, Any] | None) -> TargetState:
    if not item:
        return TargetState(target)
    drafts = {
        key: Draft(
            None if d.get("strings") is None else _strings(d["strings"]), d["by"], int(d["at"])
        )
        for key, d in (item.get("drafts") or {}).items()
    }
    return TargetState(
        target=target,
        published={k: _strings(v) for k, v in (item.get("published") or {}).items()},
        drafts=drafts,
        revisions={k: int(v) for k, v in (item.get("revisions") or {}).items()},
        writes=int(item.get("writes", 0)),
        exists=True,
    )


def _release(item: dict[str, Any]) -> Release:
    restored = item.get("restored_from")
    return Release(
        market=item["PK"].removeprefix("RELEASE#"),
        version=int(item["SK"]),
        at=int(item["at"]),
        by=item["by"],
        origin=item.get("origin", ""),
        changes=tuple(
            {
                "target": c["target"],
                "key": c["key"],
                "before": None if c.get("before") is None else _strings(c["before"]),
                "after": None if c.get("after") is None else _strings(c["after"]),
            }
            for c in item.get("changes") or ()
        ),
        state={t: {k: _strings(v) for k, v in m.items()} for t, m in item["state"].items()},
        restored_from=None if restored is None else int(restored),
    )


class OverrideRepository:
    """Reads and writes the override store; every read is consistent."""

    def __init__(self, table: Any) -> None:
        self.table = table

    @property
    def _errors(self) -> Any:
        return self.table.meta.client.exceptions

    def target(self, target: str) -> TargetState:
        """The overrides, drafts and revisions of a market or a language."""
        item = self.table.get_item(Key=keys.overrides(target), ConsistentRead=True).get("Item")
        return _state(target, item)

    def _ensure(self, target: str) -> None:
        with contextlib.suppress(self._errors.ConditionalCheckFailedException):
            self.table.put_item(
                Item={
                    **keys.overrides(target),
                    "published": {},
                    "drafts": {},
                    "revisions": {},
                    "writes": 0,
                },
                ConditionExpression="attribute_not_exists(PK)",
            )

    def save_draft(
        self, target: str, key: str, strings: Strings | None, started: int, by: str, at: int
    ) -> int:
        """Store a draft if the message is still at ``started``; its new revision, or Conflict."""
        self._ensure(target)
        if started == 0:
            condition = "attribute_not_exists(revisions.#k)"
            values: dict[str, Any] = {}
        else:
            condition = "revisions.#k = :started"
            values = {":started": started}
        draft = {"strings": None if strings is None else list(strings), "by": by, "at": at}
        try:
            self.table.update_item(
                Key=keys.overrides(target),
                UpdateExpression="SET drafts.#k = :draft, revisions.#k = :next ADD writes :one",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#k": key},
                ExpressionAttributeValues={
                    **values,
                    ":draft": draft,
                    ":next": started + 1,
                    ":one": 1,
                },
            )
        except self._errors.ConditionalCheckFailedException:
            raise Conflict(key) from None
        return started + 1

    def discard_draft(self, target: str, key: str, started: int) -> None:
        """Drop a draft if the message is still at ``started``; Conflict otherwise."""
        try:
            self.table.update_item(
                Key=keys.overrides(target),
                UpdateExpression="REMOVE drafts.#k SET revisions.#k = :next ADD writes :one",
                ConditionExpression="revisions.#k = :started AND attribute_exists(drafts.#k)",
                ExpressionAttributeNames={"#k": key},
                ExpressionAttributeValues={":started": started, ":next": started + 1, ":one": 1},
            )
        except self._errors.ConditionalCheckFailedException:
            raise Conflict(key) from None

    def snapshot(self, market: str) -> tuple[int, dict[str, Strings]]:
        """(version, messages) shoppers of a market see now."""
        item = self.table.get_item(Key=keys.published(market), ConsistentRead=True).get("Item")
        if not item:
            return 0, {}
        return int(item["version"]), {k: _strings(v) for k, v in item["messages"].items()}

    def releases(self, market: str, limit: int = 100) -> list[Release]:
        """A market's releases, newest first."""
        page = self.table.query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": keys.releases_of(market)},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_release(item) for item in page.get("Items", [])]

    def release(self, market: str, version: int) -> Release | None:
        """One release of a market, or None."""
        item = self.table.get_item(Key=keys.release(market, version), ConsistentRead=True)
        return _release(item["Item"]) if "Item" in item else None

    def commit(
        self,
        targets: list[TargetState],
        snapshots: list[tuple[str, int, dict[str, Strings]]],
        releases: list[Release],
        read: list[TargetState] = (),  # type: ignore[assignment]
    ) -> None:
        """Write targets, snapshots and releases in one transaction; Conflict if any moved.

        ``read`` are the targets a snapshot was merged from without being written: each must
        still be as read, or the snapshot would drop someone's release.
        """
        actions: list[dict[str, Any]] = []
        for state in read:
            check: dict[str, Any] = {
                "TableName": self.table.name,
                "Key": keys.overrides(state.target),
            }
            if state.exists:
                check["ConditionExpression"] = "writes = :seen"
                check["ExpressionAttributeValues"] = {":seen": state.writes}
            else:
                check["ConditionExpression"] = "attribute_not_exists(PK)"
            actions.append({"ConditionCheck": check})
        for state in targets:
            item = {
                **keys.overrides(state.target),
                "published": {k: list(v) for k, v in state.published.items()},
                "drafts": {
                    k: {
                        "strings": None if d.strings is None else list(d.strings),
                        "by": d.by,
                        "at": d.at,
                    }
                    for k, d in state.drafts.items()
                },
                "revisions": state.revisions,
                "writes": state.writes + 1,
            }
            condition = "writes = :seen" if state.exists else "attribute_not_exists(PK)"
            values = {":seen": state.writes} if state.exists else None
            actions.append({"Put": self._put(item, condition, values)})
        for market, version, messages in snapshots:
            item = {
                **keys.published(market),
                "version": version,
                "messages": {k: list(v) for k, v in messages.items()},
            }
            if version == 1:
                actions.append({"Put": self._put(item, "attribute_not_exists(PK)", None)})
            else:
                values = {":seen": version - 1}
                actions.append({"Put": self._put(item, "version = :seen", values)})
        for release in releases:
            item = {
                **keys.release(release.market, release.version),
                "at": release.at,
                "by": release.by,
                "origin": release.origin,
                "changes": [
                    {
                        "target": c["target"],
                        "key": c["key"],
                        "before": None if c["before"] is None else list(c["before"]),
                        "after": None if c["after"] is None else list(c["after"]),
                    }
                    for c in release.changes
                ],
                "state": {t: {k: list(v) for k, v in m.items()} for t, m in release.state.items()},
            }
            if release.restored_from is not None:
                item["restored_from"] = release.restored_from
            actions.append({"Put": self._put(item, "attribute_not_exists(PK)", None)})
        try:
            self.table.meta.client.transact_write_items(TransactItems=actions)
        except self._errors.TransactionCanceledException as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if any(code not in ("None", "ConditionalCheckFailed", None) for code in reasons):
                raise  # not a race: a malformed write, which no retry mends
            raise Conflict("publish") from None

    def _put(
        self, item: dict[str, Any], condition: str, values: dict[str, Any] | None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self.table.name,
            "Item": item,  # the resource's client serializes Python values itself
            "ConditionExpression": condition,
        }
        if values:
            put["ExpressionAttributeValues"] = values
        return put
