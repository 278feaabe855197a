"""Offer updates: a refurbisher's new prices and stock, without reloading the catalog.

Only the items derived from the changed offers are rewritten: the product's item and its
listing and search entries in that market, and the summaries and home page where their
content changes. Everything else is rebuilt in memory from the table's product items and
compared, so that an update leaves the table as a full load of the updated file would.
Like a load, an update widens the manifests before it writes and narrows them after.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from chalicelib.catalog import codec, keys
from chalicelib.catalog.importer import fields, lease
from chalicelib.catalog.importer.fields import RecordError
from chalicelib.catalog.importer.items import category_name, market_items
from chalicelib.catalog.importer.manifests import (
    delete_keys,
    key_of,
    keys_in,
    market_of,
    read,
    split_key,
)
from chalicelib.catalog.importer.validation import Rejection
from chalicelib.catalog.model import COLORS, GRADE_BY_CODE
from chalicelib.catalog.records import OfferRecord, ProductRecord
from chalicelib.kernel.markets import MARKETS, country_markets

BATCH_GET = 100  # keys per BatchGetItem, DynamoDB's limit
OFFERS = "offers"  # where a refused row is, in a feed


@dataclasses.dataclass(frozen=True)
class OfferChange:
    """One row of a feed: the new price and stock of one offer."""

    index: int
    product: str
    market: str
    refurbisher: str
    storage_gb: int | None
    color: str
    grade: str
    price: int
    stock: int

    def matches(self, offer: OfferRecord) -> bool:
        """Whether this row is about that offer."""
        return (offer.refurbisher, offer.storage_gb, offer.color, offer.grade) == (
            self.refurbisher,
            self.storage_gb,
            self.color,
            self.grade,
        )


@dataclasses.dataclass
class UpdateReport:
    """What an offer update did."""

    offers: int = 0
    products: int = 0
    items_written: int = 0
    items_deleted: int = 0
    rejections: list[Rejection] = dataclasses.field(default_factory=list)


def validate_feed(rows: Iterable[Any], refurbisher: str | None = None) -> tuple[list, list]:
    """Check each row of a feed; a bad row is refused with its position, the others kept."""
    changes, rejections = [], []
    for index, row in enumerate(rows):
        try:
            try:
                changes.append(_change(index, row, refurbisher))
            except (TypeError, ValueError, KeyError, AttributeError) as error:
                if isinstance(error, RecordError):
                    raise
                raise RecordError("$", f"malformed: {error!r}") from None
        except RecordError as error:
            pid = row.get("product") if isinstance(row, dict) else None
            rejections.append(
                Rejection(index, pid if isinstance(pid, str) else None, [error], OFFERS)
            )
    return changes, rejections


def _change(index: int, row: Any, refurbisher: str | None) -> OfferChange:
    fields.require(row, "$", dict, "an object")
    market = row.get("market")
    if not isinstance(market, str) or market not in MARKETS:
        raise RecordError("market", f"must be one of {', '.join(MARKETS)}, got {market!r}")
    size = row.get("storage_gb")
    size = None if size in ("", None) else _number(size)
    if size is not None:
        fields.positive_int(size, "storage_gb")
    color, grade = row.get("color"), row.get("grade")
    if not isinstance(color, str) or color not in COLORS:
        raise RecordError("color", f"must be a colour code, got {color!r}")
    if not isinstance(grade, str) or grade not in GRADE_BY_CODE:
        raise RecordError("grade", f"must be one of {', '.join(GRADE_BY_CODE)}")
    named = row.get("refurbisher")
    if refurbisher and named and named != refurbisher:
        # A refurbisher's feed changes its own offers, never another's.
        raise RecordError("refurbisher", f"is {named!r}, but this is the feed of {refurbisher}")
    return OfferChange(
        index=index,
        product=fields.slug(row.get("product"), "product", "apple-iphone-13"),
        market=market,
        refurbisher=fields.slug(named or refurbisher, "refurbisher", "shop-a"),
        storage_gb=size,
        color=color,
        grade=grade,
        price=fields.price(_number(row.get("price")), "price"),
        stock=fields.positive_int(_number(row.get("stock")), "stock", allow_zero=True),
    )


def _number(value: Any) -> Any:
    """A CSV cell as the whole number it spells; anything else as it is, for the checks."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return value


def update_offers(
    table: Any,
    changes: list[OfferChange],
    progress: Callable[[int, int, int], None] | None = None,
    break_lease: bool = False,
) -> UpdateReport:
    """Apply checked changes, market by market; rows naming no existing offer are refused.

    A row for one market of a country applies to every market of it (fr-be and nl-be are
    one Belgium), in feed order, so that a country's markets stay identical.
    """
    report = UpdateReport()
    by_market: dict[str, list[OfferChange]] = defaultdict(list)
    for change in changes:
        for code in country_markets(change.market):
            by_market[code].append(change)
    with lease.holding(table, "offer update", break_lease=break_lease):
        for done, (code, rows) in enumerate(sorted(by_market.items()), start=1):
            _update_market(table, code, rows, report)
            if progress:
                progress(done, len(by_market), report.items_written)
    return report


def _update_market(table: Any, code: str, rows: list[OfferChange], report: UpdateReport) -> None:
    market = MARKETS[code]
    sold = list(codec.decode_sitemap(read(table, keys.sitemap(code))))
    items = _batch_get(table, [keys.product(code, pid) for pid in sold])
    records = {item["id"]: codec.decode_record(item, market) for item in items}
    markets_of = {item["id"]: list(item.get("markets", [])) for item in items}
    changed: dict[str, ProductRecord] = {}
    for row in rows:
        record = changed.get(row.product) or records.get(row.product)
        offer = next((o for o in record.offers if row.matches(o)), None) if record else None
        named = row.market == code  # not a row applied to the other markets of its country
        if offer is None:
            if named:
                what = f"{row.refurbisher} {row.storage_gb or ''} {row.color} {row.grade}"
                error = RecordError("$", f"{row.product} in {code} has no offer of {what}")
                report.rejections.append(Rejection(row.index, row.product, [error], OFFERS))
            continue
        new = dataclasses.replace(offer, price=row.price, stock=row.stock)
        offers = tuple(new if o is offer else o for o in record.offers)
        changed[row.product] = dataclasses.replace(record, offers=offers)
        report.offers += named
    if not changed:
        return
    # A product whose offers already say this (an update run again after a kill) is
    # rewritten all the same: its manifests may still be wide.
    records.update(changed)
    per_product, shared = market_items(market, list(records.values()), category_name)
    new_items = {
        pid: [codec.product_item(changed[pid], markets_of[pid]), *per_product.get(pid, [])]
        for pid in changed
    }
    manifests = {pid: read(table, keys.manifest(pid)) for pid in changed}
    market_manifest = read(table, keys.market_load_manifest(code))
    sitemap_key = key_of(keys.sitemap(code))
    old_shared = keys_in(market_manifest) - {sitemap_key}
    fresh = {key_of(item): item for item in shared}
    current = {key_of(i): i for i in _batch_get(table, [split_key(k) for k in old_shared])}
    writes = [item for key, item in fresh.items() if current.get(key) != item]
    vanished = old_shared - set(fresh)
    ours = {pid: {key_of(i) for i in new_items[pid]} for pid in changed}

    def own_market(keys_: Iterable[str]) -> set[str]:
        return {k for k in keys_ if market_of(split_key(k)) == code}

    # Widen, write, narrow: a kill leaves every written item named by a manifest.
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        for pid, manifest in manifests.items():
            wide = keys_in(manifest) | ours[pid]
            batch.put_item(Item={**manifest, **keys.manifest(pid), "keys": sorted(wide)})
        wide = keys_in(market_manifest) | set(fresh)
        batch.put_item(Item={**keys.market_load_manifest(code), "keys": sorted(wide)})
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        for pid in changed:
            for item in new_items[pid]:
                batch.put_item(Item=item)
            stale = own_market(keys_in(manifests[pid])) - ours[pid]
            report.items_deleted += delete_keys(batch, stale)
            report.items_written += len(new_items[pid])
        for item in writes:
            batch.put_item(Item=item)
        report.items_deleted += delete_keys(batch, vanished)
        report.items_written += len(writes)
    with table.batch_writer(overwrite_by_pkeys=["PK", "SK"]) as batch:
        for pid, manifest in manifests.items():
            kept = keys_in(manifest) - own_market(keys_in(manifest))
            by_market = defaultdict(list)  # in registry order, as a full load writes them
            for entry in manifest.get("listing", []):
                by_market[entry["PK"].split("#")[1]].append(entry)
            by_market[code] = [i for i in new_items[pid] if i["PK"].startswith("L#")]
            listing = [e for other in MARKETS for e in by_market.get(other, [])]
            narrow = {"keys": sorted(kept | ours[pid]), "listing": listing}
            batch.put_item(Item={**manifest, **keys.manifest(pid), **narrow})
        narrow = sorted(set(fresh) | {sitemap_key})
        batch.put_item(Item={**keys.market_load_manifest(code), "keys": narrow})
    report.products += len(changed)


def _batch_get(table: Any, wanted: list[dict]) -> list[dict]:
    """Items by key, 100 a request, retrying what DynamoDB hands back unprocessed."""
    found: list[dict] = []
    client = table.meta.client
    for start in range(0, len(wanted), BATCH_GET):
        request = {table.name: {"Keys": wanted[start : start + BATCH_GET], "ConsistentRead": True}}
        for attempt in itertools.count():
            answer = client.batch_get_item(RequestItems=request)
            found += answer.get("Responses", {}).get(table.name, [])
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(min(0.05 * 2**attempt, 2.0))  # DynamoDB asked to slow down
    return found
