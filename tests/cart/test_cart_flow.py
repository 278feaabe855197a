"""A shopper's whole path through the cart, in every market, over HTTP."""

from __future__ import annotations

import html
import re

import pytest

from chalicelib.cart.model import MAX_PER_LINE
from chalicelib.catalog.offers import select_offer
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests.cart.conftest import CART_PRODUCTS, cart_lines
from tests.conftest import RequestCounter, body

CODES = list(MARKETS)
TOTAL = re.compile(r'<dd class="total price">(.*?)</dd>', re.S)


def gettext(code: str, message: str) -> str:
    return translations_for(MARKETS[code].translation_chain).gettext(message)


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def price_shown(code: str, amount: int) -> str:
    return Formatter(MARKETS[code]).price(Money(amount, MARKETS[code].currency))


@pytest.mark.parametrize("code", CODES)
def test_add_change_and_remove_in_every_market(shopper, code):
    offers = shopper.offers(code, "apple-iphone-13")
    assert offers, "the product page has no add-to-cart form"
    response = shopper.add(code, "apple-iphone-13")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/{code}/cart?done=added")
    assert response.headers["Cache-Control"] == "private, no-store"
    page = body(shopper.get(response.headers["Location"]))
    assert gettext(code, "Added to your cart.") in html.unescape(page)
    assert gettext(code, "Your cart") in html.unescape(page)
    line = cart_lines(page)[0]
    # The total is today's price of the offer shown first, in the market's format.
    first = offers[0][1]
    assert f"|{first['color']}|{first['grade']}|{first['refurbisher']}" in line
    total = text(TOTAL.search(page).group(1))
    assert any(ch.isdigit() for ch in total)

    # The quantity offers 1 up to the offer's stock (at most 10): take the most.
    most = max(int(n) for n in re.findall(r'<option value="(\d+)"', page))
    response = shopper.post(f"/{code}/cart/update", {"line": line, "quantity": str(most)})
    assert response.headers["Location"].endswith("done=updated")
    page = body(shopper.get(response.headers["Location"]))
    assert gettext(code, "Quantity updated.") in html.unescape(page)
    assert f'value="{most}" selected' in page
    assert shopper.jar[f"cart-count-{code}"] == str(most)

    response = shopper.post(f"/{code}/cart/remove", {"line": line})
    assert response.status_code == 303
    page = body(shopper.get(response.headers["Location"]))
    assert gettext(code, "Removed from your cart.") in html.unescape(page)
    assert "Your cart is empty" in page or gettext(
        code, "Your cart is empty. Choose a device and an offer on its page to add it here."
    ) in html.unescape(page)
    assert shopper.jar[f"cart-count-{code}"] == "0"


def with_other_offers(table, code: str) -> tuple[str, dict]:
    """A product and the picks whose page lists other offers in the same condition."""
    repository = CatalogRepository(table, cursor_key=lambda: b"k" * 32)
    for product_id in CART_PRODUCTS:
        product = repository.product(code, product_id)
        for offer in product.offers:
            picks = {"color": offer.color, "grade": offer.grade}
            if offer.storage_gb is not None:
                picks["storage"] = offer.storage_gb
            chosen = select_offer(product, offer.storage_gb, offer.color, offer.grade)
            if chosen.others:
                return product_id, picks
    raise AssertionError(f"no product of {code} has other offers in one condition")


@pytest.mark.parametrize("code", ["fr-fr", "ja-jp", "en-us", "sv-se"])
def test_each_other_offer_can_be_chosen_and_lands_in_its_sellers_group(shopper, cart_table, code):
    product_id, picks = with_other_offers(cart_table, code)
    offers = shopper.offers(code, product_id, **picks)
    assert len(offers) >= 2, "no other offer in this condition to choose"
    for which in range(2):
        shopper.add(code, product_id, which, **picks)
    page = shopper.cart(code)
    lines = cart_lines(page)
    sellers = {fields["refurbisher"] for _, fields in offers[:2]}
    assert {line.rsplit("|", 1)[1] for line in lines} == sellers
    assert page.count('class="panel seller"') == len(sellers)


def test_a_quantity_is_capped_by_the_line_cap_and_the_stock(shopper):
    for _ in range(MAX_PER_LINE + 2):
        response = shopper.add("fr-fr", "apple-iphone-13")
    assert response.headers["Location"].endswith("done=capped")
    page = shopper.cart("fr-fr")
    selected = re.search(r'<option value="(\d+)" selected>', page).group(1)
    assert 1 <= int(selected) <= MAX_PER_LINE
    assert int(shopper.jar["cart-count-fr-fr"]) == int(selected)
    # Asking the cart page for more than that sets the most it can sell, and says so.
    line = cart_lines(page)[0]
    response = shopper.post("/fr-fr/cart/update", {"line": line, "quantity": "1000"})
    assert response.status_code == 400  # not a quantity anyone could have chosen
    response = shopper.post("/fr-fr/cart/update", {"line": line, "quantity": "99"})
    assert response.headers["Location"].endswith("done=limited")
    page = body(shopper.get(response.headers["Location"]))
    assert gettext(
        "fr-fr",
        "We set the quantity to the most we can sell you: the refurbisher’s stock, and at most"
        " 10 of one offer.",
    ) in html.unescape(page)
    assert f'<option value="{selected}" selected>' in page


@pytest.mark.parametrize(
    "fields",
    [
        {"product": "no-such-phone", "storage": "128", "color": "blue", "grade": "good"},
        {"product": "apple-iphone-13", "storage": "-1", "color": "blue", "grade": "good"},
        {"product": "apple-iphone-13", "storage": "128", "color": "<b>", "grade": "good"},
        {"product": "apple-iphone-13", "quantity": "many"},
        {"product": "apple-iphone-13", "quantity": "0"},
        {"refurbisher": ""},
    ],
)
def test_an_add_that_names_no_offer_is_refused_in_the_shoppers_language(shopper, fields):
    action, good = shopper.offers("de-de", "apple-iphone-13")[0]
    response = shopper.post(action, {**good, **fields}, csrf=False)
    if fields.get("product") == "no-such-phone":
        # A well-formed offer the catalog does not have: the cart says it cannot be sold.
        assert response.status_code == 303
        assert response.headers["Location"].endswith("done=unavailable")
        return
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "private, no-store"
    assert gettext(
        "de-de", "We could not tell which offer you chose. Go back to the product and try again."
    ) in html.unescape(body(response))
    assert "Traceback" not in body(response)


def test_an_empty_cart_page_costs_nothing_and_says_so(shopper, cart_table):
    calls = RequestCounter(cart_table)
    try:
        page = shopper.cart("it-it")
    finally:
        calls.close()
    assert calls.calls == []
    assert gettext(
        "it-it", "Your cart is empty. Choose a device and an offer on its page to add it here."
    ) in html.unescape(page)
    assert shopper.last.headers["Cache-Control"] == "private, no-store"
