"""Drafts, publishing, history and restoring: the rules of the marketing editor.

A market's wording is the compiled catalogs, under its language's overrides (every market
of the language this stage serves), under the market's own overrides. Drafts wait beside
them; publishing turns a market's drafts into one release, restoring makes an earlier
release's state the next release. Every write is conditional (overrides.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.admin.accounts import Account
from chalicelib.admin.audit import AuditLog, Event
from chalicelib.admin.catalog import SourceMessage, plural_forms
from chalicelib.admin.overrides import (
    Conflict,
    Draft,
    OverrideRepository,
    Release,
    Strings,
    TargetState,
)
from chalicelib.i18n.checks import Problem, translation_problems
from chalicelib.kernel.markets import MARKETS, Market

MIN_TEXT_CAP = 300
ATTEMPTS = 4  # a publish that loses a race re-reads and tries again this many times
__all__ = ["Conflict", "Editor", "NotAllowed", "Invalid", "Change"]


class NotAllowed(Exception):
    """This person may not change this market or language."""


class Invalid(Exception):
    """A text that breaks a rule; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Change:
    """One message of a release or a draft: before and after, per target."""

    target: str
    key: str
    before: Strings | None
    after: Strings | None
    by: str = ""
    at: int = 0


def validate(market: Market, source: SourceMessage, strings: Strings) -> list[Problem]:
    """The problems of a text for a market's message: the checks `make i18n-check` runs."""
    plural = source.plural is not None
    forms = len(plural_forms(market)) if plural else None
    against = source.plural if plural else source.msgid
    found = translation_problems(against or "", strings, forms, source.budget)
    # Without a budget a text is still bounded, so that a target's item stays far below
    # DynamoDB's 400 KB whatever is pasted into it.
    cap = max(MIN_TEXT_CAP, 3 * len(source.msgid))
    if source.budget is None and any(len(s) > cap for s in strings):
        found.append(Problem("too_long", str(cap)))
    return found


class Editor:
    """What editors and admins do to a market's wording."""

    def __init__(
        self,
        overrides: OverrideRepository,
        audit: AuditLog,
        served: Callable[[], frozenset[str]],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.overrides = overrides
        self.audit = audit
        self.served = served
        self.clock = clock

    def language_markets(self, market: Market) -> tuple[str, ...]:
        """Markets a language override of this market reaches; none when it is alone."""
        codes = tuple(
            code
            for code, other in MARKETS.items()
            if other.language == market.language and code in self.served()
        )
        return codes if len(codes) > 1 else ()

    def targets_of(self, market: Market) -> tuple[str, ...]:
        """The targets whose overrides a market shows, weakest first."""
        return (market.language, market.code) if self.language_markets(market) else (market.code,)

    def may_target(self, account: Account, market: Market, target: str) -> bool:
        """Whether this person may change this target from this market's pages."""
        if target == market.code:
            return account.may_edit(market.code)
        if target == market.language:
            return account.may_edit_all(self.language_markets(market))
        return False

    def states(self, market: Market) -> dict[str, TargetState]:
        """The market's targets as stored now."""
        return {t: self.overrides.target(t) for t in self.targets_of(market)}

    def save(
        self,
        account: Account,
        market: Market,
        target: str,
        source: SourceMessage,
        strings: Strings | None,
        started: int,
    ) -> int:
        """Save a draft (None: back to the catalog); its revision, or Conflict/Invalid."""
        if not self.may_target(account, market, target):
            raise NotAllowed(target)
        if strings is not None:
            problems = validate(market, source, strings)
            if problems:
                raise Invalid(problems)
        return self.overrides.save_draft(
            target, source.key, strings, started, account.email, int(self.clock())
        )

    def discard(self, account: Account, market: Market, target: str, key: str, started: int):
        """Drop a draft."""
        if not self.may_target(account, market, target):
            raise NotAllowed(target)
        self.overrides.discard_draft(target, key, started)

    def pending(self, account: Account, market: Market) -> list[Change]:
        """The drafts this person would publish from this market."""
        found = []
        for target, state in self.states(market).items():
            if not self.may_target(account, market, target):
                continue
            for key, draft in sorted(state.drafts.items()):
                before = state.published.get(key)
                found.append(Change(target, key, before, draft.strings, draft.by, draft.at))
        return found

    def publish(self, account: Account, market: Market, address: str = "") -> Release | None:
        """Publish this person's drafts of the market as one release; None if none."""

        def changes(states: dict[str, TargetState]) -> dict[str, dict[str, Strings | None]]:
            return {
                target: {key: draft.strings for key, draft in state.drafts.items()}
                for target, state in states.items()
                if state.drafts and self.may_target(account, market, target)
            }

        release = self._apply(account, market, changes, clear_drafts=True)
        if release is not None:
            self._audit(account, "publish", market, address, release)
        return release

    def restore(
        self, account: Account, market: Market, version: int, address: str = ""
    ) -> Release | None:
        """Make the state an earlier release left the next release; None if nothing differs."""
        if version == 0:  # before the first release: the catalogs alone
            old = Release(market.code, 0, 0, "", "", (), {})
        else:
            found = self.overrides.release(market.code, version)
            if found is None:
                raise LookupError(version)
            old = found

        def changes(states: dict[str, TargetState]) -> dict[str, dict[str, Strings | None]]:
            found: dict[str, dict[str, Strings | None]] = {}
            for target, state in states.items():
                wanted = old.state.get(target, {})
                diff: dict[str, Strings | None] = {
                    key: wanted.get(key)
                    for key in set(state.published) | set(wanted)
                    if state.published.get(key) != wanted.get(key)
                }
                if diff and not self.may_target(account, market, target):
                    raise NotAllowed(target)
                if diff:
                    found[target] = diff
            return found

        release = self._apply(account, market, changes, clear_drafts=False, restored=version)
        if release is not None:
            self._audit(account, "restore", market, address, release, restored_from=version)
        return release

    def _apply(self, account, market, changes_of, clear_drafts, restored=None) -> Release | None:
        for _ in range(ATTEMPTS):
            states = self.states(market)
            changes = changes_of(states)
            if not changes:
                return None
            try:
                return self._commit(account, market, states, changes, clear_drafts, restored)
            except Conflict:
                continue
        raise Conflict("publish")

    def _commit(self, account, market, states, changes, clear_drafts, restored) -> Release:
        now = int(self.clock())
        affected = {market.code}
        if market.language in changes:
            affected |= set(self.language_markets(market))
        for code in affected - {market.code}:  # markets of the language: their own targets too
            states.setdefault(code, self.overrides.target(code))
        listed: list[Change] = []
        for target, diff in changes.items():
            state = states[target]
            for key, after in sorted(diff.items()):
                listed.append(Change(target, key, state.published.get(key), after))
                if after is None:
                    state.published.pop(key, None)
                else:
                    state.published[key] = after
                if clear_drafts:
                    state.drafts.pop(key, None)
                state.revisions[key] = state.revision(key) + 1
        snapshots, releases = [], []
        for code in sorted(affected):
            own = self.targets_of(MARKETS[code])
            merged: dict[str, Strings] = {}
            for target in own:
                merged.update(states[target].published)
            version = self.overrides.snapshot(code)[0] + 1
            snapshots.append((code, version, merged))
            releases.append(
                Release(
                    market=code,
                    version=version,
                    at=now,
                    by=account.email,
                    origin=market.code,
                    changes=tuple(
                        {"target": c.target, "key": c.key, "before": c.before, "after": c.after}
                        for c in listed
                        if c.target in own
                    ),
                    state={t: dict(states[t].published) for t in own},
                    restored_from=restored,
                )
            )
        written = [states[t] for t in changes]
        read = [state for target, state in states.items() if target not in changes]
        self.overrides.commit(written, snapshots, releases, read)
        return next(r for r in releases if r.market == market.code)

    def _audit(self, account, action, market, address, release, **detail) -> None:
        self.audit.record(
            Event(
                at=release.at,
                actor=account.email,
                action=action,
                market=market.code,
                address=address,
                detail={"version": release.version, "messages": len(release.changes), **detail},
            )
        )

    def preview_messages(self, market: Market) -> dict[str, Strings]:
        """The market's published overrides with every draft of its targets applied."""
        merged: dict[str, Strings] = {}
        for state in self.states(market).values():  # the language, then the market: as published
            layer = dict(state.published)
            for key, draft in state.drafts.items():
                if draft.strings is None:
                    layer.pop(key, None)
                else:
                    layer[key] = draft.strings
            merged.update(layer)
        return merged


def draft_of(state: TargetState, key: str) -> Draft | None:
    """The draft of a message in a target, or None."""
    return state.drafts.get(key)
