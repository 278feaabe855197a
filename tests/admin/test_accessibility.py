"""Admin pages a person can use with a keyboard and without JavaScript, in their language."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from chalicelib.i18n.translations import ADMIN_DOMAIN, translations_for
from chalicelib.kernel.markets import MARKETS
from tests.conftest import body

PAGES = [
    "/admin/",
    "/admin/fr-be/messages",
    "/admin/fr-be/messages/edit?msgid=Best+deals+right+now",
    "/admin/sk-sk/messages/edit?msgid=%25(n)s+model",
    "/admin/fr-be/publish",
    "/admin/fr-be/history",
    "/admin/fr-be/import",
    "/admin/accounts",
    "/admin/accounts/view?email=editor%40example.com",
    "/admin/audit",
]


class Controls(HTMLParser):
    """Form controls, the labels that name them, and any script."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if "for" in found:
                self.label_for.add(found["for"])
        if tag == "script":
            self.scripts += 1
        shown = found.get("type") not in ("hidden", "submit")
        if tag in ("input", "select", "textarea") and shown:
            self.controls.append({**found, "_in_label": self.open_labels > 0, "_tag": tag})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


@pytest.mark.parametrize("path", PAGES)
def test_every_field_has_a_label_and_no_page_needs_javascript(admin, path):
    response = admin.get(path)
    assert response.status_code == 200, path
    parsed = Controls()
    parsed.feed(body(response))
    assert parsed.scripts == 0
    unnamed = [
        c for c in parsed.controls
        if not c["_in_label"] and c.get("id") not in parsed.label_for and "aria-label" not in c
    ]  # fmt: skip
    assert parsed.controls and not unnamed, unnamed


@pytest.mark.parametrize("code", MARKETS)
def test_the_sign_in_page_speaks_the_browser_language_of_every_market(browser, code):
    market = MARKETS[code]
    page = body(browser.get("/admin/login", headers={"Accept-Language": market.html_lang}))
    assert f'<html lang="{market.html_lang}">' in page
    words = translations_for(market.translation_chain, ADMIN_DOMAIN).gettext("Sign in")
    assert f"<h1>{words}</h1>" in page
    if market.language != "en":
        assert words != "Sign in"  # translated, not the source


def test_the_language_picked_wins_over_the_browser(browser):
    browser.get("/admin/login", headers={"Accept-Language": "de-DE"})
    picked = browser.post("/admin/language", {"ui": "sv-se", "next": "/admin/login"})
    assert picked.status_code == 303
    page = body(browser.get("/admin/login", headers={"Accept-Language": "de-DE"}))
    assert '<html lang="sv-SE">' in page
