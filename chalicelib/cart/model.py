"""A cart as stored: what was added, at what price, in one market; and the rules of a line."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace

CART_DAYS = 30  # a cart expires this long after its last change (DynamoDB TTL)
MAX_PER_LINE = 10  # at most this many of one offer in a cart, whatever the stock
MAX_LINES = 30  # distinct offers in one cart
_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32): 256 random bits
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # ids of products, colours, grades, sellers


def new_cart_id() -> str:
    """A fresh, unguessable cart id for the cookie (256 bits)."""
    return secrets.token_urlsafe(32)


def is_cart_id(value: str) -> bool:
    """Whether a cookie value has the shape of an id we issue (anything else is no cart)."""
    return bool(_ID.match(value or ""))


def digest(cart_id: str) -> str:
    """What the table keys a cart by: the id's hash, so that the table never holds a cookie."""
    return hashlib.sha256(cart_id.encode()).hexdigest()


@dataclass(frozen=True)
class OfferRef:
    """Which offer a line holds: a refurbisher's variant of a product in one grade."""

    product: str
    storage_gb: int | None
    color: str
    grade: str
    refurbisher: str

    @property
    def key(self) -> str:
        """A stable text form, unique per offer of a market."""
        storage = "" if self.storage_gb is None else str(self.storage_gb)
        return "|".join((self.product, storage, self.color, self.grade, self.refurbisher))

    @classmethod
    def from_key(cls, key: str) -> OfferRef | None:
        """The offer a key names, or None if it is not one of ours."""
        parts = (key or "").split("|")
        if len(parts) != 5 or not all(_SLUG.match(p) for i, p in enumerate(parts) if i != 1):
            return None
        product, storage, color, grade, refurbisher = parts
        if storage and not (storage.isascii() and storage.isdigit() and len(storage) <= 5):
            return None
        return cls(product, int(storage) if storage else None, color, grade, refurbisher)


@dataclass(frozen=True)
class CartLine:
    """One offer in the cart: how many, and its unit price when the shopper last saw it."""

    offer: OfferRef
    quantity: int
    price: int  # minor units of the market's currency, as read from the table
    added_at: int  # epoch seconds


@dataclass(frozen=True)
class Cart:
    """The lines a shopper holds in one market; ``version`` orders its writes."""

    digest: str
    market: str
    lines: tuple[CartLine, ...] = ()
    version: int = 0
    updated_at: int = 0

    @property
    def count(self) -> int:
        """How many items the cart holds (the header's badge)."""
        return sum(line.quantity for line in self.lines)

    def line(self, key: str) -> CartLine | None:
        """The line of an offer, by its key."""
        return next((line for line in self.lines if line.offer.key == key), None)

    def with_line(self, line: CartLine) -> Cart:
        """The cart with this line put in place of the same offer's (or added last)."""
        kept = [line if old.offer.key == line.offer.key else old for old in self.lines]
        if all(old.offer.key != line.offer.key for old in self.lines):
            kept.append(line)
        return replace(self, lines=tuple(kept))

    def without(self, key: str) -> Cart:
        """The cart without the line of this offer."""
        return replace(self, lines=tuple(x for x in self.lines if x.offer.key != key))
