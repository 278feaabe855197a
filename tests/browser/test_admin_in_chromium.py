"""The marketing editor in a real browser: signing in, editing, previewing, at phone widths.

Chromium keeps the cookies and sends the forms itself (no JavaScript on these pages); its
requests are answered by the app through Chalice's test client, so nothing leaves the machine.
The editor's browser speaks Belgian French, so the admin pages must too.
"""

from urllib.parse import urlsplit

import pytest

from chalicelib.i18n.translations import ADMIN_DOMAIN, translations_for
from chalicelib.kernel.markets import MARKETS
from tests.admin.conftest import (  # noqa: F401  (fixtures used by this module)
    Clock,
    accounts,
    admin_client,
    admin_table,
    clock,
    people,
)
from tests.conftest import ROOT

SHOTS = ROOT / "build" / "screenshots"
ORIGIN = "https://admin.example"
HEADLINE = "Best deals right now"


@pytest.fixture
def app(shop_table, admin_table, accounts, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ADMIN_SIGNING_SECRET", "x" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", ORIGIN)  # the editor's address: configured, never Host
    with admin_client(shop_table, admin_table, Clock()) as http:
        yield http


def _serve(app, route):
    request = route.request
    url = urlsplit(request.url)
    if url.netloc != urlsplit(ORIGIN).netloc:
        return route.abort()
    path = url.path + (f"?{url.query}" if url.query else "")
    headers = {k: v for k, v in request.headers.items()}
    headers["host"] = url.netloc
    if request.method == "POST":
        answer = app.http.post(path, headers=headers, body=request.post_data_buffer or b"")
    else:
        answer = app.http.get(path, headers=headers)
    sent = {}
    for name, value in answer.headers.items():
        sent[name] = "\n".join(value) if isinstance(value, list) else value
    if answer.status_code in (301, 302, 303):
        # Chromium does not route the target of a fulfilled redirect; a refresh it does.
        target = sent.pop("Location")
        sent["Content-Type"] = "text/html"
        refresh = f'<meta http-equiv="refresh" content="0;url={target}">'
        return route.fulfill(status=200, headers=sent, body=refresh)
    return route.fulfill(status=answer.status_code, headers=sent, body=answer.body)


@pytest.mark.parametrize(
    ("ui", "width"),
    [("fr-be", 360), ("fr-be", 390), ("fr-be", 1280), ("ja-jp", 360), ("el-gr", 390)],
)
def test_an_editor_signs_in_edits_and_previews_on_a_phone(browser, app, ui, width):
    """The Belgian editor, whose browser speaks French, Japanese or Greek, edits fr-be."""

    def _(message: str) -> str:
        return translations_for(MARKETS[ui].translation_chain, ADMIN_DOMAIN).gettext(message)

    locale = MARKETS[ui].html_lang
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: _serve_or_say(app, route))
    page.goto(ORIGIN + "/admin/fr-be/messages")
    page.wait_for_url("**/admin/login?**")
    assert "/admin/login" in page.url  # signed out: to the sign-in form, and back after it
    assert page.locator("html").get_attribute("lang") == locale
    page.get_by_label(_("Email address")).fill("editor@example.com")
    page.get_by_label(_("Password"), exact=True).fill("belgian waffles and fries")
    page.get_by_role("button", name=_("Sign in")).click()
    page.wait_for_url("**/admin/fr-be/messages")
    assert context.cookies()[0]["httpOnly"] and context.cookies()[0]["secure"]
    _fits(page, width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-messages-{ui}-{width}.png"))

    page.get_by_label(_("Search the source and the translation")).fill("meilleures offres")
    page.get_by_label(_("Search the source and the translation")).press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=HEADLINE).click()
    page.wait_for_load_state()
    field = page.get_by_label(_("Text"), exact=False).first
    field.fill("x" * 60)  # over its budget of 40
    page.get_by_role("button", name=_("Save draft")).click()
    page.wait_for_load_state()
    assert page.locator("#err_text").is_visible()
    page.screenshot(path=str(SHOTS / f"admin-edit-error-{ui}-{width}.png"), full_page=True)
    _fits(page, width)
    page.get_by_label(_("Text"), exact=False).first.fill("Les affaires de la semaine")
    page.get_by_role("button", name=_("Save draft")).click()
    page.wait_for_url("**saved=save**")
    assert page.locator("p.ok").is_visible()

    page.goto(ORIGIN + "/admin/fr-be/preview?path=/fr-be/")
    assert page.get_by_text("Les affaires de la semaine").is_visible()
    banner = page.get_by_text(_("Preview with drafts: shoppers do not see this page."))
    assert banner.is_visible()
    page.screenshot(path=str(SHOTS / f"admin-preview-{ui}-{width}.png"))
    assert not errors
    context.close()


def _fits(page, width):
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        f"{width} + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + "
        "Math.round(e.getBoundingClientRect().right))"
    )
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll} px wide at {width} px: {wide}"


def _serve_or_say(app, route):
    try:
        return _serve(app, route)
    except Exception as error:  # a route handler's error would only show as a DNS failure
        print("route failed:", repr(error))
        raise
