"""The marketing editor's routes under /admin: every answer private, never stored or indexed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice import Blueprint

from chalicelib.admin.accounts import AccountRepository
from chalicelib.admin.audit import AuditLog
from chalicelib.admin.editor import Editor
from chalicelib.admin.frame import AdminGuard, AdminView
from chalicelib.admin.messages_pages import MessagePages
from chalicelib.admin.overrides import OverrideRepository
from chalicelib.admin.passwords import DEFAULT_COST, Cost
from chalicelib.admin.people import People
from chalicelib.admin.people_pages import PeoplePages
from chalicelib.admin.po import MAX_PO_BYTES
from chalicelib.admin.po_pages import PoPages
from chalicelib.admin.release_pages import PageFor, ReleasePages
from chalicelib.admin.secret import Signer
from chalicelib.admin.sessions import Sessions
from chalicelib.admin.signin import SignIn
from chalicelib.admin.throttle import Throttle
from chalicelib.web.caching import PRIVATE
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from chalicelib.web.view import View

WRITE = ("POST",)


@dataclass
class AdminServices:
    """What the admin is built with: its table, secret, clock and hash cost."""

    table: Callable[[], Any]
    signer: Signer
    page_for: PageFor
    clock: Callable[[], float] = time.time
    cost: Cost = DEFAULT_COST


class _Lazy:
    """A repository over the table of the moment (tests swap tables per app)."""

    def __init__(self, table: Callable[[], Any], kind: type) -> None:
        self._table, self._kind, self._made = table, kind, None

    def __getattr__(self, name: str) -> Any:
        table = self._table()
        if self._made is None or self._made.table is not table:
            self._made = self._kind(table)
        return getattr(self._made, name)


def blueprint(
    view: View,
    services: AdminServices,
    served: Callable[[], frozenset[str]],
    alone: bool = False,
) -> Blueprint:
    """Every admin route; ``alone``, the admin's 404 for every other path of its function too."""
    clock = services.clock
    accounts: Any = _Lazy(services.table, AccountRepository)
    audit: Any = _Lazy(services.table, AuditLog)
    overrides: Any = _Lazy(services.table, OverrideRepository)
    throttle: Any = _Lazy(services.table, Throttle)
    admin = AdminView(view)
    sessions = Sessions(accounts, services.signer, clock)
    editor = Editor(overrides, audit, served, clock)
    signin = SignIn(accounts, sessions, throttle, audit, services.cost, clock)
    people = People(accounts, audit, services.cost, clock)
    guard = AdminGuard(admin, sessions, served)
    person = PeoplePages(admin, sessions, signin, people, accounts, audit, editor, served, clock)
    messages = MessagePages(admin, editor)
    releases = ReleasePages(admin, editor, view, services.page_for)
    po = PoPages(admin, editor, services.table, clock)
    routes = Routes("admin", guard.fallback)

    table = [
        ("/admin/login", ("GET", "HEAD"), guard.public(person.login_form)),
        ("/admin/login", WRITE, guard.public(person.login)),
        ("/admin/language", WRITE, guard.public(person.language)),
        ("/admin/logout", WRITE, guard(person.logout)),
        ("/admin", ("GET", "HEAD"), guard(person.home)),
        ("/admin/password", ("GET", "HEAD"), guard(person.password_form)),
        ("/admin/password", WRITE, guard(person.change_password)),
        ("/admin/accounts", ("GET", "HEAD"), guard(person.accounts_list, admin_only=True)),
        ("/admin/accounts", WRITE, guard(person.create, admin_only=True)),
        ("/admin/accounts/view", ("GET", "HEAD"), guard(person.account, admin_only=True)),
        ("/admin/accounts/view", WRITE, guard(person.change, admin_only=True)),
        ("/admin/audit", ("GET", "HEAD"), guard(person.audit_log, admin_only=True)),
        ("/admin/{market}/messages", ("GET", "HEAD"), guard(messages.list, market=True)),
        ("/admin/{market}/messages/edit", ("GET", "HEAD"), guard(messages.edit, market=True)),
        ("/admin/{market}/messages/edit", WRITE, guard(messages.save, market=True)),
        ("/admin/{market}/preview", ("GET", "HEAD"), guard(releases.preview, market=True)),
        ("/admin/{market}/publish", ("GET", "HEAD"), guard(releases.pending, market=True)),
        ("/admin/{market}/publish", WRITE, guard(releases.publish, market=True)),
        ("/admin/{market}/history", ("GET", "HEAD"), guard(releases.history, market=True)),
        ("/admin/{market}/history", WRITE, guard(releases.restore, market=True)),
        ("/admin/{market}/export", ("GET", "HEAD"), guard(po.export, market=True)),
        ("/admin/{market}/import", ("GET", "HEAD"), guard(po.form, market=True)),
        (
            "/admin/{market}/import",
            WRITE,
            guard(po.upload, market=True, max_form_bytes=MAX_PO_BYTES),
        ),
        ("/admin/{market}/import/confirm", WRITE, guard(po.confirm, market=True)),
    ]
    for path, methods, handler in table:
        # Every type is let in: a body that is not a form is refused by Request.form, as an
        # admin page with its status (415), never Chalice's JSON without our headers.
        content_types = None
        name = "admin" + path.removeprefix("/admin").replace("/", "_").replace("{", "").replace(
            "}", ""
        )
        named = _named(handler, f"{name}_{methods[0].lower()}")
        routes.route(path, PRIVATE, methods=methods, content_types=content_types)(named)
    # Any other address under /admin, however deep: the admin's 404 (or its sign-in), never
    # the storefront's picker or API Gateway's JSON. Greedy tails, as the storefront has, since
    # API Gateway refuses "/admin/{page}" beside "/admin/{market}" (web/route_tree.py).
    not_found = _named(guard(_not_found), "admin_not_found")
    routes.complete(not_found, PRIVATE, under="/" if alone else "/admin")
    return routes.blueprint


def _not_found(request: Request, visit: Any, *_: Any, **__: str) -> Response:
    from chalicelib.web.errors import NotFound

    raise NotFound()


def _named(handler: Callable[..., Response], name: str) -> Callable[..., Response]:
    def view(request: Request, **params: str) -> Response:
        return handler(request, **params)

    view.__name__ = view.__qualname__ = name
    return view
