"""Changes to a cart: each reads the cart, changes it and writes it on its version, retrying.

Two tabs, or a tab and a price update, may change one cart at once: a write succeeds only on
the version it read (``CartRepository.save``), and a refused write is redone on a fresh read,
so no line is lost. A change costs three requests when nothing else writes the cart: the
cart, the product (for the add and a new quantity) and the write.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace

from chalicelib.cart.model import MAX_LINES, Cart, CartLine, OfferRef
from chalicelib.cart.repository import CartConflict, CartRepository
from chalicelib.cart.review import find_offer, quantity_cap
from chalicelib.catalog.model import Product

ATTEMPTS = 5  # reads and writes of one change before giving up (CartBusy)

# What the cart page says after a change (the ``done`` parameter of its address).
ADDED, CAPPED, UNAVAILABLE, FULL, UPDATED, LIMITED, REMOVED = (
    "added", "capped", "unavailable", "full", "updated", "limited", "removed",
)  # fmt: skip


class CartBusy(Exception):
    """The cart changed under every attempt: the shopper is asked to try again."""


Change = Callable[[Cart], tuple[Cart | None, str]]
BACKOFF_SECONDS = 0.01


def apply(carts: CartRepository, digest: str, market: str, change: Change) -> tuple[Cart, str]:
    """Read, change and write a cart until the write lands on the version read."""
    for _attempt in range(ATTEMPTS):
        cart = carts.get(digest, market)
        changed, outcome = change(cart)
        if changed is None:  # nothing to write
            return cart, outcome
        try:
            return carts.save(changed), outcome
        except CartConflict:
            # Writers that met spread out (full jitter), so that tabs racing on one cart do not
            # meet again on every attempt: at most 10 + 20 + 40 + 80 ms in all.
            if _attempt < ATTEMPTS - 1:
                time.sleep(random.uniform(0, BACKOFF_SECONDS * 2**_attempt))
    raise CartBusy()


def adding(ref: OfferRef, quantity: int, product: Product | None, now: int) -> Change:
    """Add ``quantity`` of an offer, within its stock and the line cap, at today's price."""

    def change(cart: Cart) -> tuple[Cart | None, str]:
        offer = find_offer(product, ref)
        if offer is None or offer.stock <= 0:
            return None, UNAVAILABLE
        old = cart.line(ref.key)
        if old is None and len(cart.lines) >= MAX_LINES:
            return None, FULL
        wanted = (old.quantity if old else 0) + quantity
        kept = min(wanted, quantity_cap(offer))
        line = CartLine(ref, kept, offer.price.amount, old.added_at if old else now)
        return cart.with_line(line), ADDED if kept == wanted else CAPPED

    return change


def setting(key: str, quantity: int, product: Product | None) -> Change:
    """Set a line's quantity (0 removes it), within stock and cap; the shopper saw today's price."""

    def change(cart: Cart) -> tuple[Cart | None, str]:
        old = cart.line(key)
        if old is None:
            return None, REMOVED
        if quantity <= 0:
            return cart.without(key), REMOVED
        offer = find_offer(product, old.offer)
        if offer is None or offer.stock <= 0:
            return None, UNAVAILABLE
        kept = min(quantity, quantity_cap(offer))
        line = replace(old, quantity=kept, price=offer.price.amount)
        return cart.with_line(line), UPDATED if kept == quantity else LIMITED

    return change


def removing(key: str) -> Change:
    """Remove a line; removing one that is not there changes nothing."""

    def change(cart: Cart) -> tuple[Cart | None, str]:
        if cart.line(key) is None:
            return None, REMOVED
        return cart.without(key), REMOVED

    return change
