"""Fixtures of the marketing editor: an admin table, a clock we move, accounts, a browser."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from chalicelib.admin.accounts import AccountRepository
from chalicelib.admin.audit import AuditLog
from chalicelib.admin.keys import table_definition
from chalicelib.admin.passwords import Cost
from chalicelib.admin.people import People
from chalicelib.composition import TEMPLATE_GLOBALS, Services, create_app
from chalicelib.web.render import Renderer
from tests import browsing
from tests.conftest import ROOT, body

SECRET = "test-signing-secret-that-is-long-enough-0123456789"
ORIGIN = "https://admin.test"
# Cheap in tests; the deployed cost (DEFAULT_COST) is measured in docs/admin.md and tested once.
TEST_COST = Cost(n=2**8, r=8, p=1)
PASSWORDS = {
    "admin@example.com": "correct horse battery staple",
    "editor@example.com": "belgian waffles and fries",
    "fr@example.com": "paris in the springtime",
    "gone@example.com": "nobody signs in with this",
}
START = 1_796_000_000  # 2026-11-29, a fixed instant
# One template environment for every admin test's app, so that each does not compile them again.
RENDERER = Renderer(TEMPLATE_GLOBALS)


class Clock:
    """A clock the test moves: epoch seconds."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let time pass."""
        self.now += seconds


_count = 0


@pytest.fixture
def admin_table(moto_dynamodb):
    """An empty admin table of its own."""
    global _count
    _count += 1
    return moto_dynamodb.create_table(**table_definition(f"storefront-admin-test-{_count}"))


@pytest.fixture
def clock() -> Clock:
    """The time every part of the app reads."""
    return Clock()


@pytest.fixture(autouse=True)
def signing_secret(monkeypatch):
    """The secret locally comes from the environment."""
    monkeypatch.setenv("ADMIN_SIGNING_SECRET", SECRET)


@pytest.fixture(autouse=True)
def public_base_url(monkeypatch):
    """The editor's own address, from configuration (never from the Host header)."""
    monkeypatch.setenv("PUBLIC_BASE_URL", ORIGIN)


@pytest.fixture
def people(admin_table, clock) -> People:
    """The account service over the test table."""
    return People(AccountRepository(admin_table), AuditLog(admin_table), TEST_COST, clock)


@pytest.fixture
def accounts(people):
    """An admin, the Belgian editor (fr-be, nl-be), a French editor and a disabled account."""
    for email, role, markets in (
        ("admin@example.com", "admin", []),
        ("editor@example.com", "editor", ["fr-be", "nl-be"]),
        ("fr@example.com", "editor", ["fr-fr"]),
        ("gone@example.com", "editor", ["fr-be"]),
    ):
        people.create("test", email, role, markets, PASSWORDS[email])
    people.set_disabled("test", "gone@example.com", True)
    return PASSWORDS


class Browser(browsing.Browser):
    """A browser on the admin: keeps cookies, sends our Origin, reads forms' CSRF tokens."""

    def __init__(self, http, origin: str = ORIGIN) -> None:
        super().__init__(http, origin)

    def sign_in(self, email: str, password: str | None = None):
        """Open the sign-in page and send the form."""
        self.get("/admin/login")
        return self.post("/admin/login", {"email": email, "password": password or PASSWORDS[email]})


def services_for(shop_table, admin_table, clock, **more) -> Services:
    """The app's services over the test tables and clock."""
    return Services(
        catalog_table=lambda: shop_table,
        admin_table=lambda: admin_table,
        clock=clock,
        password_cost=TEST_COST,
        **more,
    )


@contextlib.contextmanager
def admin_client(shop_table, admin_table, clock, **more) -> Iterator:
    """A Chalice test client of the dev stage over the test tables."""
    from chalice.test import Client

    more.setdefault("renderer", RENDERER)
    services = services_for(shop_table, admin_table, clock, **more)
    with Client(create_app(services), stage_name="dev", project_dir=str(ROOT)) as http:
        http.services = services
        yield http


@pytest.fixture
def http(shop_table, admin_table, clock, accounts):
    """The app's test client, with the accounts in its table."""
    with admin_client(shop_table, admin_table, clock) as test_client:
        yield test_client


@pytest.fixture
def browser(http) -> Browser:
    """A browser with nobody signed in."""
    return Browser(http)


@pytest.fixture
def editor(http) -> Browser:
    """A browser where the Belgian editor (fr-be, nl-be) is signed in."""
    person = Browser(http)
    assert person.sign_in("editor@example.com").status_code == 303
    return person


@pytest.fixture
def admin(http) -> Browser:
    """A browser where the admin is signed in."""
    person = Browser(http)
    assert person.sign_in("admin@example.com").status_code == 303
    return person


def assert_private(response) -> None:
    """What every admin answer carries, whatever its route and outcome."""
    headers = response.headers
    assert headers.get("Cache-Control") == "private, no-store", headers
    assert "noindex" in headers.get("X-Robots-Tag", ""), headers
    text = body(response)
    if headers.get("Content-Type", "").startswith("text/html") and text:
        assert '<meta name="robots" content="noindex' in text


@pytest.fixture
def private_answers(monkeypatch):
    """Check each response a Browser receives as it arrives (for modules of admin pages only)."""
    keep = Browser._keep

    def checked(self, response):
        assert_private(response)
        keep(self, response)

    monkeypatch.setattr(Browser, "_keep", checked)


def set_cookies(response) -> dict[str, dict[str, str]]:
    """The cookies a response sets: name to {"value", and each attribute in lower case}."""
    found: dict[str, dict[str, str]] = {}
    headers = response.headers.get("Set-Cookie") or []
    for header in [headers] if isinstance(headers, str) else headers:
        name, _, rest = header.partition("=")
        value, *attributes = rest.split(";")
        entry = {"value": value}
        for attribute in attributes:
            key, _, setting = attribute.strip().partition("=")
            entry[key.strip().lower()] = setting or "true"
        found[name] = entry
    return found
