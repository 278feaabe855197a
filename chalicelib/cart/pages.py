"""The cart's pages and forms: one cart per market in a ``__Host-`` cookie, PRG on every change."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Protocol

from chalicelib.cart import actions
from chalicelib.cart.model import (
    CART_DAYS,
    Cart,
    OfferRef,
    digest,
    is_cart_id,
    new_cart_id,
)
from chalicelib.cart.repository import CartRepository
from chalicelib.cart.review import review
from chalicelib.catalog.delivery import today_in
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n import N_
from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money
from chalicelib.web.cookies import SetCookie
from chalicelib.web.errors import BadRequest, HttpError
from chalicelib.web.http import Request, Response, redirect
from chalicelib.web.origin import same_origin
from chalicelib.web.view import View

CART_COOKIE = "__Host-cart"
NOTICES = frozenset(
    (actions.ADDED, actions.CAPPED, actions.UNAVAILABLE, actions.FULL, actions.UPDATED,
     actions.LIMITED, actions.REMOVED)
)  # fmt: skip


def count_cookie_name(market: str) -> str:
    """The cookie the layout's script reads for the header's item count (not HttpOnly)."""
    return f"cart-count-{market}"


class StaleCartForm(HttpError):
    """A change that did not come from our own page, or whose token does not fit the cart."""

    status = 403
    title = N_("This form has expired")
    message = N_("Your cart has not changed. Open your cart again and repeat the change.")


class BadOffer(BadRequest):
    """An add or a change that names no offer we could sell."""

    title = N_("We could not read what you sent")

    message = N_("We could not tell which offer you chose. Go back to the product and try again.")


class Busy(HttpError):
    """The cart changed under every attempt of one change."""

    status = 409
    title = N_("Your cart was busy")
    message = N_("It was changed in another window at the same moment. Please try again.")


class Credit(Protocol):
    """Money the shopper expects from elsewhere (a trade-in), shown against the total."""

    title: str
    amount: Money
    link: str


# Asked once per cart page: the credit this shopper expects in this market, if any.
CreditLookup = Callable[[Request, Market], Credit | None]


class CartPages:
    """The cart page and its three changes, for the markets of this stage."""

    def __init__(
        self,
        view: View,
        carts: Callable[[], CartRepository],
        catalog: Callable[[], CatalogRepository],
        clock: Callable[[], float],
        credit: CreditLookup | None = None,
    ) -> None:
        self.view = view
        self.carts = carts
        self.catalog = catalog
        self.clock = clock
        self.credit = credit or (lambda request, market: None)

    # ------------------------------------------------------------------------- reading

    def show(self, request: Request, market: Market) -> Response:
        """The cart of this market: at most two requests (the cart, one batch of products)."""
        cart_id = self._cart_id(request)
        cart = self.carts().get(digest(cart_id), market.code) if cart_id else Cart("", market.code)
        ids = list(dict.fromkeys(line.offer.product for line in cart.lines))
        products = self.catalog().products(market.code, ids) if ids else {}
        checked = review(cart, products, market, today_in(market))
        done = request.arg("done")
        response = self.view.page(
            "cart/cart.html",
            request,
            market,
            review=checked,
            csrf=self._token(cart.digest) if cart.digest else "",
            done=done if done in NOTICES else None,
            credit=self.credit(request, market),
        )
        if request.cookies.get(count_cookie_name(market.code)) != str(checked.count):
            response.set_cookie(_count_cookie(market, checked.count))
        return response

    # ------------------------------------------------------------------------- changes

    def add(self, request: Request, market: Market) -> Response:
        """Add an offer chosen on a product page; the cookie is made on the first add."""
        self._from_our_pages(request, token_required=False)
        form = request.form
        ref = _offer_of(form.get("product"), form.get("storage"), form.get("color"),
                        form.get("grade"), form.get("refurbisher"))  # fmt: skip
        quantity = _quantity(form.get("quantity") or "1", low=1)
        if ref is None or quantity is None:
            raise BadOffer()
        product = self.catalog().product(market.code, ref.product)
        cart_id = self._cart_id(request) or new_cart_id()
        now = int(self.clock())
        return self._change(request, market, cart_id, actions.adding(ref, quantity, product, now))

    def update(self, request: Request, market: Market) -> Response:
        """Set a line's quantity from the cart page."""
        cart_id = self._from_our_pages(request, token_required=True)
        ref = OfferRef.from_key(request.form.get("line") or "")
        quantity = _quantity(request.form.get("quantity") or "", low=0)
        if ref is None or quantity is None:
            raise BadOffer()
        product = self.catalog().product(market.code, ref.product) if quantity else None
        return self._change(request, market, cart_id, actions.setting(ref.key, quantity, product))

    def remove(self, request: Request, market: Market) -> Response:
        """Remove a line from the cart page."""
        cart_id = self._from_our_pages(request, token_required=True)
        ref = OfferRef.from_key(request.form.get("line") or "")
        if ref is None:
            raise BadOffer()
        return self._change(request, market, cart_id, actions.removing(ref.key))

    # ------------------------------------------------------------------------- the checks

    def _change(
        self, request: Request, market: Market, cart_id: str, change: actions.Change
    ) -> Response:
        try:
            cart, outcome = actions.apply(self.carts(), digest(cart_id), market.code, change)
        except actions.CartBusy as error:
            raise Busy() from error
        response = redirect(self.view.links(request, market).cart(done=outcome), status=303)
        response.set_cookie(SetCookie(CART_COOKIE, cart_id, max_age=CART_DAYS * 86400))
        return response.set_cookie(_count_cookie(market, cart.count))

    def _from_our_pages(self, request: Request, token_required: bool) -> str:
        """The cart id of a change sent by our own page; StaleCartForm for anything else.

        Every change must come from our origin (Origin, else Referer) and, since the cookie is
        SameSite=Lax, no other site's form can even send it. The add button sits on a public,
        cached product page, which cannot carry a per-shopper token (docs/cart.md); every
        other change carries the token of its cart.
        """
        if not same_origin(request, self.view.links(request, None).origin):
            raise StaleCartForm()
        if request.header("sec-fetch-site") not in ("", "same-origin"):
            raise StaleCartForm()
        cart_id = self._cart_id(request)
        if not token_required:
            return cart_id
        token = request.form.get("csrf") or ""
        if not cart_id or not hmac.compare_digest(token, self._token(digest(cart_id))):
            raise StaleCartForm()
        return cart_id

    def _token(self, cart_digest: str) -> str:
        key = self.view.settings().cursor_key
        return hmac.new(key, b"cart csrf\n" + cart_digest.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _cart_id(request: Request) -> str:
        value = request.cookies.get(CART_COOKIE, "")
        return value if is_cart_id(value) else ""


def _count_cookie(market: Market, count: int) -> SetCookie:
    """The header's item count for this market, readable by the layout's script."""
    return SetCookie(
        count_cookie_name(market.code), str(count), max_age=CART_DAYS * 86400, http_only=False
    )


def _offer_of(*fields: str | None) -> OfferRef | None:
    product, storage, color, grade, refurbisher = (f or "" for f in fields)
    return OfferRef.from_key("|".join((product, storage, color, grade, refurbisher)))


def _quantity(text: str, low: int) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return None
    value = int(text)
    return value if low <= value else None
