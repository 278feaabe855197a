"""Signing in: one answer for every wrong credential, throttling, where it leads, its CSRF token."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from chalicelib.admin import keys
from tests.admin.conftest import PASSWORDS, Browser
from tests.conftest import body

pytestmark = pytest.mark.usefixtures("private_answers")  # every answer checked as it comes

COOKIE = "__Host-admin"
LOGIN_COOKIE = "__Host-admin-login"
ERROR = re.compile(r'<p class="errors" role="alert" id="login-error">(.*?)</p>', re.S)
WRONG = "The email address or the password is not right, or the account is disabled."


class At(Browser):
    """A browser behind one address, as CloudFront tells it (CloudFront-Viewer-Address)."""

    def __init__(self, http, address: str) -> None:
        super().__init__(http)
        self.address = address

    def _headers(self, extra: dict | None = None) -> dict:
        return super()._headers({"CloudFront-Viewer-Address": self.address, **(extra or {})})


def error_of(response) -> str:
    """The sign-in form's error paragraph, as shown."""
    found = ERROR.search(body(response))
    assert found, body(response)[-1500:]
    return " ".join(found[1].split())


def sets_session(response) -> bool:
    cookies = response.headers.get("Set-Cookie") or []
    cookies = [cookies] if isinstance(cookies, str) else cookies
    return any(c.startswith(f"{COOKIE}=") and not c.startswith(f"{COOKIE}=;") for c in cookies)


def audit_events(table, clock, action: str) -> list[dict]:
    """The day's audit events of one kind (one partition per UTC day)."""
    day = dt.datetime.fromtimestamp(clock(), dt.UTC).strftime("%Y-%m-%d")
    items = table.query(
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": keys.AUDIT_PK + day},
    )["Items"]
    return [i for i in items if i["action"] == action]


def attempt(browser: Browser, email: str, password: str, **fields):
    """Open the sign-in form and send it."""
    browser.get("/admin/login")
    return browser.post("/admin/login", {"email": email, "password": password, **fields})


# --- one answer for every wrong credential -------------------------------------------------------


def test_wrong_password_unknown_account_and_disabled_account_look_the_same(
    http, admin_table, clock
):
    answers = {
        "editor@example.com": attempt(Browser(http), "editor@example.com", "not the password"),
        "nobody@example.com": attempt(Browser(http), "nobody@example.com", "not the password"),
        "gone@example.com": attempt(
            Browser(http), "gone@example.com", PASSWORDS["gone@example.com"]
        ),
    }
    for email, response in answers.items():
        assert response.status_code == 401, email
        assert error_of(response) == WRONG, email
        assert not sets_session(response), email
        assert f'value="{email}"' in body(response)  # the form keeps what was typed
    failed = audit_events(admin_table, clock, "signin-failed")
    assert sorted(e["actor"] for e in failed) == sorted(answers)
    assert not audit_events(admin_table, clock, "signin")


@pytest.mark.parametrize("email", ["", "   "], ids=["empty", "blank"])
def test_an_empty_email_is_a_wrong_credential(http, admin_table, clock, email):
    response = attempt(Browser(http), email, "not the password")
    assert response.status_code == 401, body(response)[-800:]
    assert error_of(response) == WRONG


def test_success_is_audited(http, admin_table, clock):
    response = attempt(Browser(http), "editor@example.com", PASSWORDS["editor@example.com"])
    assert response.status_code == 303
    assert [e["actor"] for e in audit_events(admin_table, clock, "signin")] == [
        "editor@example.com"
    ]


# --- throttling ----------------------------------------------------------------------------------


def fail(browser: Browser, email: str, times: int) -> None:
    for n in range(times):
        response = attempt(browser, email, f"wrong password number {n}")
        assert response.status_code == 401, (n, body(response)[-800:])


def throttled(response) -> int:
    """The wait of a throttled answer; asserts what the person sees of it."""
    assert response.status_code == 429, body(response)[-800:]
    assert "Too many failed attempts" in error_of(response)
    assert not sets_session(response)
    wait = int(response.headers["Retry-After"])
    assert wait >= 1
    return wait


def test_five_failures_for_an_account_make_the_sixth_wait(http, admin_table, clock):
    browser = Browser(http)
    fail(browser, "editor@example.com", 5)
    right = PASSWORDS["editor@example.com"]
    wait = throttled(attempt(browser, "editor@example.com", right))
    assert audit_events(admin_table, clock, "signin-throttled")

    # Another account from the same browser is not slowed down.
    assert attempt(Browser(http), "fr@example.com", PASSWORDS["fr@example.com"]).status_code == 303

    clock.advance(wait)
    response = attempt(browser, "editor@example.com", right)
    assert response.status_code == 303, body(response)[-800:]
    assert sets_session(response)


def test_the_account_throttle_does_not_tell_whether_the_account_exists(http, clock):
    known, unknown = Browser(http), Browser(http)
    fail(known, "editor@example.com", 5)
    fail(unknown, "nobody@example.com", 5)
    on_known = attempt(known, "editor@example.com", PASSWORDS["editor@example.com"])
    on_unknown = attempt(unknown, "nobody@example.com", "any password at all")
    assert throttled(on_known) == throttled(on_unknown)
    assert error_of(on_known) == error_of(on_unknown)

    clock.advance(throttled(on_known))
    assert attempt(unknown, "nobody@example.com", "still not an account").status_code == 401
    assert attempt(known, "editor@example.com", PASSWORDS["editor@example.com"]).status_code == 303


def test_the_account_throttle_counts_the_address_however_it_is_typed(http):
    browser = Browser(http)
    for n, spelling in enumerate(
        ["Editor@Example.com", " editor@example.com ", "EDITOR@example.COM"]
    ):
        assert attempt(browser, spelling, f"wrong {n} password").status_code == 401
    fail(browser, "editor@example.com", 2)
    throttled(attempt(browser, "eDiToR@example.com", PASSWORDS["editor@example.com"]))


def test_the_wait_grows_after_each_failure_once_throttled(http, clock):
    browser = Browser(http)
    fail(browser, "editor@example.com", 5)
    waits = []
    for n in range(3):
        wait = throttled(attempt(browser, "editor@example.com", "still wrong"))
        waits.append(wait)
        clock.advance(wait)
        assert attempt(browser, "editor@example.com", f"wrong again {n}").status_code == 401
    assert waits == sorted(waits) and waits[-1] > waits[0]


def test_a_quiet_hour_forgives_failures(http, clock):
    """Longer than the longest wait (15 min), so that waiting it out never resets the count."""
    browser = Browser(http)
    fail(browser, "editor@example.com", 5)
    throttled(attempt(browser, "editor@example.com", PASSWORDS["editor@example.com"]))
    clock.advance(15 * 60)  # the wait is over, but the count is not forgiven:
    assert attempt(browser, "editor@example.com", "still guessing").status_code == 401
    throttled(attempt(browser, "editor@example.com", "and again"))  # the next one waits at once
    clock.advance(60 * 60)
    fail(browser, "editor@example.com", 5)  # counted from zero again: five more are free
    throttled(attempt(browser, "editor@example.com", PASSWORDS["editor@example.com"]))


def test_an_unknown_account_costs_the_same_hashing_as_a_known_one(http, monkeypatch):
    import hashlib

    used: list[tuple[int, int, int]] = []
    scrypt = hashlib.scrypt

    def recording(password, **settings):
        used.append((settings["n"], settings["r"], settings["p"]))
        return scrypt(password, **settings)

    browser = Browser(http)
    browser.get("/admin/login")
    monkeypatch.setattr(hashlib, "scrypt", recording)
    fields = {"password": "not the password"}
    assert (
        browser.post("/admin/login", {"email": "editor@example.com", **fields}).status_code == 401
    )
    known, used[:] = list(used), []
    browser.get("/admin/login")
    assert (
        browser.post("/admin/login", {"email": "nobody@example.com", **fields}).status_code == 401
    )
    assert len(known) == 1
    assert used == known


def test_the_first_unknown_account_of_a_process_costs_one_hashing_too(monkeypatch):
    import hashlib

    from chalicelib.admin import passwords

    passwords._dummy.cache_clear()  # as in a function that has just started
    used: list[int] = []
    scrypt = hashlib.scrypt

    def recording(password, **settings):
        used.append(settings["n"])
        return scrypt(password, **settings)

    monkeypatch.setattr(hashlib, "scrypt", recording)
    cost = passwords.Cost(256, 8, 1)
    passwords.burn_time("not the password", cost)
    passwords.burn_time("not the password", cost)
    assert used == [256, 256]


def test_twenty_failures_from_one_address_make_it_wait(http, clock):
    office = At(http, "203.0.113.7:443")
    known = ["admin@example.com", "editor@example.com", "fr@example.com", "gone@example.com"]
    emails = known * 4 + [f"p{n}@example.com" for n in range(4)]
    for n, email in enumerate(emails):  # each well under the per-account limit (5)
        office.address = f"203.0.113.7:{40000 + n}"  # a new connection, a new port: same address
        assert attempt(office, email, f"wrong password {n}").status_code == 401, n
    wait = throttled(attempt(office, "admin@example.com", PASSWORDS["admin@example.com"]))

    elsewhere = At(http, "198.51.100.20:443")
    response = attempt(elsewhere, "admin@example.com", PASSWORDS["admin@example.com"])
    assert response.status_code == 303

    clock.advance(wait)
    again = attempt(office, "editor@example.com", PASSWORDS["editor@example.com"])
    assert again.status_code == 303


# --- where a sign-in leads ----------------------------------------------------------------------


def test_success_leads_to_the_start_page(http):
    response = attempt(Browser(http), "editor@example.com", PASSWORDS["editor@example.com"])
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    assert sets_session(response)


def test_success_leads_back_to_the_page_asked_for(http):
    browser = Browser(http)
    asked = browser.get("/admin/fr-be/messages", q="deals")
    assert asked.status_code == 303
    form = browser.get(asked.headers["Location"])
    assert 'name="next" value="/admin/fr-be/messages?q=deals"' in body(form)
    response = browser.post(
        "/admin/login",
        {
            "email": "editor@example.com",
            "password": PASSWORDS["editor@example.com"],
            "next": "/admin/fr-be/messages?q=deals",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/fr-be/messages?q=deals"
    assert browser.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    "next_, goes",
    [
        ("/admin/fr-be/messages", "/admin/fr-be/messages"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example", "/admin/"),
        ("/\\evil.example", "/admin/"),
        ("/admin//evil.example", "/admin/"),
        ("https://admin.test.evil.example/admin/", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
    ],
)
def test_next(http, next_, goes):
    browser = Browser(http)
    form = browser.get("/admin/login", next=next_)
    offered = f'name="next" value="{html.escape(next_)}"' in body(form)
    assert offered == (goes != "/admin/")  # a place elsewhere is not even put in the form
    response = browser.post(
        "/admin/login",
        {"email": "editor@example.com", "password": PASSWORDS["editor@example.com"], "next": next_},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == goes


# --- the sign-in form's CSRF token -------------------------------------------------------------


def test_the_sign_in_form_needs_its_token(http, admin_table, clock):
    right = {"email": "editor@example.com", "password": PASSWORDS["editor@example.com"]}

    browser = Browser(http)
    browser.get("/admin/login")
    assert LOGIN_COOKIE in browser.jar
    missing = browser.post("/admin/login", right, csrf=False)

    browser.get("/admin/login")
    token = browser.csrf()
    del browser.jar[LOGIN_COOKIE]  # the token, without the cookie it belongs to
    without_cookie = browser.post("/admin/login", right, csrf=token)

    other = Browser(http)
    other.get("/admin/login")
    browser.get("/admin/login")
    someone_elses = browser.post("/admin/login", right, csrf=other.csrf())

    for response in (missing, without_cookie, someone_elses):
        assert response.status_code == 403
        assert "This form has expired" in body(response)
        assert not sets_session(response)
    assert not audit_events(admin_table, clock, "signin")
    assert not audit_events(admin_table, clock, "signin-failed")  # not even counted

    assert attempt(browser, **right).status_code == 303
