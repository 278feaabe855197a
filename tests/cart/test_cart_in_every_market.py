"""In every market: a price change and a sell-out reported on the cart, the tax said the
market's way, and the page valid HTML with every control labelled."""

from __future__ import annotations

import html
import json
import re
import subprocess

import pytest

from chalicelib.catalog.importer.offers import update_offers, validate_feed
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n.formatting import Formatter
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests.cart.conftest import ORIGIN, Shopper, cart_lines
from tests.cart.test_cart_concurrency import assert_total_is_the_sum_of_the_lines, in_stock_offers
from tests.cart.test_cart_flow import gettext
from tests.conftest import body, loaded_table, stage_client
from tests.storefront.test_html_valid import _checker

TAX = {
    "included": "VAT included",
    "added_at_checkout": "Plus sales tax at checkout",
    "zeikomi": "(tax included)",
}


def feed_row(table, code: str, fields: dict, **change) -> dict:
    """The feed row of the offer a cart line holds, with its price or stock changed."""
    product = CatalogRepository(table, cursor_key=lambda: b"k" * 32).product(
        code, fields["product"]
    )
    offer = next(
        o for o in product.offers
        if (o.refurbisher.id, o.color, o.grade) == (fields["refurbisher"], fields["color"],
                                                    fields["grade"])
        and ("" if o.storage_gb is None else str(o.storage_gb)) == fields["storage"]
    )  # fmt: skip
    row = {"product": fields["product"], "market": code, "refurbisher": offer.refurbisher.id,
           "storage_gb": offer.storage_gb, "color": offer.color, "grade": offer.grade,
           "price": offer.price.amount, "stock": offer.stock}  # fmt: skip
    return {**row, **change}


@pytest.fixture(scope="module")
def changed_shop(moto_dynamodb, cart_catalog):
    """Every market's shopper holds two offers; then one gets cheaper and one sells out."""
    table = loaded_table(moto_dynamodb, "storefront-carts-everywhere", cart_catalog)
    # A module's fixture runs before each test's environment: it sets the origin itself.
    with pytest.MonkeyPatch.context() as env, stage_client(table) as client:
        env.setenv("PUBLIC_BASE_URL", ORIGIN)
        shoppers, rows, before = {}, [], {}
        for code in MARKETS:
            shopper = Shopper(client, ORIGIN)
            (phone,) = in_stock_offers(table, code, "apple-iphone-13", 1)
            (other,) = in_stock_offers(table, code, "samsung-galaxy-s23", 1)
            for fields in (phone, other):
                assert shopper.post(f"/{code}/cart/add", fields, csrf=False).status_code == 303
            shoppers[code] = shopper
            if MARKETS[code].country == "BE" and code == "nl-be":
                continue  # fr-be's rows move Belgium's two markets (one country, one price)
            cheaper = feed_row(table, code, phone)
            before[code] = cheaper["price"]
            cheaper["price"] -= 1000  # 10.00 in a currency of cents, ¥1,000 in Japan
            rows += [cheaper, feed_row(table, code, other, stock=0)]
        before["nl-be"] = before["fr-be"]
        changes, refused = validate_feed(rows)
        assert not refused, [str(r) for r in refused]
        update_offers(table, changes)
        yield table, shoppers, before


@pytest.mark.parametrize("code", list(MARKETS))
def test_the_cart_reports_a_price_change_and_a_sell_out_in_every_market(changed_shop, code):
    table, shoppers, before = changed_shop
    shopper = shoppers[code]
    page = body(shopper.get(f"/{code}/cart"))
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    down = gettext(code, "The price went down from %(old)s to %(new)s since you added it.")
    # Prices shown together keep decimals if one of them needs them (Formatter.aligned).
    fmt = Formatter(MARKETS[code])
    said = [
        down
        % {
            "old": show(Money(before[code], currency)),
            "new": show(Money(before[code] - 1000, currency)),
        }
        for currency in [MARKETS[code].currency]
        for show in (fmt.price, fmt.money)
    ]
    assert any(s in text.replace("（税込）", "") for s in said), said
    sold = gettext(code, "Sold out since you added it: it is not counted in your total.")
    assert sold in text
    assert len(cart_lines(page)) == 2
    assert gettext(code, TAX[MARKETS[code].tax_note]) in text
    assert_total_is_the_sum_of_the_lines(page, code, table, shopper)
    assert shopper.last.headers["Cache-Control"] == "private, no-store"


def test_cart_pages_are_valid_html(changed_shop, tmp_path):
    _table, shoppers, _ = changed_shop
    files = {}
    for code in ("fr-fr", "ja-jp", "en-us", "el-gr"):
        page = body(shoppers[code].get(f"/{code}/cart?done=added"))
        files[code] = tmp_path / f"cart-{code}.html"
        files[code].write_text(page, encoding="utf-8")
    empty = Shopper(shoppers["fr-fr"].http, ORIGIN).cart("de-de")
    files["empty"] = tmp_path / "cart-empty.html"
    files["empty"].write_text(empty, encoding="utf-8")
    command = _checker() + ["--errors-only", "--format", "json", *map(str, files.values())]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert not messages, [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    for file in files.values():
        page = file.read_text(encoding="utf-8")
        for control in re.findall(r'<select id="([^"]+)"', page):
            assert f'<label for="{control}">' in page


def test_a_lower_stock_lowers_the_quantity_and_says_so(changed_shop):
    table, shoppers, _ = changed_shop
    shopper = Shopper(shoppers["de-de"].http, ORIGIN)
    product = CatalogRepository(table, cursor_key=lambda: b"k" * 32).product(
        "de-de", "apple-iphone-13"
    )
    offer = next(o for o in product.offers if o.stock >= 3)
    fields = {"product": product.id, "storage": str(offer.storage_gb), "color": offer.color,
              "grade": offer.grade, "refurbisher": offer.refurbisher.id,
              "quantity": "3"}  # fmt: skip
    assert shopper.post("/de-de/cart/add", fields, csrf=False).status_code == 303
    changes, refused = validate_feed([feed_row(table, "de-de", fields, stock=1)])
    assert not refused
    update_offers(table, changes)
    page = body(shopper.get("/de-de/cart"))
    said = gettext("de-de", "Only %(n)s left: we lowered the quantity from %(wanted)s to %(n)s.")
    assert said % {"n": 1, "wanted": 3} in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert '<option value="1" selected>' in page
    assert shopper.jar["cart-count-de-de"] == "1"  # the header's count follows what is counted
    assert_total_is_the_sum_of_the_lines(page, "de-de", table, shopper)
