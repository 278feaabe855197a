"""Loading a catalog into the table: validated, batched, idempotent, stale items removed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalog import keys, limits
from chalicelib.catalog.importer import buyback_items, lease
from chalicelib.catalog.importer.buyback import Buyback, validate_buyback
from chalicelib.catalog.importer.fields import RecordError
from chalicelib.catalog.importer.items import build_items
from chalicelib.catalog.importer.manifests import delete_keys, key_of, keys_in, market_of, read
from chalicelib.catalog.importer.validation import Rejection, validate_catalog
from chalicelib.kernel.markets import MARKETS


@dataclass
class LoadReport:
    """What a load did."""

    products: int = 0
    items_written: int = 0
    items_deleted: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    buyback_grids: int = 0  # written, a rejected grid carried over from the last load too


def load(
    table: Any,
    data: Any,
    progress: Callable[[int, int, int], None] | None = None,
    break_lease: bool = False,
) -> LoadReport:
    """Write a whole catalog; replace what an earlier load wrote and this one does not.

    A load is atomic for the next one (docs/data-model.md, "Loads"): it first records every
    product it may write, widens each manifest to the keys it had and the keys it will
    write, then writes, then narrows the manifests. Killed at any point, the manifests still
    name every item in the table, so the next complete load removes what it does not keep.
    It holds the table's lease throughout (TableBusy when another writer has it).
    """
    valid, rejections = validate_catalog(data)
    valid = _fit_manifests(valid, rejections, data)
    buyback = validate_buyback(data)
    report = LoadReport(rejections=rejections + buyback.rejections)
    with lease.holding(table, "load", break_lease=break_lease):
        return _load(table, valid, buyback, report, progress)


def _load(
    table: Any,
    valid: dict,
    buyback: Buyback,
    report: LoadReport,
    progress: Callable[[int, int, int], None] | None,
) -> LoadReport:
    previous = read(table, keys.LOAD_MANIFEST)
    loaded = set(previous.get("products", []))  # as the last complete load left them
    pending = set(previous.get("pending", []))  # what an unfinished load may have written
    # A rejected product keeps what the last complete load wrote of it, unless this file
    # also holds a valid copy (a repeated id) or an unfinished load may have rewritten it.
    rejected = {r.product_id for r in report.rejections if r.within == "products"}
    kept = (rejected & loaded) - set(valid) - pending
    manifests = {
        pid: read(table, keys.manifest(pid)) for pid in sorted(loaded | pending | set(valid))
    }
    carried: dict[str, list[dict]] = defaultdict(list)
    kept_markets: dict[str, list[str]] = {}
    for pid in kept:
        for entry in manifests[pid].get("listing", []):
            carried[market_of(entry)].append(entry)
        kept_markets[pid] = manifests[pid].get("markets", [])
    per_product, shared = build_items(valid, carried, kept_markets)
    removed = (loaded | pending) - set(per_product) - kept
    fresh_shared = {code: {key_of(i) for i in shared if market_of(i) == code} for code in MARKETS}
    old_shared = {code: keys_in(read(table, keys.market_load_manifest(code))) for code in MARKETS}
    new_keys = {pid: {key_of(item) for item in items} for pid, items in per_product.items()}
    grids = buyback_items.plan(table, buyback)
    report.buyback_grids = grids.grids

    # 1. The journal: every product this load may write is known before it writes one.
    journal = {"products": sorted(loaded), "pending": sorted(pending | set(per_product))}
    table.put_item(Item={**keys.LOAD_MANIFEST, **journal})
    # 2. Widen: each manifest names what it had and what this load will write.
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        for pid in per_product:
            wide = keys_in(manifests[pid]) | new_keys[pid]
            batch.put_item(Item={**manifests[pid], **keys.manifest(pid), "keys": sorted(wide)})
        for code in MARKETS:
            wide = old_shared[code] | fresh_shared[code]
            batch.put_item(Item={**keys.market_load_manifest(code), "keys": sorted(wide)})
        buyback_items.widen(batch, grids)
    # 3. Write, and delete what is stale; leaving the block flushes every retry too.
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        total = len(per_product)
        for done, (pid, items) in enumerate(per_product.items(), start=1):
            for item in items:
                batch.put_item(Item=item)
            # Stale keys never share a key with a put of this load (every key names the
            # product), so the batch writer's reordering cannot undo a put.
            report.items_deleted += delete_keys(batch, keys_in(manifests[pid]) - new_keys[pid])
            report.items_written += len(items)
            report.products = done
            if progress:
                progress(done, total, report.items_written)
        for item in shared:
            batch.put_item(Item=item)
        report.items_written += len(shared)
        for code in MARKETS:
            report.items_deleted += delete_keys(batch, old_shared[code] - fresh_shared[code])
        for pid in removed:
            report.items_deleted += delete_keys(batch, keys_in(manifests[pid]))
        written, deleted = buyback_items.write(batch, grids)
        report.items_written += written
        report.items_deleted += deleted
    # 4. Narrow: the manifests name exactly what is there; the journal closes last.
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        for pid, items in per_product.items():
            batch.put_item(Item={**keys.manifest(pid), **_manifest(items)})
        report.items_written += len(per_product)
        for code in MARKETS:
            manifest = {**keys.market_load_manifest(code), "keys": sorted(fresh_shared[code])}
            batch.put_item(Item=manifest)
        for pid in removed:
            batch.delete_item(Key=keys.manifest(pid))
        buyback_items.narrow(batch, grids)
    table.put_item(Item={**keys.LOAD_MANIFEST, "products": sorted(set(per_product) | kept)})
    return report


def _manifest(items: list[dict]) -> dict:
    """What a product's manifest says of the items a load wrote for it."""
    return {
        "keys": sorted(key_of(item) for item in items),
        "listing": [i for i in items if i["PK"].startswith("L#")],
        "markets": sorted({market_of(i) for i in items if i["PK"].startswith("P#")}),
    }


def _fit_manifests(valid: dict, rejections: list[Rejection], data: Any) -> dict:
    """Refuse a product whose manifest could outgrow an item while a load widens it."""
    per_product, _ = build_items(valid)
    # Widening adds the new keys to the old ones: half an item leaves room for both.
    limit = limits.MAX_ITEM_BYTES // 2
    too_big = {}
    for pid, items in per_product.items():
        size = limits.item_size(_manifest(items))
        if size > limit:
            too_big[pid] = size
    if not too_big:
        return valid
    position = {p.get("id"): i for i, p in enumerate(data["products"]) if isinstance(p, dict)}
    for pid, size in too_big.items():
        why = f"makes a manifest of {size:,} bytes, at most {limit:,}: sell it in fewer markets"
        rejections.append(Rejection(position[pid], pid, [RecordError("markets", why)]))
    rejections.sort(key=lambda r: r.index)
    return {pid: v for pid, v in valid.items() if pid not in too_big}
