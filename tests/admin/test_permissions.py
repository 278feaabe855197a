"""Who may do what on every admin route: one table of routes, each case run over all of it.

A route that the app registers under /admin and that the table below does not list fails
``test_the_table_lists_every_admin_route``: a new page cannot ship without its permission tests.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib.admin import keys
from chalicelib.admin.accounts import AccountRepository
from chalicelib.admin.audit import AuditLog
from chalicelib.admin.catalog import by_key, message_key
from chalicelib.admin.editor import Editor
from chalicelib.admin.overrides import OverrideRepository
from chalicelib.composition import create_app
from chalicelib.kernel import stages
from chalicelib.kernel.markets import MARKETS
from tests.admin.conftest import (
    PASSWORDS,
    RENDERER,
    Browser,
    assert_private,
    services_for,
    set_cookies,
)
from tests.conftest import ROOT, body

pytestmark = pytest.mark.usefixtures("private_answers")  # every answer checked as it comes

# Who a route is for.
PUBLIC = "public"  # the sign-in form, the language switch: no session needed
SIGNED_IN = "signed-in"  # any enabled account
ADMIN_ONLY = "admin-only"  # accounts and the audit log
MARKET = "market"  # a market's pages: an admin, or an editor of that market

# What an accepted write does, so that a refused one can be shown to have done none of it.
TABLE = "table"  # items of the admin table change (drafts, releases, accounts, imports)
ENDS_SESSION = "ends-session"
STARTS_SESSION = "starts-session"
SETS_LANGUAGE = "sets-language"

SESSION_COOKIE = "__Host-admin"
LOGIN_COOKIE = "__Host-admin-login"
LANGUAGE_COOKIE = "__Host-admin-lang"
EVIL = "https://evil.example"

PUBLISHED = "Best deals right now"  # published in fr-fr before each test (release 1)
PENDING = "Clear filters"  # a draft of fr-fr waiting to be published
EDITED = "Most popular"  # what the edit form saves
UPLOADED = "Filters"  # what the uploaded .po file holds
CONFIRMED = "Close"  # what the pending import waiting for confirmation holds
IMPORT_TOKEN = "pending-import-token-of-the-admin-0123456789"
PO_FILE = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    f'msgid "{UPLOADED}"\nmsgstr "Affiner"\n'
)


@dataclass(frozen=True)
class Route:
    """One admin route: its path (with a concrete market), methods and minimal valid fields."""

    pattern: str
    methods: tuple[str, ...]
    access: str
    fields: tuple[tuple[str, str], ...] = ()
    ok: int = 200  # the status of an accepted request
    effect: str = ""  # what an accepted write does

    def path(self, market: str = "fr-fr") -> str:
        concrete = self.pattern.replace(GREEDY, "no/such-page").replace("{page}", "no-page")
        return concrete.replace("{market}", market)


READ = ("GET", "HEAD")
WRITE = ("POST",)

# The single table every case below is parametrized from.
ROUTES = (
    Route("/admin/login", READ, PUBLIC),
    Route(
        "/admin/login",
        WRITE,
        PUBLIC,
        (("email", "fr@example.com"), ("password", PASSWORDS["fr@example.com"])),
        303,
        STARTS_SESSION,
    ),
    Route(
        "/admin/language", WRITE, PUBLIC, (("ui", "de-de"), ("next", "/admin/")), 303, SETS_LANGUAGE
    ),
    Route("/admin/logout", WRITE, SIGNED_IN, (), 303, ENDS_SESSION),
    Route("/admin", READ, SIGNED_IN),
    Route("/admin/password", READ, SIGNED_IN),
    Route(
        "/admin/password",
        WRITE,
        SIGNED_IN,
        (
            ("current", PASSWORDS["admin@example.com"]),
            ("password", "a brand new and long password"),
        ),
        303,
        TABLE,
    ),
    Route("/admin/accounts", READ, ADMIN_ONLY),
    Route(
        "/admin/accounts",
        WRITE,
        ADMIN_ONLY,
        (
            ("email", "new@example.com"),
            ("role", "editor"),
            ("markets", "fr-fr"),
            ("password", "a brand new and long password"),
        ),
        303,
        TABLE,
    ),
    Route("/admin/accounts/view", READ, ADMIN_ONLY, (("email", "fr@example.com"),)),
    Route(
        "/admin/accounts/view",
        WRITE,
        ADMIN_ONLY,
        (
            ("email", "fr@example.com"),
            ("action", "role"),
            ("role", "editor"),
            ("markets", "fr-fr"),
            ("markets", "de-de"),
        ),
        303,
        TABLE,
    ),
    Route("/admin/audit", READ, ADMIN_ONLY),
    Route("/admin/{market}/messages", READ, MARKET),
    Route("/admin/{market}/messages/edit", READ, MARKET, (("msgid", EDITED),)),
    Route(
        "/admin/{market}/messages/edit",
        WRITE,
        MARKET,
        (
            ("msgid", EDITED),
            ("revision", "0"),
            ("target", "fr-fr"),
            ("text", "Les plus demandés"),
            ("action", "save"),
        ),
        303,
        TABLE,
    ),
    Route("/admin/{market}/preview", READ, MARKET, (("path", "/fr-fr/"),)),
    Route("/admin/{market}/publish", READ, MARKET),
    Route("/admin/{market}/publish", WRITE, MARKET, (), 303, TABLE),
    Route("/admin/{market}/history", READ, MARKET),
    Route("/admin/{market}/history", WRITE, MARKET, (("version", "0"),), 303, TABLE),
    Route("/admin/{market}/export", READ, MARKET),
    Route("/admin/{market}/import", READ, MARKET),
    Route(
        "/admin/{market}/import",
        WRITE,
        MARKET,
        (("target", "fr-fr"), ("text", PO_FILE)),
        200,
        TABLE,
    ),
    Route("/admin/{market}/import/confirm", WRITE, MARKET, (("token", IMPORT_TOKEN),), 200, TABLE),
    # Any other address, however deep: the admin's own 404, for a signed-in person only. The
    # greedy tails below every route are sampled here; the test after the table checks them all.
    Route("/admin/{market}", READ, SIGNED_IN, (), 404),
    Route("/admin/{market}/{proxy+}", READ, SIGNED_IN, (), 404),
    Route("/admin/{market}/messages/edit/{proxy+}", READ, SIGNED_IN, (), 404),
    Route("/admin/accounts/{proxy+}", READ, SIGNED_IN, (), 404),
)
GREEDY = "{proxy+}"


@dataclass(frozen=True)
class Call:
    """One method of one route."""

    route: Route
    method: str

    @property
    def writes(self) -> bool:
        return self.method not in READ

    def __str__(self) -> str:
        return f"{self.method} {self.route.pattern}"


CALLS = [Call(route, method) for route in ROUTES for method in route.methods]
PROTECTED = [c for c in CALLS if c.route.access != PUBLIC]
WRITES = [c for c in CALLS if c.writes]
MARKET_CALLS = [c for c in CALLS if c.route.access == MARKET]
ADMIN_CALLS = [c for c in CALLS if c.route.access == ADMIN_ONLY]
NOT_HEAD = [c for c in PROTECTED if c.method != "HEAD"]


def ids(calls: list[Call]) -> list[str]:
    return [str(c) for c in calls]


# --- every response of these tests is private and never indexed -----------------------------


# --- helpers ----------------------------------------------------------------------------------

# ----------------------------------------------------------------------------------


def send(
    browser: Browser,
    call: Call,
    csrf: str | None = None,
    market: str = "fr-fr",
    origin: str | None = "same",
    referer: str | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    payload: bytes | None = None,
):
    """The call's request from this browser: query or form fields, CSRF token, Origin."""
    path = call.route.path(market)
    if not call.writes:
        url = path + ("?" + urlencode(call.route.fields) if call.route.fields else "")
        response = browser.http.http.request(call.method, url, headers=browser._headers())
    else:
        pairs = list(call.route.fields) + ([("csrf", csrf)] if csrf is not None else [])
        extra = {"Content-Type": content_type}
        if origin is not None:
            extra["Origin"] = browser.origin if origin == "same" else origin
        if referer is not None:
            extra["Referer"] = referer
        data = payload if payload is not None else urlencode(pairs).encode()
        response = browser.http.http.post(path, headers=browser._headers(extra), body=data)
    browser._keep(response)
    return response


def assert_cookie_expired(response, name: str = SESSION_COOKIE) -> None:
    cookie = set_cookies(response).get(name)
    assert cookie is not None, response.headers
    assert cookie["max-age"] == "0" and cookie["value"] == ""


def session_digest(browser: Browser) -> str:
    return hashlib.sha256(browser.jar[SESSION_COOKIE].encode()).hexdigest()


def page_csrf(browser: Browser) -> str:
    """The CSRF token of this browser's forms (its session's, or the sign-in form's)."""
    browser.get("/admin/login" if SESSION_COOKIE not in browser.jar else "/admin")
    token = browser.csrf()
    assert token
    return token


def signed_in(http, email: str = "admin@example.com", origin: str | None = None) -> Browser:
    person = Browser(http, origin) if origin else Browser(http)
    assert person.sign_in(email).status_code == 303
    return person


class World:
    """The admin table with something to lose: a release, a draft, a pending import."""

    def __init__(self, table, clock, seed: bool = True) -> None:
        self.table = table
        self.clock = clock
        if seed:
            self.seed()

    def seed(self) -> None:
        table, clock = self.table, self.clock
        admin = AccountRepository(table).get("admin@example.com")
        editor = Editor(
            OverrideRepository(table), AuditLog(table), lambda: frozenset(MARKETS), clock
        )
        fr = MARKETS["fr-fr"]
        sources = by_key()
        editor.save(admin, fr, "fr-fr", sources[message_key(PUBLISHED, None)], ("Promos",), 0)
        assert editor.publish(admin, fr) is not None
        editor.save(admin, fr, "fr-fr", sources[message_key(PENDING, None)], ("Effacer",), 0)
        table.put_item(
            Item={
                **keys.pending_import(IMPORT_TOKEN),
                "owner": "admin@example.com",
                "market": "fr-fr",
                "target": "fr-fr",
                "messages": [
                    {"key": message_key(CONFIRMED, None), "strings": ["Fermer"], "revision": 0}
                ],
                keys.TTL_ATTRIBUTE: int(clock()) + 3600,
            }
        )

    def items(self) -> list[dict]:
        found, arguments = [], {}
        while True:
            page = self.table.scan(**arguments)
            found += page["Items"]
            if "LastEvaluatedKey" not in page:
                return found
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def snapshot(self) -> tuple[dict, frozenset]:
        """Every item but sessions (whose last activity moves), and the sessions there are."""
        items = self.items()
        data = {(i["PK"], i["SK"]): i for i in items if not i["PK"].startswith("SESSION#")}
        sessions = frozenset(i["PK"] for i in items if i["PK"].startswith("SESSION#"))
        return data, sessions

    def has_session(self, digest: str) -> bool:
        return "Item" in self.table.get_item(Key=keys.session(digest), ConsistentRead=True)


@pytest.fixture
def world(request, http, admin_table, clock) -> World:
    """The table of the test; seeded when the test sends a write (a read has nothing to lose)."""
    params = getattr(request.node, "callspec", None)
    call = params.params.get("call") if params else None
    return World(admin_table, clock, seed=call is None or call.writes)


def assert_nothing_changed(world: World, before, response) -> None:
    """Not a draft, a release, an account, an import, a session or a cookie of consequence."""
    assert world.snapshot() == before
    made = set_cookies(response)
    assert SESSION_COOKIE not in made or made[SESSION_COOKIE]["max-age"] == "0"
    assert LANGUAGE_COOKIE not in made


def assert_refused_write(response, title: str | None = None) -> None:
    assert response.status_code == 403, body(response)[-1500:]
    if title:
        assert f"<h1>{title}</h1>" in body(response)


def assert_to_sign_in(call: Call, response, market: str = "fr-fr") -> None:
    """A page of a signed-out browser: 303 to the sign-in form, which comes back here."""
    assert response.status_code == 303, body(response)[-1500:]
    location = urlsplit(response.headers["Location"])
    assert location.path == "/admin/login"
    back = urlsplit(parse_qs(location.query)["next"][0])
    assert back.path == call.route.path(market)
    assert parse_qs(back.query) == parse_qs(urlencode(call.route.fields))


def assert_signed_out(call: Call, response, market: str = "fr-fr") -> None:
    if call.writes:
        assert_refused_write(response, "Your session has ended")
    else:
        assert_to_sign_in(call, response, market)


# --- the table is the app's list of routes -----------------------------------------------------


def test_the_table_lists_every_admin_route(shop_table, admin_table, clock):
    app = create_app(services_for(shop_table, admin_table, clock))
    registered = {
        (path, method)
        for path, methods in app.routes.items()
        if path.startswith("/admin")
        for method in methods
    }
    listed = {(c.route.pattern, c.method) for c in CALLS}
    declared = {(path, method) for path, method in registered if GREEDY not in path}
    assert declared - listed == set(), "admin routes without permission tests"
    assert listed - registered == set(), "the table lists routes the app does not have"


def test_every_deeper_admin_address_is_the_admins_404_or_its_sign_in(
    shop_table, admin_table, clock, world, http
):
    app = create_app(services_for(shop_table, admin_table, clock))
    tails = sorted(p for p in app.routes if p.startswith("/admin") and p.endswith(GREEDY))
    assert len(tails) > 10
    signed = signed_in(http)
    for pattern in tails:
        call = Call(Route(pattern, READ, SIGNED_IN, (), 404), "GET")
        response = send(signed, call)
        assert response.status_code == 404, pattern
        assert response.headers["Cache-Control"] == "private, no-store", pattern
        assert_signed_out(call, send(Browser(http), call))


# --- accepted: the table's fields are valid, and what an accepted write does --------------------


def allowed_browser(http, call: Call) -> Browser:
    """A browser that may use this route: signed out for the sign-in form, else the admin."""
    if call.route.pattern == "/admin/login":
        return Browser(http)
    return signed_in(http)


def assert_effect(world: World, call: Call, before, response, browser: Browser, digest) -> None:
    data, sessions = world.snapshot()
    effect = call.route.effect
    if effect == TABLE:
        assert data != before[0]
    elif effect == ENDS_SESSION:
        assert not world.has_session(digest)
        assert_cookie_expired(response)
    elif effect == STARTS_SESSION:
        assert len(sessions - before[1]) == 1
        assert set_cookies(response)[SESSION_COOKIE]["value"]
    elif effect == SETS_LANGUAGE:
        assert set_cookies(response)[LANGUAGE_COOKIE]["value"] == "de-de"


@pytest.mark.parametrize("call", CALLS, ids=ids(CALLS))
def test_allowed(world, http, call):
    browser = allowed_browser(http, call)
    token = page_csrf(browser)
    digest = session_digest(browser) if SESSION_COOKIE in browser.jar else None
    before = world.snapshot()
    response = send(browser, call, token)
    assert response.status_code == call.route.ok, body(response)[-2000:]
    assert_effect(world, call, before, response, browser, digest)


# --- signed out: no cookie, an expired session, a forged cookie ---------------------------------


@pytest.mark.parametrize("call", PROTECTED, ids=ids(PROTECTED))
def test_no_cookie_or_a_forged_one(world, browser, call):
    before = world.snapshot()
    response = send(browser, call, csrf=None)
    assert_signed_out(call, response)
    assert_nothing_changed(world, before, response)
    assert SESSION_COOKIE not in set_cookies(response)

    browser.jar[SESSION_COOKIE] = secrets.token_urlsafe(32)
    assert len(browser.jar[SESSION_COOKIE]) == 43
    response = send(browser, call, csrf=secrets.token_hex(32))
    assert_signed_out(call, response)
    assert_cookie_expired(response)
    assert_nothing_changed(world, before, response)


def expired_alike(world: World, call: Call, browser: Browser, token: str, digest: str) -> None:
    before = world.snapshot()
    response = send(browser, call, token)
    assert_signed_out(call, response)
    assert_cookie_expired(response)
    assert not world.has_session(digest)
    data, sessions = world.snapshot()
    assert data == before[0]
    assert sessions == before[1] - {f"SESSION#{digest}"}
    assert SESSION_COOKIE not in browser.jar


@pytest.mark.parametrize("call", PROTECTED, ids=ids(PROTECTED))
def test_idle_session(world, http, clock, call):
    browser = signed_in(http)
    token, digest = page_csrf(browser), session_digest(browser)
    clock.advance(31 * 60)
    expired_alike(world, call, browser, token, digest)


@pytest.mark.parametrize("call", NOT_HEAD, ids=ids(NOT_HEAD))
def test_session_past_twelve_hours_of_activity(world, http, clock, call):
    browser = signed_in(http)
    token, digest = page_csrf(browser), session_digest(browser)
    for _ in range(71):  # active every 10 minutes up to 11 h 50 min: still signed in
        clock.advance(10 * 60)
        response = browser.get("/admin/login")
        assert response.status_code == 303 and response.headers["Location"] == "/admin/"
    clock.advance(10 * 60)
    expired_alike(world, call, browser, token, digest)


# --- writes: the CSRF token and the origin -----------------------------------------------------


def writer(http, call: Call) -> tuple[Browser, str]:
    """A browser allowed to send this write, and its valid token."""
    browser = allowed_browser(http, call)
    return browser, page_csrf(browser)


def other_token(http, call: Call) -> str:
    """A valid token of another browser: its own sign-in form's, or its own session's."""
    return page_csrf(allowed_browser(http, call))


@pytest.mark.parametrize("call", WRITES, ids=ids(WRITES))
def test_write_without_its_token(world, http, call):
    browser, token = writer(http, call)
    for kind, sent in {
        "missing": None,
        "wrong": secrets.token_hex(32),
        "another session's": other_token(http, call),
    }.items():
        assert sent != token
        before = world.snapshot()
        response = send(browser, call, sent)
        assert response.status_code == 403, (kind, body(response)[-1500:])
        assert "<h1>This form has expired</h1>" in body(response), kind
        assert_nothing_changed(world, before, response)


@pytest.mark.parametrize("call", WRITES, ids=ids(WRITES))
def test_write_from_elsewhere(world, http, call):
    browser, token = writer(http, call)
    for where, (origin, referer) in {
        "foreign Origin": (EVIL, browser.origin + "/admin/"),
        "no Origin, no Referer": (None, None),
        "foreign Referer, no Origin": (None, EVIL + "/admin/"),
        "Origin null, no Referer": ("null", None),
    }.items():
        before = world.snapshot()
        response = send(browser, call, token, origin=origin, referer=referer)
        assert response.status_code == 403, (where, body(response)[-1500:])
        assert "<h1>This form has expired</h1>" in body(response), where
        assert_nothing_changed(world, before, response)


@pytest.mark.parametrize("call", WRITES, ids=ids(WRITES))
def test_write_with_our_referer_and_no_origin(world, http, call):
    browser, token = writer(http, call)
    digest = session_digest(browser) if SESSION_COOKIE in browser.jar else None
    before = world.snapshot()
    response = send(browser, call, token, origin=None, referer=browser.origin + "/admin/")
    assert response.status_code == call.route.ok, body(response)[-2000:]
    assert_effect(world, call, before, response, browser, digest)


@pytest.mark.parametrize("call", WRITES, ids=ids(WRITES))
def test_write_that_is_not_a_form(world, http, call):
    """A cross-site form may say enctype=text/plain: refused, and still a private answer."""
    browser, token = writer(http, call)
    before = world.snapshot()
    headers = browser._headers({"Content-Type": "text/plain", "Origin": browser.origin})
    response = http.http.post(call.route.path(), headers=headers, body=f"csrf={token}".encode())
    assert world.snapshot() == before
    assert 400 <= response.status_code < 500
    assert_private(response)


# --- roles and markets -------------------------------------------------------------------------


@pytest.mark.parametrize("call", MARKET_CALLS + ADMIN_CALLS, ids=ids(MARKET_CALLS + ADMIN_CALLS))
def test_editor_outside_their_markets(world, editor, call):
    token = page_csrf(editor)
    before = world.snapshot()
    response = send(editor, call, token)
    assert response.status_code == 403, body(response)[-1500:]
    if call.method != "HEAD":
        assert "<h1>You cannot do this here</h1>" in body(response)
    assert_nothing_changed(world, before, response)


@pytest.mark.parametrize("call", [c for c in MARKET_CALLS if c.method == "GET"], ids=str)
def test_editor_in_their_market(world, editor, call):
    """The same pages of fr-be are theirs (so the 403 above is about the market)."""
    url = call.route.path("fr-be")
    fields = {k: v.replace("/fr-fr/", "/fr-be/") for k, v in call.route.fields}
    assert editor.get(url, **fields).status_code == call.route.ok


@pytest.fixture
def eu_http(shop_table, admin_table, clock, accounts) -> Iterator:
    """The admin function of the eu stage (over the same table), which does not serve en-us."""
    from chalice.test import Client

    services = services_for(shop_table, admin_table, clock, renderer=RENDERER)
    with Client(create_app(services), stage_name="eu-admin", project_dir=str(ROOT)) as client:
        yield client


@pytest.mark.parametrize("call", MARKET_CALLS, ids=ids(MARKET_CALLS))
def test_unknown_or_unserved_market(world, admin, eu_http, call):
    before = world.snapshot()
    response = send(admin, call, page_csrf(admin), market="xx-yy")
    assert response.status_code == 404, body(response)[-1500:]
    assert_nothing_changed(world, before, response)

    eu_admin = signed_in(eu_http, origin=stages.get("eu").public_url)  # its PUBLIC_BASE_URL
    token = page_csrf(eu_admin)
    assert eu_admin.get("/admin/fr-fr/messages").status_code == 200  # eu serves fr-fr
    before = world.snapshot()
    response = send(eu_admin, call, token, market="en-us")
    assert response.status_code == 404, body(response)[-1500:]
    assert_nothing_changed(world, before, response)


# --- a disabled account ------------------------------------------------------------------------


def disable(admin: Browser, email: str):
    page = admin.get("/admin/accounts/view", email=email)
    assert page.status_code == 200
    form = re.search(r'<form[^>]*>(?:(?!</form>).)*value="disable".*?</form>', body(page), re.S)
    assert form, "the account page has a form that disables the account"
    return admin.post(
        "/admin/accounts/view", {"email": email, "action": "disable"}, csrf=admin.csrf(form[0])
    )


@pytest.mark.parametrize("call", NOT_HEAD, ids=ids(NOT_HEAD))
def test_disabled_while_signed_in(world, http, editor, admin, call):
    token, digest = page_csrf(editor), session_digest(editor)
    assert world.has_session(digest)
    assert disable(admin, "editor@example.com").status_code == 303
    assert not world.has_session(digest)
    before = world.snapshot()
    response = send(editor, call, token, market="fr-be")
    assert_signed_out(call, response, market="fr-be")
    assert_cookie_expired(response)
    assert not world.has_session(digest)
    assert_nothing_changed(world, before, response)


def test_disabled_account_cannot_sign_in(world, http, admin):
    assert disable(admin, "editor@example.com").status_code == 303
    wrong = Browser(http).sign_in("fr@example.com", "not the password at all")
    refused = Browser(http).sign_in("editor@example.com")
    assert refused.status_code == wrong.status_code == 401
    error = re.compile(r'<p class="errors"[^>]*>(.*?)</p>', re.S)
    assert error.search(body(refused))[1] == error.search(body(wrong))[1]
    assert SESSION_COOKIE not in set_cookies(refused)


def test_disabled_by_another_path_ends_the_session_at_the_next_request(world, editor):
    """Even when the flag is set without ending sessions (a tool, a console), it holds."""
    digest = session_digest(editor)
    AccountRepository(world.table).update("editor@example.com", int(world.clock()), disabled=True)
    assert world.has_session(digest)
    response = editor.get("/admin/fr-be/messages")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/admin/login"
    assert_cookie_expired(response)
    assert not world.has_session(digest)


@pytest.mark.parametrize(
    "path, fields",
    [
        (
            "/admin/fr-be/messages/edit",
            {"msgid": EDITED, "revision": "0", "target": "fr", "text": "Les plus demandés"},
        ),
        ("/admin/fr-be/import", {"target": "fr", "text": PO_FILE}),
    ],
    ids=["edit", "import"],
)
def test_editor_cannot_change_the_language_of_markets_they_do_not_all_edit(
    world, editor, path, fields
):
    """fr reaches fr-fr too: the Belgian editor may change fr-be only."""
    token = page_csrf(editor)
    before = world.snapshot()
    response = editor.post(path, fields, csrf=token)
    assert response.status_code == 403, body(response)[-1500:]
    assert_nothing_changed(world, before, response)
    assert editor.post(path, {**fields, "target": "fr-be"}, csrf=token).status_code in (200, 303)


def test_markets_taken_away_apply_at_the_next_request(world, editor, admin):
    assert editor.get("/admin/nl-be/messages").status_code == 200
    page = admin.get("/admin/accounts/view", email="editor@example.com")
    fields = [("email", "editor@example.com"), ("action", "role"), ("role", "editor")]
    response = admin.post(
        "/admin/accounts/view", [*fields, ("markets", "fr-be")], csrf=admin.csrf(body(page))
    )
    assert response.status_code == 303
    assert editor.get("/admin/nl-be/messages").status_code == 403
    assert editor.get("/admin/fr-be/messages").status_code == 200


def test_language_switch_before_signing_in(world, http, browser):
    """Signed out, the switch takes the sign-in form's token, and nothing else."""
    call = next(c for c in WRITES if c.route.pattern == "/admin/language")
    token = page_csrf(browser)
    someone_elses = page_csrf(Browser(http))
    for sent in (None, secrets.token_hex(32), someone_elses):
        before = world.snapshot()
        response = send(browser, call, sent)
        assert response.status_code == 403, body(response)[-1500:]
        assert_nothing_changed(world, before, response)
    response = send(browser, call, token)
    assert response.status_code == 303
    assert set_cookies(response)[LANGUAGE_COOKIE]["value"] == "de-de"
    assert SESSION_COOKIE not in set_cookies(response)
