"""Money as integer minor units with an ISO currency code."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_precision


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units (cents, pence, yen) of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError(f"money amount must be an int of minor units, got {self.amount!r}")

    def to_decimal(self) -> Decimal:
        """The exact major-unit value, e.g. 34900 EUR -> Decimal('349.00')."""
        return Decimal(self.amount).scaleb(-minor_digits(self.currency))

    def __sub__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot subtract {other.currency} from {self.currency}")
        return Money(self.amount - other.amount, self.currency)


def minor_digits(currency: str) -> int:
    """How many minor-unit digits the currency has (2 for EUR, 0 for JPY)."""
    return get_currency_precision(currency)
