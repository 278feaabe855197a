"""Managing accounts: create, change, disable (ending every session at once), end sessions.

Both the admin pages and `tools/accounts.py` go through here, so the rules hold on every
path: a valid address, a known role, markets of the registry, a password that is not weak.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chalicelib.admin import passwords
from chalicelib.admin.accounts import (
    ADMIN,
    EDITOR,
    ROLES,
    Account,
    AccountExists,
    AccountRepository,
    normal_email,
    valid_email,
)
from chalicelib.admin.audit import AuditLog, Event
from chalicelib.admin.passwords import Cost
from chalicelib.kernel.markets import MARKETS


class Refused(ValueError):
    """An account change that breaks a rule; ``code`` says which (the pages translate it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def checked_markets(role: str, codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The markets of an account, in registry order; Refused when unknown or missing."""
    if role not in ROLES:
        raise Refused("role")
    unknown = [c for c in codes if c not in MARKETS]
    if unknown:
        raise Refused("markets")
    if role == EDITOR and not codes:
        raise Refused("no_markets")
    return tuple(code for code in MARKETS if code in codes)


class People:
    """Account changes, each written to the audit log with who made it."""

    def __init__(
        self,
        accounts: AccountRepository,
        audit: AuditLog,
        cost: Cost = passwords.DEFAULT_COST,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.accounts = accounts
        self.audit = audit
        self.cost = cost
        self.clock = clock

    def create(
        self, by: str, email: str, role: str, markets: list[str], password: str, address: str = ""
    ) -> Account:
        """A new account; Refused with the rule it breaks."""
        email = normal_email(email)
        if not valid_email(email):
            raise Refused("email")
        codes = checked_markets(role, markets)
        weak = passwords.weakness(password, email)
        if weak:
            raise Refused(f"password_{weak}")
        now = int(self.clock())
        account = Account(
            email=email,
            role=role,
            markets=codes,
            password=passwords.hash_password(password, self.cost),
            created_at=now,
            updated_at=now,
        )
        try:
            self.accounts.create(account)
        except AccountExists:
            raise Refused("exists") from None
        self._record(by, "account-created", address, email=email, role=role, markets=codes)
        return account

    def change(self, by: str, email: str, role: str, markets: list[str], address: str = "") -> None:
        """Change a person's role and markets; the last enabled admin stays one."""
        codes = checked_markets(role, markets)
        found = self.accounts.get(email)
        if found is None:
            raise Refused("unknown")
        if found.is_admin and role != ADMIN and not self._other_admins(email):
            raise Refused("last_admin")
        self.accounts.update(email, int(self.clock()), role=role, markets=codes)
        self._record(by, "account-changed", address, email=email, role=role, markets=codes)

    def set_disabled(self, by: str, email: str, disabled: bool, address: str = "") -> int:
        """Disable (ending every session now) or enable an account; sessions ended."""
        if self.accounts.get(email) is None:
            raise Refused("unknown")
        if disabled and email == by:
            raise Refused("self")
        now = int(self.clock())
        if disabled:
            self.accounts.update(email, now, disabled=True, sessions_after=now)
        else:
            self.accounts.update(email, now, disabled=False)
        ended = self.accounts.end_sessions_of(email) if disabled else 0
        action = "account-disabled" if disabled else "account-enabled"
        self._record(by, action, address, email=email, sessions_ended=ended)
        return ended

    def set_password(self, by: str, email: str, password: str, address: str = "") -> None:
        """A new password; every session of the account ends."""
        if self.accounts.get(email) is None:
            raise Refused("unknown")
        if email == by:
            raise Refused("self_password")  # with the current password: change_own_password
        self._new_password(by, email, password, address)

    def change_own_password(self, email: str, current: str, password: str, address: str = ""):
        """A person's own new password, given the current one; every session of theirs ends."""
        found = self.accounts.get(email)
        if found is None or not passwords.verify(current, found.password):
            raise Refused("current")
        if password == current:
            raise Refused("same")
        self._new_password(email, email, password, address)

    def _new_password(self, by: str, email: str, password: str, address: str) -> None:
        weak = passwords.weakness(password, email)
        if weak:
            raise Refused(f"password_{weak}")
        now = int(self.clock())
        hashed = passwords.hash_password(password, self.cost)
        self.accounts.update(email, now, password=hashed, sessions_after=now)
        ended = self.accounts.end_sessions_of(email)
        self._record(by, "password-changed", address, email=email, sessions_ended=ended)

    def end_session(self, by: str, email: str, digest: str, address: str = "") -> bool:
        """End one session of a person; False when it is not theirs or already gone."""
        if not any(s.digest == digest for s in self.accounts.sessions_of(email)):
            return False
        self.accounts.end_session(digest)
        self._record(by, "session-ended", address, email=email, session=digest[:8])
        return True

    def end_all(self, by: str, email: str, address: str = "") -> int:
        """End every session of a person."""
        ended = self.accounts.end_sessions_of(email)
        self._record(by, "sessions-ended", address, email=email, sessions_ended=ended)
        return ended

    def _other_admins(self, email: str) -> bool:
        return any(a.is_admin and a.email != email for a in self.accounts.all())

    def _record(self, by: str, action: str, address: str, **detail: object) -> None:
        now = int(self.clock())
        self.audit.record(Event(at=now, actor=by, action=action, address=address, detail=detail))
