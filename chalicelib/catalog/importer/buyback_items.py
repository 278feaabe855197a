"""The items validated buy-back grids become, and how a load writes and retires them.

Per trade-in market: one index item (the devices its picker lists) and one item per listed
device with every grid that prices it there. Each market's buy-back keys are listed in its
own manifest (``X#``/``BUYBACK#{market}``), widened before a load writes and narrowed after,
as a product's manifest is (docs/data-model.md, "Loads"); it is apart from the market's
shared manifest, which the offer updater rewrites from products alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalog import buyback_codec as codec
from chalicelib.catalog import keys
from chalicelib.catalog.buyback import Device
from chalicelib.catalog.importer.buyback import Buyback
from chalicelib.catalog.importer.manifests import delete_keys, key_of, keys_in, read, split_key
from chalicelib.catalog.model import CATEGORY_BY_CODE
from chalicelib.catalog.records import GridRecord
from chalicelib.kernel.markets import MARKETS

_CATEGORY_ORDER = {code: i for i, code in enumerate(CATEGORY_BY_CODE)}


def picker_order(device: Device) -> tuple:
    """Category, brand, then model with its numbers as numbers (iPhone 8 before iPhone 11)."""
    model = [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", device.model)
        if part
    ]
    return (_CATEGORY_ORDER[device.category], device.brand.casefold(), model, device.id)


def build_items(buyback: Buyback, carried: list[GridRecord] = ()) -> dict[str, list[dict]]:
    """Every buy-back item, by market: its index first, then one item per listed device."""
    grids = sorted([*buyback.grids, *carried], key=lambda g: (g.market, g.refurbisher))
    priced = {id(g): {did for did, _ in g.prices} for g in grids}
    found: dict[str, list[dict]] = {}
    for code, market in MARKETS.items():
        here = [g for g in grids if g.market == code]
        wanted = set().union(*(priced[id(g)] for g in here))
        listed = sorted(
            (
                d
                for d in buyback.devices.values()
                if d.id in wanted or code in buyback.listed_in[d.id]
            ),
            key=picker_order,
        )
        if not listed:
            continue
        items = [codec.index_item(code, listed)]
        for device in listed:
            entries = [
                codec.grid_entry(g, device.id, buyback.refurbishers[g.refurbisher])
                for g in here
                if device.id in priced[id(g)]
            ]
            items.append(codec.device_item(code, market.currency, device, entries))
        found[code] = items
    return found


def carried_grids(table: Any, buyback: Buyback, manifests: dict[str, dict]) -> list[GridRecord]:
    """Rejected grids as the last complete load wrote them: a typo keeps yesterday's prices.

    As a rejected product does; not after an unfinished load (its manifest still ``pending``),
    which may have written half of a newer grid, and only for the devices and sizes the file
    still has.
    """
    carried = []
    old_items: dict[str, list[dict]] = {}
    for rid, code in sorted(buyback.rejected_grids()):
        refurbisher, market = buyback.refurbishers.get(rid), MARKETS.get(code)
        manifest = manifests.get(code, {})
        if not (refurbisher and market and market.trade_in) or manifest.get("pending"):
            continue
        if market.stage not in refurbisher.stages:
            continue
        if code not in old_items:
            devices = [k for k in sorted(keys_in(manifest)) if k.endswith("\nB")]
            old_items[code] = [item for k in devices if (item := read(table, split_key(k)))]
        prices, version = {}, None
        for item in old_items[code]:
            grid = codec.grid_of(item, rid, code)
            if grid is None:
                continue
            version = grid.version
            for (did, size), tiers in grid.prices.items():
                device = buyback.devices.get(did)
                if device and size in device.storage_gb:
                    prices[(did, size)] = tiers
        if prices and version:
            carried.append(GridRecord(rid, code, version, prices))
    return carried


@dataclass
class BuybackPlan:
    """What a load writes of buy-back, and what an earlier load left, by market."""

    items: dict[str, list[dict]] = field(default_factory=dict)
    old: dict[str, set[str]] = field(default_factory=dict)
    grids: int = 0

    def fresh(self, code: str) -> set[str]:
        return {key_of(item) for item in self.items.get(code, [])}


def plan(table: Any, buyback: Buyback) -> BuybackPlan:
    """Read the markets' buy-back manifests and build the items this load writes."""
    manifests = {code: read(table, keys.buyback_manifest(code)) for code in MARKETS}
    carried = carried_grids(table, buyback, manifests)
    return BuybackPlan(
        items=build_items(buyback, carried),
        old={code: keys_in(m) for code, m in manifests.items()},
        grids=len(buyback.grids) + len(carried),
    )


def widen(batch: Any, plan_: BuybackPlan) -> None:
    """Each market's manifest names what it had and what this load will write."""
    for code in MARKETS:
        wide = plan_.old[code] | plan_.fresh(code)
        if wide:
            item = {**keys.buyback_manifest(code), "keys": sorted(wide), "pending": True}
            batch.put_item(Item=item)


def write(batch: Any, plan_: BuybackPlan) -> tuple[int, int]:
    """Put the items, delete what an earlier load wrote and this one does not: (puts, deletes)."""
    written = deleted = 0
    for code in MARKETS:
        for item in plan_.items.get(code, []):
            batch.put_item(Item=item)
            written += 1
        deleted += delete_keys(batch, plan_.old[code] - plan_.fresh(code))
    return written, deleted


def narrow(batch: Any, plan_: BuybackPlan) -> None:
    """Each market's manifest names exactly what is there; none where nothing is."""
    for code in MARKETS:
        fresh = plan_.fresh(code)
        if fresh:
            batch.put_item(Item={**keys.buyback_manifest(code), "keys": sorted(fresh)})
        elif plan_.old[code]:
            batch.delete_item(Key=keys.buyback_manifest(code))
