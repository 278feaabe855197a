"""Checking a refurbisher's shipping: for each market it sells in, days, price, free threshold.

A refurbisher with a problem in its shipping breaks the file's header, as any other field
of a refurbisher does: the file is refused whole. A refurbisher with an offer in a market
it has no shipping for breaks that product record (validation.py), and only that one.
"""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import keys
from chalicelib.catalog.importer.fields import RecordError, require
from chalicelib.catalog.records import ShippingRecord
from chalicelib.kernel.markets import MARKETS, Market, country_markets
from chalicelib.kernel.money import minor_digits

MAX_DAYS = 15  # working days; a longer promise is not a delivery window a shopper can plan by
MAX_PRICE_MAJOR = 10_000  # units of the market's currency
FIELDS = ("days", "price", "free_from")


def validate_shipping(
    value: Any, path: str, refurbisher: str, stages: list[str]
) -> dict[str, ShippingRecord]:
    """A refurbisher's ``shipping`` object, by market code, or the first thing wrong in it."""
    entries = require(value, path, dict, "an object keyed by market code")
    shipping = {}
    for code, entry in entries.items():
        market = MARKETS.get(code)
        if market is None:
            raise RecordError(
                f"{path}.{code[:80]}", f"is not a market; markets are {', '.join(MARKETS)}"
            )
        if market.stage not in stages:
            raise RecordError(
                f"{path}.{code}",
                f"{refurbisher} sells in the stages {', '.join(stages)}, not in {market.stage}",
            )
        shipping[code] = _entry(entry, f"{path}.{code}", market)
    _check_countries(shipping, path)
    return shipping


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entry(entry: Any, path: str, market: Market) -> ShippingRecord:
    require(entry, path, dict, "an object with days, price and free_from")
    unknown = [name for name in entry if name not in FIELDS]
    if unknown:
        raise RecordError(
            path, f"has unknown fields {unknown!r:.200}; a shipping has {', '.join(FIELDS)}"
        )
    days = entry.get("days")
    if not (
        isinstance(days, list)
        and len(days) == 2
        and all(_whole(d) for d in days)
        and 1 <= days[0] <= days[1] <= MAX_DAYS
    ):
        raise RecordError(
            f"{path}.days",
            f"must be [min, max] working days, whole numbers with 1 <= min <= max <= {MAX_DAYS},"
            f" got {days!r:.200}",
        )
    ceiling = MAX_PRICE_MAJOR * 10 ** minor_digits(market.currency)
    price = entry.get("price")
    if not _whole(price) or not 0 <= price <= ceiling:
        raise RecordError(
            f"{path}.price",
            f"must be a whole number of {market.currency} minor units from 0 (free) to"
            f" {ceiling:,}, got {price!r:.200}",
        )
    free_from = entry.get("free_from")
    if free_from is not None and (not _whole(free_from) or not 0 < free_from <= keys.MAX_PRICE):
        raise RecordError(
            f"{path}.free_from",
            f"must be null or a positive whole number of {market.currency} minor units,"
            f" got {free_from!r:.200}",
        )
    return ShippingRecord((days[0], days[1]), price, free_from)


def _check_countries(shipping: dict[str, ShippingRecord], path: str) -> None:
    """The markets of one country (fr-be, nl-be) ship alike, as they sell alike."""
    for code, terms in shipping.items():
        markets = country_markets(code)
        missing = [m for m in markets if m not in shipping]
        if missing:
            raise RecordError(
                path,
                f"has {code} but not {', '.join(missing)}: {' and '.join(markets)} are one"
                f" country ({MARKETS[code].country}) and ship alike",
            )
        first = markets[0]
        if shipping[first] != terms:
            raise RecordError(
                f"{path}.{code}",
                f"differs from {path}.{first}: {' and '.join(markets)} are one country"
                f" ({MARKETS[code].country}) and ship alike",
            )
