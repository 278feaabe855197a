"""Parallel changes to one cart, and the loader's price updates, lose nothing."""

from __future__ import annotations

import html
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.cart.model import MAX_PER_LINE, digest
from chalicelib.cart.repository import cart_key
from chalicelib.catalog.importer.offers import update_offers, validate_feed
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import minor_digits
from tests.cart.conftest import ORIGIN, Shopper, cart_lines
from tests.cart.test_cart_flow import TOTAL, gettext, price_shown
from tests.conftest import body, loaded_table, stage_client

PRICE = re.compile(r'<span class="price">(.*?)</span>', re.S)
ITEMS = re.compile(r"<dt>[^<]*</dt><dd>(.*?)</dd>", re.S)


@pytest.fixture(autouse=True)
def _environment_kept():
    """Chalice's test client swaps ``os.environ`` for a patched copy around each request and
    puts back the object it found; threads interleave those swaps, and one of them can leave
    a copy in place. The real environment is put back, as it was, after the threads ran.
    """
    real, saved = os.environ, dict(os.environ)
    yield
    os.environ = real  # noqa: B003 (the object itself is put back, then its content)
    real.clear()
    real.update(saved)


def in_stock_offers(table, market: str, product: str, count: int) -> list[dict]:
    """The add-to-cart fields of ``count`` distinct offers of a product, as its page posts them."""
    item = CatalogRepository(table, cursor_key=lambda: b"k" * 32).product(market, product)
    fields = []
    for offer in item.offers:
        if offer.stock > 0:
            fields.append(
                {
                    "product": product,
                    "storage": "" if offer.storage_gb is None else str(offer.storage_gb),
                    "color": offer.color,
                    "grade": offer.grade,
                    "refurbisher": offer.refurbisher.id,
                    "quantity": "1",
                }
            )
    assert len(fields) >= count, (product, market, len(fields))
    return fields[:count]


def test_parallel_adds_from_many_tabs_lose_no_line(http, cart_table, atomic_writes):
    first = Shopper(http, ORIGIN)
    first.add("fr-fr", "sony-playstation-5")  # the cart exists: every tab writes the same item
    offers = in_stock_offers(cart_table, "fr-fr", "apple-iphone-13", 8)
    start = threading.Barrier(len(offers), timeout=60)

    def tab(fields: dict) -> int:
        browser = Shopper(http, ORIGIN)
        browser.jar = dict(first.jar)
        start.wait()
        return browser.post("/fr-fr/cart/add", fields, csrf=False).status_code

    with ThreadPoolExecutor(len(offers)) as pool:
        statuses = list(pool.map(tab, offers))
    assert statuses == [303] * len(offers)
    item = cart_table.get_item(Key=cart_key(digest(first.cart_id), "fr-fr"))["Item"]
    assert int(item["version"]) == 1 + len(offers)  # every add landed on its own version
    lines = cart_lines(first.cart("fr-fr"))
    assert len(lines) == 1 + len(offers)


def test_parallel_quantity_changes_leave_a_total_that_matches_the_lines(
    http, cart_table, atomic_writes
):
    shopper = Shopper(http, ORIGIN)
    for fields in in_stock_offers(cart_table, "it-it", "apple-iphone-13", 3):
        shopper.post("/it-it/cart/add", fields, csrf=False)
    page = shopper.cart("it-it")
    token = shopper.csrf(page)
    lines = cart_lines(page)

    def change(job: tuple[str, str]) -> int:
        line, action = job
        browser = Shopper(http, ORIGIN)
        browser.jar = dict(shopper.jar)
        start.wait()
        fields = {"line": line, "quantity": "2"}
        return browser.post(f"/it-it/cart/{action}", fields, csrf=token).status_code

    jobs = [(line, "update") for line in lines] + [(lines[0], "remove")] + [(lines[1], "update")]
    start = threading.Barrier(len(jobs), timeout=60)
    with ThreadPoolExecutor(len(jobs)) as pool:
        assert set(pool.map(change, jobs)) == {303}
    page = shopper.cart("it-it")
    kept = cart_lines(page)
    assert set(kept) <= set(lines) and lines[2] in kept and lines[1] in kept
    assert_total_is_the_sum_of_the_lines(page, "it-it", cart_table, shopper)


def expected_total(table, code: str, shopper: Shopper) -> int:
    """The cart's total worked out from the table alone: today's prices, stock, shipping."""
    item = table.get_item(Key=cart_key(digest(shopper.cart_id), code))["Item"]
    repository = CatalogRepository(table, cursor_key=lambda: b"k" * 32)
    subtotals: dict[str, int] = {}
    terms = {}
    for raw in json.loads(item["lines"]):
        product = repository.product(code, raw["p"])
        offer = next(
            (o for o in product.offers if (o.refurbisher.id, o.storage_gb, o.color, o.grade)
             == (raw["r"], raw["s"], raw["c"], raw["g"])), None,
        )  # fmt: skip
        if offer is None or offer.stock <= 0:
            continue
        quantity = min(int(raw["q"]), offer.stock, MAX_PER_LINE)
        subtotals[raw["r"]] = subtotals.get(raw["r"], 0) + offer.price.amount * quantity
        terms[raw["r"]] = offer.refurbisher.shipping
    total = 0
    for seller, subtotal in subtotals.items():
        free = terms[seller].free_from and subtotal >= terms[seller].free_from.amount
        total += subtotal + (0 if free else terms[seller].price.amount)
    return total


def assert_total_is_the_sum_of_the_lines(page: str, code: str, table, shopper: Shopper) -> None:
    """The total shown is what the table's prices, stock and shipping add up to."""
    shown = re.sub(r"\D", "", html.unescape(re.sub(r"<[^>]+>", "", TOTAL.search(page).group(1))))
    total = expected_total(table, code, shopper)
    scale = 10 ** minor_digits(MARKETS[code].currency)
    whole = str(total // scale) if total % scale == 0 else None
    assert shown in (str(total), whole), (shown, total)


def test_a_price_update_while_a_cart_is_open_is_shown_with_both_prices(moto_dynamodb, cart_catalog):
    table = loaded_table(moto_dynamodb, "storefront-carts-updated", cart_catalog)
    with stage_client(table) as client:
        shopper = Shopper(client, ORIGIN)
        (fields,) = in_stock_offers(table, "en-gb", "apple-iphone-13", 1)
        (second,) = in_stock_offers(table, "en-gb", "samsung-galaxy-s23", 1)
        shopper.post("/en-gb/cart/add", fields, csrf=False)
        shopper.post("/en-gb/cart/add", second, csrf=False)
        assert len(cart_lines(body(shopper.get("/en-gb/cart")))) == 2
        item = CatalogRepository(table, cursor_key=lambda: b"k" * 32).product(
            "en-gb", "apple-iphone-13"
        )
        offer = next(o for o in item.offers if o.refurbisher.id == fields["refurbisher"]
                     and o.color == fields["color"] and o.grade == fields["grade"]
                     and str(o.storage_gb) == fields["storage"])  # fmt: skip
        lower = offer.price.amount - 2000
        row = {"product": "apple-iphone-13", "market": "en-gb",
               "refurbisher": fields["refurbisher"], "storage_gb": offer.storage_gb,
               "color": offer.color, "grade": offer.grade, "price": lower,
               "stock": offer.stock}  # fmt: skip
        sold = dict(row, product="samsung-galaxy-s23", refurbisher=second["refurbisher"],
                    storage_gb=int(second["storage"]) if second["storage"] else None,
                    color=second["color"], grade=second["grade"], stock=0)  # fmt: skip
        sold.pop("price")
        changes, refused = validate_feed([row, dict(sold, price=offer.price.amount)])
        assert not refused, [str(r) for r in refused]
        update_offers(table, changes)
        page = html.unescape(body(shopper.get("/en-gb/cart")))
        old, new = price_shown("en-gb", offer.price.amount), price_shown("en-gb", lower)
        said = gettext("en-gb", "The price went down from %(old)s to %(new)s since you added it.")
        assert said % {"old": old, "new": new} in re.sub(r"<[^>]+>", "", page)
        assert (
            gettext("en-gb", "Sold out since you added it: it is not counted in your total.")
            in page
        )
        assert_total_is_the_sum_of_the_lines(page, "en-gb", table, shopper)
