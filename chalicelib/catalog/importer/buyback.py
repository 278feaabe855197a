"""Checking the buy-back part of a catalog file: the devices, and each refurbisher's grids.

The devices are reference data, as refurbishers are: a bad device refuses the whole file
(every grid that prices it would be wrong). A grid is a record: a bad one is rejected with
its position and the rest still loads (docs/data-model.md, "Buy-back grids").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalog import buyback_codec, limits
from chalicelib.catalog.buyback import TIERS, Device
from chalicelib.catalog.importer import fields
from chalicelib.catalog.importer.fields import RecordError
from chalicelib.catalog.importer.validation import Rejection, validate_header
from chalicelib.catalog.model import CATEGORY_BY_CODE
from chalicelib.catalog.records import GridRecord, RefurbisherRecord
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import minor_digits

DEVICES, GRIDS = "buyback_devices", "buyback"
TRADE_IN = tuple(code for code, market in MARKETS.items() if market.trade_in)
MAX_PRICE_MAJOR = 10_000  # units of the market's currency
MAX_SIZES = 16  # storage sizes of one device
VERSION = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
DEVICE_FIELDS = ("id", "category", "brand", "model", "year", "storage_gb", "battery", "listed_in")
GRID_FIELDS = ("refurbisher", "market", "version", "prices")
ROW_FIELDS = ("device", "storage_gb", *TIERS)
# A device item holds every grid of its market that prices it; its keys and device fit in this.
ITEM_ROOM = limits.MAX_ITEM_BYTES - 4096


@dataclass
class Buyback:
    """The validated buy-back part of a catalog file."""

    devices: dict[str, Device] = field(default_factory=dict)
    listed_in: dict[str, tuple[str, ...]] = field(default_factory=dict)  # device id -> markets
    grids: list[GridRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    refurbishers: dict[str, RefurbisherRecord] = field(default_factory=dict)

    def rejected_grids(self) -> set[tuple[str, str]]:
        """(refurbisher, market) of the rejected grids that name both, and have no valid copy."""
        valid = {(g.refurbisher, g.market) for g in self.grids}
        named = {tuple(r.product_id.split(" ")) for r in self.rejections if r.product_id}
        return {n for n in named if len(n) == 2 and n not in valid}  # type: ignore[misc]


def validate_buyback(data: Any) -> Buyback:
    """The devices and grids of a catalog file; RecordError if its devices are wrong."""
    refurbishers = validate_header(data).refurbishers
    try:
        devices, listed_in = _devices(data.get(DEVICES, []))
    except RecordError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise RecordError(DEVICES, f"malformed: {error!r}") from None
    index = buyback_codec.index_item("xx-xx", list(devices.values()))
    if limits.item_size(index) > limits.MAX_ITEM_BYTES:
        raise RecordError(
            DEVICES,
            f"make an index of {limits.item_size(index):,} bytes; DynamoDB takes 400 KB",
        )
    result = Buyback(devices, listed_in, refurbishers=refurbishers)
    raw_grids = fields.require(data.get(GRIDS, []), GRIDS, list, "a list of grids")
    seen: dict[tuple[str, str], int] = {}
    room: dict[tuple[str, str], int] = {}  # (market, device) -> bytes its item may still take
    for index, raw in enumerate(raw_grids):
        name = _name(raw)
        try:
            grid = _grid(raw, result, seen)
            _fit(grid, result, room)
        except RecordError as error:
            result.rejections.append(Rejection(index, name, [error], GRIDS))
            continue
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            error = RecordError("$", f"malformed: {error!r}")
            result.rejections.append(Rejection(index, name, [error], GRIDS))
            continue
        seen[(grid.refurbisher, grid.market)] = index
        result.grids.append(grid)
    return result


def _name(raw: Any) -> str | None:
    """How a rejection names a grid: ``refurbisher market``, when both are plain words."""
    if not isinstance(raw, dict):
        return None
    rid, market = raw.get("refurbisher"), raw.get("market")
    ok = all(isinstance(v, str) and limits.SLUG.match(v) and len(v) <= 64 for v in (rid, market))
    return f"{rid} {market}" if ok else None


def _unknown(raw: dict, allowed: tuple[str, ...], path: str, what: str) -> None:
    unknown = [name for name in raw if name not in allowed]
    if unknown:
        raise RecordError(
            path, f"has unknown fields {unknown!r:.200}; {what} has {', '.join(allowed)}"
        )


def _devices(raw: Any) -> tuple[dict[str, Device], dict[str, tuple[str, ...]]]:
    devices: dict[str, Device] = {}
    listed_in: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(fields.require(raw, DEVICES, list, "a list of devices")):
        path = f"{DEVICES}[{i}]"
        fields.require(entry, path, dict, "an object")
        _unknown(entry, DEVICE_FIELDS, path, "a device")
        did = fields.slug(entry.get("id"), f"{path}.id", "apple-iphone-12")
        if did in devices:
            raise RecordError(f"{path}.id", f"repeats {DEVICES}[{list(devices).index(did)}]")
        category = entry.get("category")
        if category not in CATEGORY_BY_CODE:
            raise RecordError(
                f"{path}.category",
                f"must be one of {', '.join(CATEGORY_BY_CODE)}, got {category!r:.80}",
            )
        sizes = fields.require(entry.get("storage_gb"), f"{path}.storage_gb", list, "a list")
        if sizes != [None]:
            for j, size in enumerate(sizes):
                fields.positive_int(size, f"{path}.storage_gb[{j}]")
            if not sizes or len(sizes) > MAX_SIZES or sizes != sorted(set(sizes)):
                raise RecordError(
                    f"{path}.storage_gb",
                    f"must be 1 to {MAX_SIZES} sizes in GB, ascending, or [null] for a device"
                    f" of one size, got {sizes!r:.200}",
                )
        battery = fields.require(entry.get("battery"), f"{path}.battery", bool, "true or false")
        listed = fields.require(entry.get("listed_in", []), f"{path}.listed_in", list, "a list")
        if any(m not in TRADE_IN for m in listed) or len(set(listed)) != len(listed):
            raise RecordError(
                f"{path}.listed_in",
                f"must list trade-in markets among {', '.join(TRADE_IN)} once each,"
                f" got {listed!r:.200}",
            )
        devices[did] = Device(
            id=did,
            category=category,
            brand=fields.checked(entry.get("brand"), f"{path}.brand", "brand"),
            model=fields.checked(entry.get("model"), f"{path}.model", "model"),
            year=fields.positive_int(entry.get("year"), f"{path}.year"),
            storage_gb=tuple(sizes),
            battery=battery,
        )
        listed_in[did] = tuple(listed)
    return devices, listed_in


def _grid(raw: Any, result: Buyback, seen: dict[tuple[str, str], int]) -> GridRecord:
    fields.require(raw, "$", dict, "an object")
    _unknown(raw, GRID_FIELDS, "$", "a grid")
    code = raw.get("market")
    market = MARKETS.get(code) if isinstance(code, str) else None
    if market is None:
        raise RecordError("market", f"is not a market; markets are {', '.join(MARKETS)}")
    if not market.trade_in:
        raise RecordError(
            "market", f"has no trade-in; trade-in markets are {', '.join(TRADE_IN)}, got {code}"
        )
    rid = raw.get("refurbisher")
    refurbisher = result.refurbishers.get(rid) if isinstance(rid, str) else None
    if refurbisher is None:
        raise RecordError("refurbisher", f"is not a known refurbisher: {rid!r:.80}")
    if market.stage not in refurbisher.stages:
        raise RecordError(
            "refurbisher",
            f"{rid} serves the stages {', '.join(refurbisher.stages)}, not {market.stage} ({code})",
        )
    if (rid, code) in seen:
        first = seen[(rid, code)]
        raise RecordError(
            "market", f"repeats {GRIDS}[{first}]: one grid per refurbisher and market"
        )
    version = raw.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        raise RecordError(
            "version", f"must be 1 to 40 characters of A-Z a-z 0-9 . _ -, got {version!r:.80}"
        )
    rows = fields.require(raw.get("prices"), "prices", list, "a list of price rows")
    ceiling = MAX_PRICE_MAJOR * 10 ** minor_digits(market.currency)
    prices: dict[tuple[str, int | None], dict[str, int]] = {}
    at: dict[tuple[str, int | None], int] = {}
    for i, row in enumerate(rows):
        key, tiers = _row(row, f"prices[{i}]", result.devices, market.currency, ceiling)
        if key in at:
            size = "" if key[1] is None else f" {key[1]} GB"
            raise RecordError(f"prices[{i}]", f"repeats prices[{at[key]}] ({key[0]}{size})")
        at[key] = i
        prices[key] = tiers
    return GridRecord(rid, code, version, prices)


def _row(
    row: Any, path: str, devices: dict[str, Device], currency: str, ceiling: int
) -> tuple[tuple[str, int | None], dict[str, int]]:
    fields.require(row, path, dict, "an object")
    _unknown(row, ROW_FIELDS, path, "a price row")
    did = row.get("device")
    device = devices.get(did) if isinstance(did, str) else None
    if device is None:
        raise RecordError(f"{path}.device", f"is not a device of {DEVICES}: {did!r:.80}")
    size = row.get("storage_gb")
    whole = size is None or isinstance(size, int) and not isinstance(size, bool)
    if not whole or size not in device.storage_gb:
        raise RecordError(
            f"{path}.storage_gb",
            f"must be one of {list(device.storage_gb)} for {device.id}, got {size!r:.80}",
        )
    tiers: dict[str, int] = {}
    for tier in TIERS:
        price = row.get(tier)
        if price is None:
            continue  # a tier this refurbisher does not buy
        if not isinstance(price, int) or isinstance(price, bool) or not 0 < price <= ceiling:
            raise RecordError(
                f"{path}.{tier}",
                f"must be null or a whole number of {currency} minor units from 1 to"
                f" {ceiling:,}, got {price!r:.80}",
            )
        better = next(((t, p) for t, p in reversed(tiers.items())), None)
        if better and price > better[1]:
            raise RecordError(
                f"{path}.{tier}",
                f"pays {price:,} for {tier} but {better[1]:,} for {better[0]}:"
                " a device in worse condition must not be paid more",
            )
        tiers[tier] = price
    if not tiers:
        raise RecordError(path, f"must price at least one of {', '.join(TIERS)}")
    return (device.id, size), tiers


def _fit(grid: GridRecord, result: Buyback, room: dict[tuple[str, str], int]) -> None:
    """Refuse a grid that would take a device item of its market past DynamoDB's 400 KB."""
    refurbisher = result.refurbishers[grid.refurbisher]
    added = {}
    for did in dict.fromkeys(did for did, _ in grid.prices):
        entry = buyback_codec.grid_entry(grid, did, refurbisher)
        left = room.get((grid.market, did), ITEM_ROOM) - buyback_codec.entry_bytes(entry)
        if left < 0:
            raise RecordError(
                "prices",
                f"makes the item of {did} in {grid.market} pass DynamoDB's 400 KB:"
                f" too many grids price it there",
            )
        added[(grid.market, did)] = left
    room.update(added)
