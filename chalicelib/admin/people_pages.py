"""Signing in and out, the start page, the language, accounts and the audit log."""

from __future__ import annotations

import time
from collections.abc import Callable

from chalicelib.admin.accounts import ROLES, AccountRepository, normal_email
from chalicelib.admin.audit import AuditLog
from chalicelib.admin.editor import Editor
from chalicelib.admin.frame import LANGUAGE_COOKIE, AdminView, StaleForm
from chalicelib.admin.people import People, Refused
from chalicelib.admin.sessions import (
    COOKIE,
    LOGIN_COOKIE,
    Sessions,
    Visit,
    address_of,
    session_cookie,
)
from chalicelib.admin.signin import SignIn
from chalicelib.kernel.markets import MARKETS
from chalicelib.web.cookies import SetCookie
from chalicelib.web.errors import NotFound
from chalicelib.web.http import Request, Response
from chalicelib.web.origin import same_origin

MAX_FIELD = 300


def safe_next(value: str | None) -> str | None:
    """A place to go after signing in: an admin path of ours, nothing else."""
    if not value or len(value) > 500 or not value.startswith("/admin/"):
        return None
    if "//" in value or "\\" in value or any(ord(c) < 32 for c in value):
        return None
    return value


class PeoplePages:
    """Pages about who signs in."""

    def __init__(
        self,
        admin: AdminView,
        sessions: Sessions,
        signin: SignIn,
        people: People,
        accounts: AccountRepository,
        audit: AuditLog,
        editor: Editor,
        served: Callable[[], frozenset[str]],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.admin = admin
        self.sessions = sessions
        self.signin = signin
        self.people = people
        self.accounts = accounts
        self.audit = audit
        self.editor = editor
        self.served = served
        self.clock = clock

    def login_form(self, request: Request, status: int = 200, **context) -> Response:
        """The sign-in form (or the start page for someone signed in)."""
        if status == 200 and self.sessions.open(request) is not None:
            return self.admin.see_other(request, "/admin/")
        token, cookie = self.sessions.login_token(request)
        context = {"refused": None, "wait": 0, "email": "", **context}
        response = self.admin.page(
            "admin/login.html",
            request,
            None,
            status,
            login_csrf=token,
            next=safe_next(
                request.arg("next")
                or (request.form.get("next") if request.method == "POST" else None)
            ),
            signed_out=request.arg("signed_out"),
            **context,
        )
        if cookie is not None:
            response.set_cookie(cookie)
        return response

    def login(self, request: Request) -> Response:
        """Check the credentials; a new session and a 303 to /admin/ when they hold."""
        if not same_origin(request, self.admin.links(request).origin):
            return self.admin.error(request, None, StaleForm())
        form = request.form
        if not self.sessions.login_token_ok(request, form.get("csrf") or ""):
            return self.admin.error(request, None, StaleForm())
        email = (form.get("email") or "")[:MAX_FIELD]
        outcome = self.signin.attempt(request, email, (form.get("password") or "")[:MAX_FIELD])
        if outcome.cookie is None:
            status = 429 if outcome.refused == "wait" else 401
            response = self.login_form(
                request, status, refused=outcome.refused, wait=outcome.wait_seconds, email=email
            )
            if outcome.refused == "wait":
                response.headers["Retry-After"] = str(outcome.wait_seconds)
            return response
        response = self.admin.see_other(request, safe_next(form.get("next")) or "/admin/")
        response.set_cookie(session_cookie(outcome.cookie))
        response.set_cookie(SetCookie.expired(LOGIN_COOKIE, same_site="Strict"))
        return response

    def logout(self, request: Request, visit: Visit) -> Response:
        """End the session on the server and in the browser."""
        self.accounts.end_session(visit.session.digest)
        response = self.admin.see_other(request, "/admin/login", signed_out=1)
        response.set_cookie(SetCookie.expired(COOKIE, same_site="Strict"))
        return response

    def home(self, request: Request, visit: Visit) -> Response:
        """The markets this person edits, with their pending drafts."""
        served = self.served()
        codes = [c for c in MARKETS if c in served and visit.account.may_edit(c)]
        pending = {c: len(self.editor.pending(visit.account, MARKETS[c])) for c in codes}
        return self.admin.page("admin/home.html", request, visit, codes=codes, pending=pending)

    def language(self, request: Request) -> Response:
        """Remember the language the admin pages speak, for this browser."""
        if not same_origin(request, self.admin.links(request).origin):
            return self.admin.error(request, None, StaleForm())
        form = request.form
        visit = self.sessions.open(request)
        token = form.get("csrf") or ""
        fresh = (
            self.sessions.csrf_ok(visit, token)
            if visit
            else self.sessions.login_token_ok(request, token)
        )
        if not fresh:
            return self.admin.error(request, visit, StaleForm())
        code = form.get("ui") or ""
        response = self.admin.see_other(request, safe_next(form.get("next")) or "/admin/")
        if code in MARKETS:
            response.set_cookie(
                SetCookie(LANGUAGE_COOKIE, code, max_age=365 * 86400, same_site="Strict")
            )
        return response

    def accounts_list(
        self, request: Request, visit: Visit, status: int = 200, **context
    ) -> Response:
        """Every account, and the form that creates one."""
        return self.admin.page(
            "admin/accounts.html",
            request,
            visit,
            status,
            accounts=self.accounts.all(),
            roles=ROLES,
            served=[c for c in MARKETS if c in self.served()],
            **context,
        )

    def create(self, request: Request, visit: Visit) -> Response:
        """Create an account; the form again, with the reason, when a rule is broken."""
        form = request.form
        email = normal_email(form.get("email") or "")[:MAX_FIELD]
        try:
            self.people.create(
                visit.account.email,
                email,
                form.get("role") or "",
                form.getlist("markets"),
                (form.get("password") or "")[:MAX_FIELD],
                address_of(request),
            )
        except Refused as refused:
            return self.accounts_list(request, visit, 422, refused=refused.code, email=email)
        return self.admin.see_other(request, "/admin/accounts/view", email=email, done="created")

    def account(self, request: Request, visit: Visit, status: int = 200, **context) -> Response:
        """One account: role, markets, state and sessions, with the forms that change them."""
        sent = request.form.get("email") if request.method == "POST" else request.arg("email")
        email = normal_email(sent or "")
        found = self.accounts.get(email)
        if found is None:
            raise NotFound()
        return self.admin.page(
            "admin/account.html",
            request,
            visit,
            status,
            person=found,
            roles=ROLES,
            sessions=self.accounts.sessions_of(email),
            now=int(self.clock()),
            served=[c for c in MARKETS if c in self.served()],
            done=request.arg("done"),
            **context,
        )

    def change(self, request: Request, visit: Visit) -> Response:
        """Apply one of the account page's forms."""
        form = request.form
        email = normal_email(form.get("email") or "")
        action = form.get("action") or ""
        by, address = visit.account.email, address_of(request)
        try:
            if action == "role":
                self.people.change(
                    by, email, form.get("role") or "", form.getlist("markets"), address
                )
            elif action in ("disable", "enable"):
                self.people.set_disabled(by, email, action == "disable", address)
            elif action == "password":
                self.people.set_password(
                    by, email, (form.get("password") or "")[:MAX_FIELD], address
                )
            elif action == "end-session":
                self.people.end_session(by, email, form.get("session") or "", address)
            elif action == "end-all":
                self.people.end_all(by, email, address)
            else:
                raise NotFound()
        except Refused as refused:
            return self.account(request, visit, 422, refused=refused.code)
        return self.admin.see_other(request, "/admin/accounts/view", email=email, done=action)

    def password_form(
        self, request: Request, visit: Visit, status: int = 200, **context
    ) -> Response:
        """The form where a person changes their own password."""
        context = {"refused": None, "done": request.arg("done"), **context}
        return self.admin.page("admin/password.html", request, visit, status, **context)

    def change_password(self, request: Request, visit: Visit) -> Response:
        """A new password of one's own: every session ends, this browser gets a new one."""
        form = request.form
        email = visit.account.email
        try:
            self.people.change_own_password(
                email,
                (form.get("current") or "")[:MAX_FIELD],
                (form.get("password") or "")[:MAX_FIELD],
                address_of(request),
            )
        except Refused as refused:
            return self.password_form(request, visit, 422, refused=refused.code)
        account = self.accounts.get(email)
        value, _ = self.sessions.start(account, request)
        response = self.admin.see_other(request, "/admin/password", done=1)
        response.set_cookie(session_cookie(value))
        return response

    def audit_log(self, request: Request, visit: Visit) -> Response:
        """The last week's events, newest first."""
        events = self.audit.recent(int(self.clock()))
        return self.admin.page("admin/audit.html", request, visit, events=events)
