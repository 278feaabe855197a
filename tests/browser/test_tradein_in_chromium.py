"""A seller's trade-in in Chromium: pick, describe, read the offer, accept, follow it.

Phones first: German (long words) and France (the identity document's fields, the longest
IBAN) at 360 px, France at 390 px, the US (the state and a routing number) at 1280 px.
Every page is checked for sideways scrolling, targets under 24 px and script errors.
"""

from __future__ import annotations

import pytest

from tests.browser.test_cart_in_chromium import assert_clean, layout_problems, shopper_page
from tests.conftest import TRADEIN_PRODUCTS as PRODUCTS
from tests.conftest import stage_client
from tests.tradein.conftest import details

ORIGIN = "https://shop.example"
CASES = [("de-de", 360), ("fr-fr", 360), ("fr-fr", 390), ("en-us", 1280)]


@pytest.fixture(scope="module")
def app(tradein_table, tradein_key):
    with stage_client(tradein_table) as client:
        yield client


@pytest.fixture(autouse=True)
def _origin(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", ORIGIN)


@pytest.mark.parametrize(("code", "width"), CASES)
def test_a_seller_gets_an_offer_and_accepts_it_in_chromium(browser, app, code, width):
    context, page, errors = shopper_page(browser, app, code, width)
    problems: list[str] = []
    try:
        assert page.goto(f"{ORIGIN}/{code}/").status == 200
        page.locator(".sell a").click()
        page.wait_for_url(f"**/{code}/trade-in")
        problems += layout_problems(page)
        page.locator(f'.models a[href$="/trade-in/d/{PRODUCTS[0]}"]').click()
        page.wait_for_url(f"**/trade-in/d/{PRODUCTS[0]}")
        for group in page.locator("fieldset.q").all():
            group.locator("input[type=radio]").first.check()
        problems += layout_problems(page)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/trade-in/q/*")
        problems += layout_problems(page)
        page.locator("a.big").click()
        page.wait_for_url("**/accept")
        form = details(code)
        for name, value in form.items():
            field = page.locator(f'[name="{name}"]')
            if value == "yes":
                field.check()
            elif field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        problems += layout_problems(page)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/trade-in/q/*?done=accepted")
        account = (form.get("iban") or form["account"]).replace(" ", "")
        assert f"•••• {account[-4:]}" in page.locator("main").inner_text()
        problems += layout_problems(page)
        assert_clean(page, problems, errors, f"tradein-{code}-{width}")
    finally:
        context.close()
