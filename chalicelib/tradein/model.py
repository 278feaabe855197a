"""A trade-in as stored: the quote, the answers it was priced from, and where it stands."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field

from chalicelib.kernel.money import Money

_REFERENCE = re.compile(r"^[A-Za-z0-9_-]{24}$")  # secrets.token_urlsafe(18): 144 random bits

# Where a trade-in stands. "declined" is a quote no partner could make (an honest answer).
QUOTED, DECLINED, ACCEPTED, RECEIVED, CHECKED, COUNTERED = (
    "quoted", "declined", "accepted", "received", "checked", "countered"
)  # fmt: skip
COUNTER_ACCEPTED, COUNTER_REFUSED, PAID, RETURNED, EXPIRED = (
    "counter_accepted", "counter_refused", "paid", "returned", "expired"
)  # fmt: skip
# Every move a trade-in may make; anything else is refused by a conditional write.
MOVES: dict[str, tuple[str, ...]] = {
    QUOTED: (ACCEPTED,),
    ACCEPTED: (RECEIVED, EXPIRED),
    RECEIVED: (CHECKED, COUNTERED),
    CHECKED: (PAID,),
    COUNTERED: (COUNTER_ACCEPTED, COUNTER_REFUSED),
    COUNTER_ACCEPTED: (PAID,),
    COUNTER_REFUSED: (RETURNED,),
}
ENDED = (PAID, RETURNED, EXPIRED)
# The states in which the shopper expects money: the cart counts it as a coming credit.
CREDIT_EXPECTED = (ACCEPTED, RECEIVED, CHECKED, COUNTER_ACCEPTED)
# Why a refurbisher lowers an offer after its check; each has its sentence on the status page.
COUNTER_REASONS = (
    "screen_worse", "body_worse", "battery_low", "function_fault", "other_model", "liquid"
)  # fmt: skip


def new_reference() -> str:
    """A fresh, unguessable trade-in reference (144 bits), shown to the shopper."""
    while True:  # never "-…", which a command line would read as an option
        reference = secrets.token_urlsafe(18)
        if not reference.startswith("-"):
            return reference


def is_reference(value: str) -> bool:
    """Whether a value has the shape of a reference we issue."""
    return bool(_REFERENCE.match(value or ""))


def digest(reference: str) -> str:
    """What the table keys a trade-in by, so that it never holds a reference itself."""
    return hashlib.sha256(reference.encode()).hexdigest()


@dataclass(frozen=True)
class Offer:
    """The best partner's price for the device as described."""

    price: Money
    refurbisher: str
    name: str
    version: str  # the version of the grid the price comes from


@dataclass(frozen=True)
class Counter:
    """A refurbisher's lower price after its check, and why."""

    price: Money
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TradeIn:
    """One quote in one market, and everything that happened to it since."""

    digest: str
    market: str
    device: str
    title: str  # brand and model, as the grid's device names them
    storage_gb: int | None
    answers: dict[str, str]
    tier: str | None
    offer: Offer | None
    refusal: str | None  # why there is no offer ("locked", "water", "too_old", ...)
    status: str
    created_at: int
    valid_until: int
    accepted_at: int = 0
    ship_by: int = 0
    updated_at: int = 0
    counter: Counter | None = None
    shown: dict[str, str] = field(default_factory=dict)  # masked details: last four only
    history: tuple[tuple[str, int], ...] = ()  # (status, when) in order

    @property
    def price(self) -> Money | None:
        """What the shopper is paid if all goes as now agreed."""
        if self.counter is not None and self.status in (COUNTER_ACCEPTED, PAID):
            return self.counter.price
        return self.offer.price if self.offer else None

    def when(self, status: str) -> int:
        """When the trade-in entered a status (0 if it never did)."""
        return next((at for s, at in self.history if s == status), 0)
