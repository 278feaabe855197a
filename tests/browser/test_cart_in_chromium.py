"""A shopper's cart in Chromium at 360, 390 and 1280 px: add from a product page, change, remove.

The browser talks to the app itself (forms post, redirects are followed, cookies are kept by
Chromium), so this also proves the header's count, read by the layout's script from its
cookie, on pages the CDN could cache for everyone.
"""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

import pytest

from chalicelib.kernel.markets import MARKETS
from tests.browser.test_layout_in_chromium import JAPANESE_BREAKS, OVERFLOW, SHOTS, SMALL_TARGETS
from tests.cart.conftest import CART_PRODUCTS, OTHER_CATEGORIES
from tests.conftest import loaded_table, stage_client

ORIGIN = "https://shop.example"
# The header of nl-be is the tallest, Greek words the longest, Japanese breaks lines its own way:
# the layout of every market is walked by test_layout_in_chromium.py; here the flow.
# Each of them and each width at least once (the layout walk has every market at every width).
CASES = [("nl-be", 360), ("el-gr", 390), ("ja-jp", 1280), ("ja-jp", 360)]


@pytest.fixture(scope="module")
def app(moto_dynamodb, demo_catalog):
    catalog = copy.deepcopy(demo_catalog)
    wanted = CART_PRODUCTS + OTHER_CATEGORIES
    catalog["products"] = [p for p in catalog["products"] if p["id"] in wanted]
    table = loaded_table(moto_dynamodb, "storefront-carts-in-chromium", catalog)
    with stage_client(table) as client:
        yield client


@pytest.fixture(autouse=True)
def _origin(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", ORIGIN)


def serve(app):
    """Answer every request of the page from the app, as API Gateway would pass it on."""

    def answer(route) -> None:
        request = route.request
        url = urlsplit(request.url)
        if url.netloc != urlsplit(ORIGIN).netloc:
            return route.abort()
        headers = {k: v for k, v in request.headers.items() if not k.startswith(":")}
        path = url.path + (f"?{url.query}" if url.query else "")
        response = app.http.request(
            request.method, path, headers=headers, body=request.post_data_buffer or b""
        )
        sent = {}
        for name, value in response.headers.items():
            sent[name] = "\n".join(value) if isinstance(value, list) else value
        return route.fulfill(status=response.status_code, headers=sent, body=response.body)

    return answer


def layout_problems(page) -> list[str]:
    found = page.evaluate(OVERFLOW) + page.evaluate(SMALL_TARGETS)
    if page.evaluate("document.documentElement.lang").startswith("ja"):
        found += page.evaluate(JAPANESE_BREAKS)
    return found


def shopper_page(browser, app, code: str, width: int) -> tuple:
    """A phone-sized (or desktop) page in the market's language, served by the app: the
    context, the page and the list its script errors are collected in."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale=MARKETS[code].html_lang
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.route("**/*", serve(app))
    return context, page, errors


def assert_clean(page, problems: list[str], errors: list[str], name: str) -> None:
    """No layout problem and no script error; a screenshot of the page to look at if any."""
    if problems:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert not problems and not errors, problems + errors


@pytest.mark.parametrize(("code", "width"), CASES)
def test_a_shopper_adds_changes_and_removes_in_chromium(browser, app, code, width):
    context, page, errors = shopper_page(browser, app, code, width)
    try:
        assert page.goto(f"{ORIGIN}/{code}/p/apple-iphone-13").status == 200
        assert page.locator("#cart-count").is_hidden()
        page.locator(".buy form.add button[type=submit]").click()
        page.wait_for_url(f"**/{code}/cart?done=added")
        assert page.locator("#cart-count").inner_text() == "1"
        assert page.locator(".cline").count() == 1
        problems = layout_problems(page)
        options = page.locator(".cline select option").count()
        if options >= 2:
            page.locator(".cline select").select_option("2")
            page.locator(".cline form.qty button").click()
            page.wait_for_url(f"**/{code}/cart?done=updated")
            assert page.locator("#cart-count").inner_text() == "2"
        # Back on a catalog page, the header shows the count from its cookie.
        page.goto(f"{ORIGIN}/{code}/")
        assert page.locator("#cart-count").inner_text() == ("2" if options >= 2 else "1")
        page.goto(f"{ORIGIN}/{code}/cart")
        page.locator(".cline form:not(.qty) button").click()
        page.wait_for_url(f"**/{code}/cart?done=removed")
        assert page.locator(".cline").count() == 0
        assert page.locator("#cart-count").is_hidden()
        problems += layout_problems(page)
        assert_clean(page, problems, errors, f"cart-{code}-{width}")
    finally:
        context.close()
