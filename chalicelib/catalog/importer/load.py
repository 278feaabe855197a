"""Loading a catalog into the table: validated, batched, idempotent, stale items removed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalog import keys
from chalicelib.catalog.importer.items import build_items
from chalicelib.catalog.importer.validation import Rejection, validate_catalog
from chalicelib.kernel.markets import MARKETS


@dataclass
class LoadReport:
    """What a load did."""

    products: int = 0
    items_written: int = 0
    items_deleted: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def _key_of(item: dict) -> str:
    return f"{item['PK']}\n{item['SK']}"


def _market_of(item: dict) -> str:
    return item["PK"].split("#")[1]


def _read(table: Any, key: dict) -> dict:
    # Manifests steer deletions: read them strongly consistent, never a stale copy.
    return table.get_item(Key=key, ConsistentRead=True).get("Item", {})


def load(
    table: Any,
    data: Any,
    progress: Callable[[int, int, int], None] | None = None,
) -> LoadReport:
    """Write a whole catalog; replace what an earlier load wrote and this one does not."""
    valid, rejections = validate_catalog(data)
    report = LoadReport(rejections=rejections)
    previous = _read(table, keys.LOAD_MANIFEST)
    previous_products = set(previous.get("products", []))
    kept = {r.product_id for r in rejections if r.product_id in previous_products}
    carried: dict[str, list[dict]] = defaultdict(list)
    kept_markets: dict[str, list[str]] = {}
    for pid in kept:
        manifest = _read(table, keys.manifest(pid))
        for entry in manifest.get("listing", []):
            carried[_market_of(entry)].append(entry)
        kept_markets[pid] = manifest.get("markets", [])
    per_product, shared = build_items(valid, carried, kept_markets)
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        total = len(per_product)
        for done, (pid, items) in enumerate(per_product.items(), start=1):
            old = set(_read(table, keys.manifest(pid)).get("keys", []))
            new = {_key_of(item) for item in items}
            for item in items:
                batch.put_item(Item=item)
            # Stale keys never share a key with a put of this load (every key names the
            # product), so the batch writer's reordering cannot undo a put.
            report.items_deleted += _delete(batch, old - new)
            listing = [i for i in items if i["PK"].startswith("L#")]
            markets = sorted({_market_of(i) for i in items if i["PK"].startswith("P#")})
            manifest = {"keys": sorted(new), "listing": listing, "markets": markets}
            batch.put_item(Item={**keys.manifest(pid), **manifest})
            report.items_written += len(items) + 1
            report.products = done
            if progress:
                progress(done, total, report.items_written)
        for item in shared:
            batch.put_item(Item=item)
        report.items_written += len(shared)
        for code in MARKETS:
            manifest = keys.market_load_manifest(code)
            fresh = {_key_of(i) for i in shared if _market_of(i) == code}
            report.items_deleted += _delete(
                batch, set(_read(table, manifest).get("keys", [])) - fresh
            )
            batch.put_item(Item={**manifest, "keys": sorted(fresh)})
        for pid in previous_products - set(per_product) - kept:
            report.items_deleted += _delete(
                batch, set(_read(table, keys.manifest(pid)).get("keys", []))
            )
            batch.delete_item(Key=keys.manifest(pid))
        products = sorted(set(per_product) | kept)
        batch.put_item(Item={**keys.LOAD_MANIFEST, "products": products})
    return report


def _delete(batch: Any, stale: set[str]) -> int:
    for joined in stale:
        pk, sk = joined.split("\n", 1)
        batch.delete_item(Key={"PK": pk, "SK": sk})
    return len(stale)
