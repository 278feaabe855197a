"""Admin sessions: the cookie, a new id at every sign-in, the timeouts, sign-out, ending them."""

from __future__ import annotations

import hashlib
import re

import pytest

from chalicelib.admin import keys
from tests.admin.conftest import PASSWORDS, Browser, set_cookies
from tests.conftest import body

pytestmark = pytest.mark.usefixtures("private_answers")  # every answer checked as it comes

COOKIE = "__Host-admin"
LOGIN_COOKIE = "__Host-admin-login"


class Agent(Browser):
    """A browser that says which it is (User-Agent) and where it is (CloudFront's address)."""

    def __init__(self, http, name: str, address: str = "192.0.2.10:443") -> None:
        super().__init__(http)
        self.sent = {"User-Agent": name, "CloudFront-Viewer-Address": address}

    def _headers(self, extra: dict | None = None) -> dict:
        return super()._headers({**self.sent, **(extra or {})})


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def session_item(table, value: str) -> dict | None:
    return table.get_item(Key=keys.session(digest(value)), ConsistentRead=True).get("Item")


def all_items(table) -> list[dict]:
    found, arguments = [], {}
    while True:
        page = table.scan(**arguments)
        found += page["Items"]
        if "LastEvaluatedKey" not in page:
            return found
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def signed_in(browser: Browser) -> bool:
    """Whether the browser's session opens the start page (rather than sending it to sign in)."""
    response = browser.get("/admin")
    if response.status_code == 200:
        return True
    assert response.status_code == 303, body(response)[-1000:]
    assert response.headers["Location"].startswith("/admin/login?next=")
    return False


def sign_in(browser: Browser, email: str = "editor@example.com") -> str:
    """Sign in; the new session cookie's value."""
    response = browser.sign_in(email)
    assert response.status_code == 303, body(response)[-1000:]
    return set_cookies(response)[COOKIE]["value"]


# --- the cookie ----------------------------------------------------------------------------------


def test_the_session_cookie(browser, admin_table):
    response = browser.sign_in("admin@example.com")
    assert response.status_code == 303
    cookie = set_cookies(response)[COOKIE]
    assert cookie.get("secure") == "true"
    assert cookie.get("httponly") == "true"
    assert cookie.get("samesite") == "Strict"
    assert cookie.get("path") == "/"
    assert "domain" not in cookie
    assert int(cookie["max-age"]) <= 12 * 3600
    value = cookie["value"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", value), "at least 128 random bits, url-safe"
    # The sign-in form's own cookie is forgotten once signed in.
    assert set_cookies(response)[LOGIN_COOKIE]["max-age"] == "0"

    stored = session_item(admin_table, value)
    assert stored is not None and stored["account"] == "admin@example.com"
    for item in all_items(admin_table):
        assert value not in repr(item), f"the raw session id is stored in {item['PK']}"


def test_the_sign_in_forms_cookie(browser):
    response = browser.get("/admin/login")
    cookie = set_cookies(response)[LOGIN_COOKIE]
    assert cookie.get("secure") == cookie.get("httponly") == "true"
    assert cookie.get("samesite") == "Strict" and cookie.get("path") == "/"
    assert "domain" not in cookie


def test_a_new_id_at_every_sign_in(http, admin_table):
    planted = "attacker-chosen-session-id-0123456789abcdef"
    victim = Browser(http)
    victim.jar[COOKIE] = planted  # session fixation: set before signing in
    value = sign_in(victim)
    assert value != planted
    assert session_item(admin_table, planted) is None

    # An attacker's own live session planted in the victim's browser does not become theirs.
    attacker = Browser(http)
    attackers = sign_in(attacker, "fr@example.com")
    victim2 = Browser(http)
    victim2.get("/admin/login")  # the form, loaded before the cookie is planted
    victim2.jar[COOKIE] = attackers
    response = victim2.post(
        "/admin/login",
        {"email": "editor@example.com", "password": PASSWORDS["editor@example.com"]},
    )
    assert response.status_code == 303
    assert set_cookies(response)[COOKIE]["value"] not in (attackers, value)
    assert session_item(admin_table, attackers)["account"] == "fr@example.com"

    # Signing in twice, from one browser after signing out and from another: new ids.
    again = Browser(http)
    first = sign_in(again)
    again.get("/admin")
    assert again.post("/admin/logout", {}).status_code == 303
    second = sign_in(again)
    other = sign_in(Browser(http))
    assert len({value, first, second, other}) == 4


# --- timeouts ------------------------------------------------------------------------------------


def test_idle_timeout_is_thirty_minutes(editor, clock, admin_table):
    value = editor.jar[COOKIE]
    clock.advance(29 * 60)
    assert signed_in(editor)
    clock.advance(29 * 60)  # activity moved the idle timeout: 58 minutes after signing in
    assert signed_in(editor)
    clock.advance(31 * 60)
    response = editor.get("/admin/fr-be/messages")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/login?next=")
    assert set_cookies(response)[COOKIE]["max-age"] == "0"
    assert session_item(admin_table, value) is None
    assert not signed_in(editor)


def test_absolute_timeout_is_twelve_hours_even_with_activity(editor, clock, admin_table):
    value = editor.jar[COOKIE]
    for _ in range(71):  # every 10 minutes up to 11 h 50 min
        clock.advance(10 * 60)
        response = editor.get("/admin/login")  # signed in: sent on to the start page
        assert response.status_code == 303 and response.headers["Location"] == "/admin/"
    assert session_item(admin_table, value) is not None
    clock.advance(10 * 60)
    response = editor.get("/admin")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/login?next=")
    assert set_cookies(response)[COOKIE]["max-age"] == "0"
    assert session_item(admin_table, value) is None


# --- sign-out ------------------------------------------------------------------------------------


def test_sign_out(http, editor, admin_table):
    value = editor.jar[COOKIE]
    page = editor.get("/admin")
    token = editor.csrf()
    assert "Sign out" in body(page)
    response = editor.post("/admin/logout", {}, csrf=token)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/login?signed_out=1"
    assert set_cookies(response)[COOKIE]["max-age"] == "0"
    assert session_item(admin_table, value) is None
    assert "You are signed out." in body(editor.get(response.headers["Location"]))

    replay = Browser(http)
    replay.jar[COOKIE] = value
    assert not signed_in(replay)
    replay.jar[COOKIE] = value
    refused = replay.post("/admin/logout", {}, csrf=token)
    assert refused.status_code == 403
    assert "Your session has ended" in body(refused)


def test_sign_out_needs_the_csrf_token(editor, admin_table):
    value = editor.jar[COOKIE]
    assert editor.post("/admin/logout", {}, csrf=False).status_code == 403
    assert session_item(admin_table, value) is not None
    assert signed_in(editor)


# --- an admin ends sessions ----------------------------------------------------------------------


def session_rows(page: str) -> list[str]:
    """The rows of the account page's sessions table."""
    section = page.split('id="sessions"', 1)[1]
    return re.findall(r"<tr><td>.*?</tr>", section, re.S)


def account_page(admin: Browser, email: str = "editor@example.com") -> str:
    response = admin.get("/admin/accounts/view", email=email)
    assert response.status_code == 200
    return body(response)


def test_the_account_page_lists_and_ends_sessions(http, admin, admin_table):
    one, two = Agent(http, "Browser One"), Agent(http, "Browser Two", "198.51.100.2:443")
    sign_in(one), sign_in(two)
    rows = session_rows(account_page(admin))
    assert len(rows) == 2
    assert any("Browser One" in r and "192.0.2.10" in r for r in rows)
    assert any("Browser Two" in r and "198.51.100.2" in r for r in rows)

    row = next(r for r in rows if "Browser One" in r)
    form = re.search(r"<form.*?</form>", row, re.S)[0]
    assert 'name="action" value="end-session"' in form
    session = re.search(r'name="session" value="([0-9a-f]{64})"', form)[1]
    assert session == digest(one.jar[COOKIE])
    response = admin.post(
        "/admin/accounts/view",
        {"email": "editor@example.com", "action": "end-session", "session": session},
        csrf=admin.csrf(form),
    )
    assert response.status_code == 303
    assert not signed_in(one)
    assert signed_in(two)
    rows = session_rows(account_page(admin))
    assert len(rows) == 1 and "Browser Two" in rows[0]

    sign_in(one)
    page = account_page(admin)
    assert len(session_rows(page)) == 2
    end_all = re.search(r'<form[^>]*>(?:(?!</form>).)*value="end-all".*?</form>', page, re.S)
    assert end_all and "End every session" in end_all[0]
    response = admin.post(
        "/admin/accounts/view",
        {"email": "editor@example.com", "action": "end-all"},
        csrf=admin.csrf(end_all[0]),
    )
    assert response.status_code == 303
    assert not signed_in(one)
    assert not signed_in(two)
    page = account_page(admin)
    assert session_rows(page) == [] and "No session is open." in page
    assert signed_in(admin)  # the admin's own session is another person's: untouched


def test_ending_a_session_of_someone_else_from_another_account_page(http, admin, admin_table):
    """The digest must be a session of the account whose page the form is on."""
    fr = Agent(http, "Paris")
    sign_in(fr, "fr@example.com")
    page = account_page(admin, "editor@example.com")
    response = admin.post(
        "/admin/accounts/view",
        {
            "email": "editor@example.com",
            "action": "end-session",
            "session": digest(fr.jar[COOKIE]),
        },
        csrf=admin.csrf(page),
    )
    assert response.status_code == 303
    assert signed_in(fr)


def test_a_new_password_ends_every_session(http, admin, browser):
    one, two = Agent(http, "Browser One"), Agent(http, "Browser Two")
    sign_in(one), sign_in(two)
    page = account_page(admin)
    form = re.search(r'<form[^>]*>(?:(?!</form>).)*value="password".*?</form>', page, re.S)
    assert form, "the account page has the new password form"
    new = "a completely new passphrase about waffles"
    response = admin.post(
        "/admin/accounts/view",
        {"email": "editor@example.com", "action": "password", "password": new},
        csrf=admin.csrf(form[0]),
    )
    assert response.status_code == 303, body(response)[-1500:]
    assert not signed_in(one)
    assert not signed_in(two)
    assert session_rows(account_page(admin)) == []
    assert browser.sign_in("editor@example.com").status_code == 401
    assert browser.sign_in("editor@example.com", new).status_code == 303
