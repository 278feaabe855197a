"""What keeps a cart the shopper's own: its cookie, its token, its origin, its market."""

from __future__ import annotations

import html
import secrets
from http.cookies import SimpleCookie

import pytest

from chalicelib.cart.model import digest
from chalicelib.cart.pages import CART_COOKIE
from chalicelib.cart.repository import cart_key
from chalicelib.catalog.keys import TTL_ATTRIBUTE
from tests.cart.conftest import ORIGIN, Shopper, cart_lines
from tests.cart.test_cart_flow import gettext
from tests.conftest import body, stage_client


def set_cookies(response) -> dict[str, str]:
    headers = response.headers.get("Set-Cookie") or []
    found = {}
    for header in [headers] if isinstance(headers, str) else headers:
        found[header.split("=", 1)[0]] = header
    return found


def stored(table, shopper: Shopper, market: str) -> dict | None:
    if not shopper.cart_id:
        return None
    return table.get_item(Key=cart_key(digest(shopper.cart_id), market)).get("Item")


def test_the_cart_cookie_is_host_only_secure_httponly_lax_and_unguessable(shopper, cart_table):
    response = shopper.add("fr-fr", "apple-iphone-13")
    cookies = set_cookies(response)
    cart = cookies[CART_COOKIE]
    attributes = [a.strip() for a in cart.split(";")]
    value = attributes[0].split("=", 1)[1]
    assert len(value) == 43  # 256 bits, URL-safe base64
    assert set(attributes[1:]) == {
        "Path=/", "Max-Age=2592000", "Secure", "HttpOnly", "SameSite=Lax",
    }  # fmt: skip
    count = [a.strip() for a in cookies["cart-count-fr-fr"].split(";")]
    assert count[0] == "cart-count-fr-fr=1" and "HttpOnly" not in count and "Secure" in count
    item = stored(cart_table, shopper, "fr-fr")
    assert value not in str(item)  # the table keys carts by the id's hash
    assert item["PK"] == f"CART#{digest(value)}"
    assert abs(int(item[TTL_ATTRIBUTE]) - int(item["updated_at"]) - 30 * 86400) == 0


@pytest.mark.parametrize("action", ["update", "remove"])
@pytest.mark.parametrize("token", [None, "", "forged", "other cart"])
def test_a_change_without_the_carts_token_changes_nothing(http, shopper, cart_table, action, token):
    shopper.add("nl-nl", "apple-iphone-13")
    page = shopper.cart("nl-nl")
    line = cart_lines(page)[0]
    before = stored(cart_table, shopper, "nl-nl")
    if token == "other cart":
        other = Shopper(http, ORIGIN)
        other.add("nl-nl", "apple-iphone-13")
        token = other.csrf(other.cart("nl-nl"))
    fields = {"line": line, "quantity": "3"}
    response = shopper.post(f"/nl-nl/cart/{action}", fields, csrf=False if token is None else token)
    assert response.status_code == 403
    assert gettext("nl-nl", "This form has expired") in html.unescape(body(response))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert stored(cart_table, shopper, "nl-nl") == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null", "Referer": "https://evil.example/page"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_change_from_another_site_is_refused_and_sets_no_cookie(shopper, cart_table, headers):
    shopper.add("es-es", "apple-iphone-13")
    before = stored(cart_table, shopper, "es-es")
    action, fields = shopper.offers("es-es", "samsung-galaxy-s23")[0]
    response = shopper.post(action, fields, csrf=False, headers=headers)
    assert response.status_code == 403
    assert set_cookies(response) == {}
    assert stored(cart_table, shopper, "es-es") == before

    stranger = Shopper(shopper.http, ORIGIN)
    response = stranger.post(action, fields, csrf=False, headers=headers)
    assert response.status_code == 403 and set_cookies(response) == {}


def test_a_forged_or_foreign_cart_id_is_a_fresh_empty_cart(http, shopper, cart_table):
    shopper.add("fi-fi", "apple-iphone-13")
    mine = shopper.cart("fi-fi")
    assert cart_lines(mine)
    for forged in (secrets.token_urlsafe(32), "x" * 43, shopper.cart_id[:-1] + "A", "../etc"):
        if forged == shopper.cart_id:
            continue
        other = Shopper(http, ORIGIN)
        other.jar[CART_COOKIE] = forged
        page = other.cart("fi-fi")
        assert cart_lines(page) == []
        assert other.last.status_code == 200


def test_a_cart_belongs_to_one_market(shopper, cart_table):
    shopper.add("fr-fr", "apple-iphone-13")
    line = cart_lines(shopper.cart("fr-fr"))[0]
    assert cart_lines(shopper.cart("fr-be")) == []
    before = stored(cart_table, shopper, "fr-fr")
    # The Belgian page's token cannot change the French cart: the line is not in Belgium's.
    page = shopper.cart("fr-be")
    token = shopper.csrf(page) or shopper.csrf()
    shopper.post("/fr-be/cart/remove", {"line": line}, csrf=token)
    assert stored(cart_table, shopper, "fr-fr") == before
    shopper.add("fr-be", "apple-iphone-13")
    assert len(cart_lines(shopper.cart("fr-be"))) == 1
    assert len(cart_lines(shopper.cart("fr-fr"))) == 1


def test_a_market_of_another_stage_has_no_cart_here(cart_table):
    with stage_client(cart_table, "eu") as eu:
        response = eu.http.get("/ja-jp/cart")
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == "private, no-store"
        response = eu.http.post(
            "/ja-jp/cart/add",
            headers={"Origin": ORIGIN, "Content-Type": "application/x-www-form-urlencoded"},
            body="product=apple-iphone-13",
        )
        assert response.status_code == 404 and "Set-Cookie" not in response.headers


def test_cookie_header_of_the_cart_is_parsed_as_a_browser_would(shopper):
    response = shopper.add("pt-pt", "apple-iphone-13")
    parsed = SimpleCookie()
    parsed.load(set_cookies(response)[CART_COOKIE])
    morsel = parsed[CART_COOKIE]
    assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Lax"
