"""Carts in the storefront table: one item per cart and market, written on its version."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalicelib.cart.model import CART_DAYS, Cart, CartLine, OfferRef
from chalicelib.catalog.calls import call
from chalicelib.catalog.keys import TTL_ATTRIBUTE

PREFIX = "CART#"  # the shoppers' function may write no other items (its IAM policy says so)


class CartConflict(Exception):
    """Another request changed the cart since it was read: read it again and redo the change."""


def cart_key(digest: str, market: str) -> dict[str, str]:
    """The key of a cart: its id's hash, then its market (a shopper has one cart per market)."""
    return {"PK": f"{PREFIX}{digest}", "SK": f"M#{market}"}


def _encode(line: CartLine) -> dict[str, Any]:
    ref = line.offer
    return {
        "p": ref.product,
        "s": ref.storage_gb,
        "c": ref.color,
        "g": ref.grade,
        "r": ref.refurbisher,
        "q": line.quantity,
        "price": line.price,
        "at": line.added_at,
    }


def _decode(raw: dict[str, Any]) -> CartLine:
    offer = OfferRef(raw["p"], raw["s"], raw["c"], raw["g"], raw["r"])
    return CartLine(offer, int(raw["q"]), int(raw["price"]), int(raw["at"]))


class CartRepository:
    """Reads and writes carts; a write succeeds only on the version it read."""

    def __init__(self, table: Any, clock: Callable[[], float]) -> None:
        self.table = table
        self.clock = clock

    def _call(self, method: str, **kwargs: Any) -> dict:
        return call(self.table, method, CartConflict, **kwargs)

    def get(self, digest: str, market: str) -> Cart:
        """The cart, or an empty one (version 0) if there is none or it has expired."""
        item = self._call("get_item", Key=cart_key(digest, market), ConsistentRead=True).get("Item")
        if item is None or int(item.get(TTL_ATTRIBUTE, 0)) <= self.clock():
            # TTL deletes within days, not at once: an expired cart is read as none. Its
            # version is kept so that the next write replaces it.
            version = int(item["version"]) if item else 0
            return Cart(digest, market, version=version)
        lines = tuple(_decode(raw) for raw in json.loads(item["lines"]))
        return Cart(digest, market, lines, int(item["version"]), int(item["updated_at"]))

    def save(self, cart: Cart) -> Cart:
        """Write the cart as version + 1 if it is still at its version; CartConflict if not."""
        now = int(self.clock())
        item = {
            **cart_key(cart.digest, cart.market),
            "market": cart.market,
            "lines": json.dumps([_encode(x) for x in cart.lines], separators=(",", ":")),
            "version": cart.version + 1,
            "updated_at": now,
            TTL_ATTRIBUTE: now + CART_DAYS * 86400,
        }
        if cart.version:
            condition = {
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": cart.version},
            }
        else:
            condition = {"ConditionExpression": "attribute_not_exists(PK)"}
        self._call("put_item", Item=item, **condition)
        return Cart(cart.digest, cart.market, cart.lines, cart.version + 1, now)
