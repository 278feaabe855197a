"""The refurbishers of a product item: who sells its offers, and how each ships in its market.

A product item keeps them as one JSON string (``refurbishers``), keyed by refurbisher id; each
carries its shipping for the item's market alone, under short keys (docs/data-model.md).
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.catalog.model import Refurbisher, Shipping
from chalicelib.catalog.records import ProductRecord, RefurbisherRecord, ShippingRecord
from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money

SHIPPING = "ship"  # {"d": [min, max], "p": price, "f": free_from}; "f" only when set


def encode(record: ProductRecord) -> str:
    """The refurbishers of a product record's offers, with their shipping in its market."""
    code = record.market.code
    return json.dumps(
        {rid: _encode(r, r.shipping.get(code)) for rid, r in record.refurbishers.items()},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _encode(refurbisher: RefurbisherRecord, shipping: ShippingRecord | None) -> dict[str, Any]:
    encoded: dict[str, Any] = {
        "name": refurbisher.name,
        "country": refurbisher.country,
        "rating": refurbisher.rating,
        "reviews": refurbisher.reviews,
    }
    if shipping is not None:
        ship: dict[str, Any] = {"d": list(shipping.days), "p": shipping.price}
        if shipping.free_from is not None:
            ship["f"] = shipping.free_from
        encoded[SHIPPING] = ship
    return encoded


def _shipping_record(raw: dict | None) -> ShippingRecord | None:
    if raw is None:
        return None  # an item written before shipping was in the catalog
    return ShippingRecord((raw["d"][0], raw["d"][1]), raw["p"], raw.get("f"))


def decode(text: str, currency: str) -> dict[str, Refurbisher]:
    """The refurbishers of a product item, their shipping in the item's currency."""
    decoded = {}
    for rid, r in json.loads(text).items():
        ship = _shipping_record(r.get(SHIPPING))
        shipping = None
        if ship is not None:
            free = None if ship.free_from is None else Money(ship.free_from, currency)
            shipping = Shipping(ship.days, Money(ship.price, currency), free)
        decoded[rid] = Refurbisher(
            rid, r["name"], r["country"], float(r["rating"]), r["reviews"], shipping
        )
    return decoded


def decode_records(text: str, market: Market) -> dict[str, RefurbisherRecord]:
    """The refurbishers of a product item as the records it was written from."""
    decoded = {}
    for rid, r in json.loads(text).items():
        ship = _shipping_record(r.get(SHIPPING))
        shipping = {} if ship is None else {market.code: ship}
        decoded[rid] = RefurbisherRecord(
            rid, r["name"], r["country"], r["rating"], r["reviews"], (), shipping
        )
    return decoded
