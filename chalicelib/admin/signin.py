"""Signing in: one answer for a wrong password, an unknown or a disabled account, slowed down."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.admin import passwords, throttle
from chalicelib.admin.accounts import Account, AccountRepository, normal_email
from chalicelib.admin.audit import AuditLog, Event
from chalicelib.admin.passwords import Cost
from chalicelib.admin.sessions import Sessions, address_of
from chalicelib.admin.throttle import Throttle
from chalicelib.web.http import Request


@dataclass(frozen=True)
class Outcome:
    """A sign-in's result: a new session's cookie value, or why not (``wrong``, ``wait``)."""

    cookie: str | None = None
    account: Account | None = None
    refused: str | None = None
    wait_seconds: int = 0


class SignIn:
    """Checks a password under the per-account and per-address throttles."""

    def __init__(
        self,
        accounts: AccountRepository,
        sessions: Sessions,
        throttle_store: Throttle,
        audit: AuditLog,
        cost: Cost = passwords.DEFAULT_COST,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.accounts = accounts
        self.sessions = sessions
        self.throttle = throttle_store
        self.audit = audit
        self.cost = cost
        self.clock = clock

    def attempt(self, request: Request, email: str, password: str) -> Outcome:
        """Sign in with these credentials, or say why not without telling which was wrong."""
        now = int(self.clock())
        email = normal_email(email)[:254]
        address = address_of(request) or "unknown"
        name = email or "(empty)"  # a key attribute cannot be empty; an empty name is throttled too
        # Both keys count this attempt before its password is checked (parallel guesses too).
        # A refused address does not count against the account it named, nor the reverse order.
        wait = self.throttle.claim(throttle.ADDRESS, address, now) or self.throttle.claim(
            throttle.ACCOUNT, name, now
        )
        if wait:
            self._record(now, email, "signin-throttled", address)
            return Outcome(refused="wait", wait_seconds=wait)
        account = self.accounts.get(email) if email else None
        if account is None or not account.password:
            passwords.burn_time(password, self.cost)
            matched = False
        else:
            matched = passwords.verify(password, account.password)
        if not matched or account is None or account.disabled:
            self._record(now, email, "signin-failed", address)
            return Outcome(refused="wrong")
        self.throttle.succeeded(throttle.ADDRESS, address)
        self.throttle.forgive(throttle.ACCOUNT, name)
        if passwords.needs_rehash(account.password, self.cost):
            self.accounts.update(email, now, password=passwords.hash_password(password, self.cost))
        value, _ = self.sessions.start(account, request)
        self._record(now, email, "signin", address)
        return Outcome(cookie=value, account=account)

    def _record(self, now: int, email: str, action: str, address: str) -> None:
        self.audit.record(Event(at=now, actor=email or "-", action=action, address=address))
