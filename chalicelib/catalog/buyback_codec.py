"""Buy-back items: written by the importer, read by the repository (docs/data-model.md).

A market's index item and its device items keep their lists as compact JSON strings, as
product items keep their offers: nothing queries inside them, and json.loads is quicker
than boto3's parse of nested maps.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.catalog import keys
from chalicelib.catalog.buyback import BuybackDevice, BuybackIndex, Device, GridPrices
from chalicelib.catalog.records import GridRecord, RefurbisherRecord, new_price_key
from chalicelib.kernel.money import Money

# A device as the index and its own item keep it: one-letter keys, storage null for one size.
_DEVICE_KEYS = {
    "id": "i",
    "category": "c",
    "brand": "b",
    "model": "m",
    "year": "y",
    "storage_gb": "s",
    "battery": "bt",
}


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def encode_device(device: Device) -> dict[str, Any]:
    """A device as buy-back items keep it."""
    encoded = {short: getattr(device, name) for name, short in _DEVICE_KEYS.items()}
    return {**encoded, "s": list(device.storage_gb)}


def decode_device(raw: dict[str, Any]) -> Device:
    """A device of a buy-back item."""
    fields = {name: raw[short] for name, short in _DEVICE_KEYS.items()}
    return Device(**{**fields, "storage_gb": tuple(raw["s"])})


def index_item(market: str, devices: list[Device]) -> dict:
    """A market's trade-in index: every device its picker lists, in the picker's order."""
    return {
        **keys.buyback_index(market),
        "devices": _json([encode_device(d) for d in devices]),
    }


def decode_index(item: dict, market: str) -> BuybackIndex:
    """The devices of a market's index item."""
    return BuybackIndex(market, tuple(decode_device(d) for d in json.loads(item["devices"])))


def grid_entry(grid: GridRecord, device_id: str, refurbisher: RefurbisherRecord) -> dict:
    """What one grid pays for one device, by storage and tier, with who pays it."""
    prices = {
        new_price_key(size): dict(tiers)
        for (did, size), tiers in grid.prices.items()
        if did == device_id
    }
    return {
        "r": grid.refurbisher,
        "n": refurbisher.name,
        "rt": refurbisher.rating,
        "v": grid.version,
        "p": prices,
    }


def entry_bytes(entry: dict) -> int:
    """What a grid entry adds to a device item (its JSON and a separator)."""
    return len(_json(entry).encode()) + 1


def device_item(market: str, currency: str, device: Device, entries: list[dict]) -> dict:
    """A device in one market with what each grid pays for it (``grid_entry``)."""
    return {
        **keys.buyback_device(market, device.id),
        "device": _json(encode_device(device)),
        "currency": currency,
        "grids": _json(entries),
    }


def decode_buyback_device(item: dict, market: str, currency: str) -> BuybackDevice:
    """A device item read back, its prices as Money of the market's currency."""
    grids = tuple(
        GridPrices(
            refurbisher=g["r"],
            name=g["n"],
            rating=float(g["rt"]),
            version=g["v"],
            prices={
                (None if size == "base" else int(size)): {
                    tier: Money(amount, currency) for tier, amount in tiers.items()
                }
                for size, tiers in g["p"].items()
            },
        )
        for g in json.loads(item["grids"])
    )
    return BuybackDevice(decode_device(json.loads(item["device"])), market, grids)


def grid_of(item: dict, refurbisher: str, market: str) -> GridRecord | None:
    """One refurbisher's grid as a device item holds it, to carry a rejected grid over."""
    device = json.loads(item["device"])["i"]
    for g in json.loads(item["grids"]):
        if g["r"] == refurbisher:
            prices = {
                (device, None if size == "base" else int(size)): dict(tiers)
                for size, tiers in g["p"].items()
            }
            return GridRecord(refurbisher, market, g["v"], prices)
    return None
