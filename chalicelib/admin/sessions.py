"""Server-side sessions (OWASP ASVS 5.0 level 2): random ids in a ``__Host-`` cookie.

The cookie holds 256 random bits; the table keeps only their SHA-256, so a read of the
table opens no session. A session ends after 30 idle minutes or 12 hours, at sign-out, when
an admin ends it, or when its account is disabled (checked on every request).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.admin.accounts import Account, AccountRepository, Session
from chalicelib.admin.secret import Signer
from chalicelib.web.cookies import SetCookie
from chalicelib.web.http import Request

COOKIE = "__Host-admin"
LOGIN_COOKIE = "__Host-admin-login"  # ties the sign-in form's CSRF token to this browser
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
TOUCH_AFTER_SECONDS = 60  # activity is written at most once a minute per session
ID_BYTES = 32


def digest(session_id: str) -> str:
    """What the table stores of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def session_cookie(value: str) -> SetCookie:
    """The session cookie: host-only, HTTPS only, never sent by another site's request."""
    return SetCookie(COOKIE, value, max_age=ABSOLUTE_SECONDS, same_site="Strict")


def address_of(request: Request) -> str:
    """The client's address: CloudFront's viewer address, else API Gateway's source."""
    viewer = request.header("cloudfront-viewer-address")
    if viewer:
        return viewer.rsplit(":", 1)[0].strip("[]")
    return request.source_ip


@dataclass(frozen=True)
class Visit:
    """A signed-in request: who, which session, and the CSRF token of its forms."""

    account: Account
    session: Session
    csrf: str


class Sessions:
    """Opening, starting and ending sessions."""

    def __init__(
        self,
        accounts: AccountRepository,
        signer: Signer,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.accounts = accounts
        self.signer = signer
        self.clock = clock

    def open(self, request: Request) -> Visit | None:
        """The visit of a request with a live session of an enabled account, or None."""
        value = request.cookies.get(COOKIE, "")
        if not value or len(value) > 100:
            return None
        key = digest(value)
        session = self.accounts.session(key)
        if session is None:
            return None
        now = int(self.clock())
        if now - session.seen_at >= IDLE_SECONDS or now - session.created_at >= ABSOLUTE_SECONDS:
            self.accounts.end_session(key)
            return None
        account = self.accounts.get(session.email)
        if account is None or account.disabled or session.created_at < account.sessions_after:
            self.accounts.end_session(key)
            return None
        if now - session.seen_at >= TOUCH_AFTER_SECONDS and not self.accounts.touch(key, now):
            return None  # ended by someone else between the read and now
        return Visit(account, session, self.signer.sign("csrf", key))

    def start(self, account: Account, request: Request) -> tuple[str, Session]:
        """A new session with a new id (never one the browser brought)."""
        now = int(self.clock())
        value = secrets.token_urlsafe(ID_BYTES)
        session = Session(
            digest=digest(value),
            email=account.email,
            created_at=now,
            seen_at=now,
            address=address_of(request),
            agent=request.header("user-agent"),
        )
        self.accounts.start_session(session, now + ABSOLUTE_SECONDS)
        return value, session

    def csrf_ok(self, visit: Visit, token: str) -> bool:
        """Whether a form's token is this session's."""
        return self.signer.check("csrf", visit.session.digest, token)

    def login_token(self, request: Request) -> tuple[str, SetCookie | None]:
        """The sign-in form's CSRF token, and the cookie to set if the browser has none."""
        value = request.cookies.get(LOGIN_COOKIE, "")
        cookie = None
        if not value or len(value) > 100:
            value = secrets.token_urlsafe(16)
            cookie = SetCookie(LOGIN_COOKIE, value, max_age=3600, same_site="Strict")
        return self.signer.sign("login", value), cookie

    def login_token_ok(self, request: Request, token: str) -> bool:
        """Whether the sign-in form's token belongs to this browser's sign-in cookie."""
        value = request.cookies.get(LOGIN_COOKIE, "")
        return bool(value) and self.signer.check("login", value, token)
