"""Load a catalog JSON file into the storefront table: validated, batched, idempotent.

Usage: python -m chalicelib.loader FILE --table NAME [--region R] [--endpoint-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import keys
from chalicelib.catalog import CATEGORY_BY_CODE, COLORS, GRADE_BY_CODE, brand_slug, tokens
from chalicelib.i18n import translations_for
from chalicelib.markets import MARKETS, Market, market_mask

SCHEMA_VERSION = 1
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEALS_ON_HOME = 8
MIN_TOKEN = 2


class RecordError(ValueError):
    """A field of one record that breaks the catalog's rules."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass
class Rejection:
    """A product record that was not loaded, with its position and what is wrong."""

    index: int
    product_id: str | None
    errors: list[RecordError]

    def __str__(self) -> str:
        who = f"products[{self.index}]" + (f" ({self.product_id})" if self.product_id else "")
        return "\n".join(f"{who} {error}" for error in self.errors)


@dataclass
class LoadReport:
    """What a load did."""

    products: int = 0
    items_written: int = 0
    items_deleted: int = 0
    rejections: list[Rejection] = field(default_factory=list)


# ----------------------------------------------------------------------------- validation


def _require(value: Any, path: str, kind: type | tuple, what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RecordError(path, f"must be {what}, got {value!r}")
    return value


def _positive_int(value: Any, path: str, allow_zero: bool = False) -> int:
    ok = (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (value > 0 or allow_zero and value == 0)
    )
    if not ok:
        floor = "zero or more" if allow_zero else "more than zero"
        raise RecordError(path, f"must be a whole number {floor}, got {value!r}")
    return value


def _price(value: Any, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= keys.MAX_PRICE:
        raise RecordError(path, f"must be a positive whole number of minor units, got {value!r}")
    return value


def _text(texts: Any, path: str, market: Market, neutral: bool = False) -> str:
    """The text for a market; a neutral text (a model name) may fall back to English."""
    if not isinstance(texts, dict):
        raise RecordError(path, f"must map languages to text, got {texts!r}")
    for name in market.text_chain + (("en",) if neutral else ()):
        value = texts.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise RecordError(path, f"has no text for {market.code} (tried {', '.join(market.text_chain)})")


@dataclass(frozen=True)
class Context:
    """What records are checked against: refurbishers and CO2e figures of the file."""

    refurbishers: dict[str, dict]
    co2e: dict[str, dict]


def validate_header(data: Any) -> Context:
    """Check the file's top level; a broken header rejects the whole file."""
    if not isinstance(data, dict):
        raise RecordError("$", "must be a JSON object")
    if data.get("schema") != SCHEMA_VERSION:
        raise RecordError("schema", f"must be {SCHEMA_VERSION}, got {data.get('schema')!r}")
    refurbishers = {}
    for i, r in enumerate(_require(data.get("refurbishers"), "refurbishers", list, "a list")):
        path = f"refurbishers[{i}]"
        _require(r, path, dict, "an object")
        for name in ("id", "name", "country"):
            _require(r.get(name), f"{path}.{name}", str, "text")
        rating = _require(r.get("rating"), f"{path}.rating", (int, float), "a number")
        if not 0 <= rating <= 5:
            raise RecordError(f"{path}.rating", f"must be between 0 and 5, got {rating!r}")
        _positive_int(r.get("reviews"), f"{path}.reviews", allow_zero=True)
        stages = _require(r.get("stages"), f"{path}.stages", list, "a list of stages")
        if not stages or any(s not in {m.stage for m in MARKETS.values()} for s in stages):
            raise RecordError(
                f"{path}.stages", f"must list stages among eu, us, ap, got {stages!r}"
            )
        refurbishers[r["id"]] = r
    co2e = _require(data.get("co2e"), "co2e", dict, "an object")
    for code in CATEGORY_BY_CODE:
        entry = _require(co2e.get(code), f"co2e.{code}", dict, "an object")
        _positive_int(entry.get("kg_avoided"), f"co2e.{code}.kg_avoided")
        _require(entry.get("source"), f"co2e.{code}.source", str, "the name of the source")
    _require(data.get("products"), "products", list, "a list")
    return Context(refurbishers, co2e)


def validate_product(raw: Any, ctx: Context) -> dict[str, MarketProduct]:
    """Check one product record; return it resolved per market or raise its first error."""
    _require(raw, "$", dict, "an object")
    pid = _require(raw.get("id"), "id", str, "text")
    if not _SLUG.match(pid):
        raise RecordError("id", f"must be a lower-case slug like apple-iphone-13, got {pid!r}")
    category = raw.get("category")
    if category not in CATEGORY_BY_CODE:
        raise RecordError(
            "category", f"must be one of {', '.join(CATEGORY_BY_CODE)}, got {category!r}"
        )
    brand = _require(raw.get("brand"), "brand", str, "text").strip()
    if not _SLUG.match(brand_slug(brand)):
        raise RecordError("brand", f"must have letters a-z or digits for its URL, got {brand!r}")
    model = _require(raw.get("model"), "model", str, "text").strip()
    if not brand or not model:
        raise RecordError("brand" if not brand else "model", "must not be empty")
    year = _positive_int(raw.get("year"), "year")
    popularity = _positive_int(raw.get("popularity"), "popularity", allow_zero=True)
    colors = _require(raw.get("colors"), "colors", list, "a list of colour codes")
    if not colors or any(c not in COLORS for c in colors):
        raise RecordError(
            "colors", f"must be colour codes among {', '.join(COLORS)}, got {colors!r}"
        )
    storage = _require(raw.get("storage_gb", []), "storage_gb", list, "a list of sizes in GB")
    for i, size in enumerate(storage):
        _positive_int(size, f"storage_gb[{i}]")
    screen = raw.get("screen_in")
    if screen is not None:
        _require(screen, "screen_in", (int, float), "a number of inches or null")
        if not (math.isfinite(screen) and 0 < screen < 100):
            raise RecordError("screen_in", f"must be between 0 and 100 inches, got {screen!r}")
    weight = raw.get("weight_g")
    if weight is not None:
        _positive_int(weight, "weight_g")
    markets = _require(raw.get("markets"), "markets", dict, "an object keyed by market code")
    if not markets:
        raise RecordError("markets", "must sell the product in at least one market")
    resolved = {}
    for code, entry in markets.items():
        market = MARKETS.get(code)
        path = f"markets.{code}"
        if market is None:
            raise RecordError(path, f"is not a market; markets are {', '.join(MARKETS)}")
        resolved[code] = _validate_market(raw, entry, path, market, ctx, storage, colors)
        resolved[code].base.update(
            id=pid, category=category, brand=brand, model=model, year=year,
            popularity=popularity, colors=colors, storage_gb=storage,
            screen_in=screen, weight_g=weight,
            co2e_kg=ctx.co2e[category]["kg_avoided"], co2e_source=ctx.co2e[category]["source"],
        )  # fmt: skip
    return resolved


@dataclass
class MarketProduct:
    """A validated product as sold in one market, ready to become items."""

    market: Market
    base: dict
    offers: list[dict]
    new_prices: dict[str, int]
    refurbishers: dict[str, dict]

    @property
    def pid(self) -> str:
        return self.base["id"]

    def in_stock(self, grade: str | None = None) -> list[dict]:
        return [o for o in self.offers if o["k"] > 0 and (grade is None or o["g"] == grade)]

    def new_price_for(self, storage: int | None) -> int:
        return self.new_prices[str(storage) if storage is not None else "base"]


def _validate_market(raw, entry, path, market, ctx, storage, colors) -> MarketProduct:
    _require(entry, path, dict, "an object")
    if entry.get("currency") != market.currency:
        raise RecordError(
            f"{path}.currency",
            f"must be {market.currency} in {market.code}, got {entry.get('currency')!r}",
        )
    title = _text(
        raw.get("title") or {"en": f"{raw['brand']} {raw['model']}"}, "title", market, True
    )
    description = _text(raw.get("description"), "description", market)
    new = _require(entry.get("new_price"), f"{path}.new_price", dict, "an object keyed by storage")
    wanted = [str(s) for s in storage] or ["base"]
    new_prices = {}
    for size in wanted:
        new_prices[size] = _price(new.get(size), f"{path}.new_price.{size}")
    offers, refurbishers = [], {}
    for i, offer in enumerate(_require(entry.get("offers"), f"{path}.offers", list, "a list")):
        opath = f"{path}.offers[{i}]"
        _require(offer, opath, dict, "an object")
        rid = offer.get("refurbisher")
        refurbisher = ctx.refurbishers.get(rid)
        if refurbisher is None:
            raise RecordError(f"{opath}.refurbisher", f"is not a known refurbisher: {rid!r}")
        if market.stage not in refurbisher["stages"]:
            raise RecordError(f"{opath}.refurbisher", f"{rid} does not ship to {market.code}")
        size = offer.get("storage_gb")
        if (size is None) != (not storage) or (size is not None and size not in storage):
            raise RecordError(
                f"{opath}.storage_gb", f"must be one of {storage or [None]}, got {size!r}"
            )
        if offer.get("color") not in colors:
            raise RecordError(
                f"{opath}.color", f"must be one of {colors}, got {offer.get('color')!r}"
            )
        if offer.get("grade") not in GRADE_BY_CODE:
            raise RecordError(
                f"{opath}.grade",
                f"must be one of {', '.join(GRADE_BY_CODE)}, got {offer.get('grade')!r}",
            )
        price = _price(offer.get("price"), f"{opath}.price")
        stock = _positive_int(offer.get("stock"), f"{opath}.stock", allow_zero=True)
        warranty = _positive_int(offer.get("warranty_months"), f"{opath}.warranty_months")
        if warranty < market.warranty_months:
            raise RecordError(
                f"{opath}.warranty_months",
                f"must be at least {market.warranty_months} in {market.code}, got {warranty}",
            )
        battery = offer.get("battery_health")
        if battery is not None and (
            not isinstance(battery, int) or isinstance(battery, bool) or not 0 < battery <= 100
        ):
            raise RecordError(
                f"{opath}.battery_health", f"must be a percentage 1-100 or null, got {battery!r}"
            )
        item = {
            "r": rid,
            "c": offer["color"],
            "g": offer["grade"],
            "p": price,
            "k": stock,
            "w": warranty,
        }
        if size is not None:
            item["s"] = size
        if battery is not None:
            item["bh"] = battery
        offers.append(item)
        refurbishers[rid] = {k: refurbisher[k] for k in ("name", "country", "rating", "reviews")}
    base = {"title": title, "description": description}
    return MarketProduct(market, base, offers, new_prices, refurbishers)


# ----------------------------------------------------------------------------- items


def _entry_summary(mp: MarketProduct, offers: list[dict]) -> dict:
    best = min(offers, key=lambda o: (o["p"], o["r"]))
    return {
        "product": mp.pid,
        "title": mp.base["title"],
        "brand": mp.base["brand"],
        "category": mp.base["category"],
        "price": best["p"],
        "grade": best["g"],
        "new_price": mp.new_price_for(best.get("s")),
        "currency": mp.market.currency,
        "offers": len(offers),
    }


def product_item(mp: MarketProduct) -> dict:
    """The item a product page reads: everything about the product in one market."""
    item = dict(keys.product(mp.market.code, mp.pid))
    item.update({k: v for k, v in mp.base.items() if v is not None and k != "popularity"})
    item.update(
        currency=mp.market.currency,
        new_prices=mp.new_prices,
        # A JSON string, not a list of maps: boto3 deserializes nested maps in pure Python
        # (about 1 ms for a product with 40 offers), json.loads in C; nothing queries inside.
        offers=json.dumps(mp.offers, separators=(",", ":")),
        refurbishers=json.dumps(mp.refurbishers, separators=(",", ":"), ensure_ascii=False),
    )
    return _dynamo_ready(item)


def _dynamo_ready(value: Any) -> Any:
    """Floats become Decimals, which is what boto3 writes as DynamoDB numbers."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _dynamo_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dynamo_ready(v) for v in value]
    return value


def market_items(
    market: Market,
    products: list[MarketProduct],
    category_name: Callable[[Market, str], str],
    carried: Iterable[dict] = (),
) -> tuple[dict[str, list[dict]], list[dict]]:
    """Listing, search and home items of one market: per product id, and shared ones.

    ``carried`` are listing entries an earlier load wrote for products this load rejected:
    they stay in the table, so the summaries and the home page count them too.
    """
    listed = sorted(
        (mp for mp in products if mp.in_stock()),
        key=lambda mp: (-mp.base["popularity"], mp.pid),
    )
    per_product: dict[str, list[dict]] = defaultdict(list)
    partitions: dict[str, list[dict]] = defaultdict(list)
    for entry in carried:
        partitions[entry["PK"]].append(entry)
    for rank, mp in enumerate(listed, start=1):
        category, brand = mp.base["category"], brand_slug(mp.base["brand"])
        grades = sorted({o["g"] for o in mp.in_stock()})
        scopes = [(None, None), (brand, None)]
        scopes += [(None, g) for g in grades] + [(brand, g) for g in grades]
        for b, g in scopes:
            partition = keys.listing_partition(market.code, category, b, g)
            summary = _entry_summary(mp, mp.in_stock(g))
            item = {**keys.listing_entry(partition, rank, mp.pid, summary["price"]), **summary}
            per_product[mp.pid].append(item)
            partitions[partition].append(item)
        words = " ".join(
            [mp.base["title"], mp.base["brand"], mp.base["model"], category_name(market, category)]
        )
        text = " " + " ".join(tokens(words)) + " "
        all_summary = _entry_summary(mp, mp.in_stock())
        for token in search_terms(words):
            item = {**keys.search_entry(market.code, token, rank, mp.pid), **all_summary}
            per_product[mp.pid].append({**item, "text": text})
    shared = [_meta_item(market, partition, partitions) for partition in partitions]
    shared.append(_home_item(market, partitions))
    return per_product, shared


def search_terms(text: str) -> list[str]:
    """Tokens to index: two characters or more, and none that is the start of another.

    A query matches an entry whose token starts with it; dropping "laptop" beside "laptops"
    loses no match and keeps one product from showing twice for "lap".
    """
    words = [t for t in tokens(text) if len(t) >= MIN_TOKEN]
    return [t for t in words if not any(o != t and o.startswith(t) for o in words)]


def _meta_item(market: Market, partition: str, partitions: dict[str, list[dict]]) -> dict:
    """Facet counts and sorted prices of a listing partition."""
    entries = partitions[partition]
    _, _, category, facet = partition.split("#", 3)
    parts = dict(p.split("=", 1) for p in facet.split("&")) if facet != "all" else {}
    brand, grade = parts.get("b"), parts.get("g")
    brands = {}
    for b in {
        brand_slug(e["brand"]) for e in partitions[keys.listing_partition(market.code, category)]
    }:
        scoped = partitions.get(keys.listing_partition(market.code, category, b, grade))
        if scoped:
            brands[b] = {"count": len(scoped), "name": scoped[0]["brand"]}
    grades = {}
    for g in GRADE_BY_CODE:
        scoped = partitions.get(keys.listing_partition(market.code, category, brand, g))
        if scoped:
            grades[g] = len(scoped)
    return {
        **keys.listing_meta(partition),
        "total": len(entries),
        "prices": sorted(e["price"] for e in entries),
        "brands": brands,
        "grades": grades,
    }


def _home_item(market: Market, partitions: dict[str, list[dict]]) -> dict:
    """Category tiles and the best deals of a market."""
    categories, entries = [], []
    for code in CATEGORY_BY_CODE:
        listed = partitions.get(keys.listing_partition(market.code, code), [])
        if listed:
            cheapest = min(e["price"] for e in listed)
            categories.append({"code": code, "count": len(listed), "from": cheapest})
            entries += listed
    deals = sorted(
        entries, key=lambda e: (-(e["new_price"] - e["price"]) / e["new_price"], e["product"])
    )
    summary_fields = ("product", "title", "brand", "category", "price", "grade", "new_price")
    summary_fields += ("currency", "offers")
    deals = [{k: e[k] for k in summary_fields} for e in deals[:DEALS_ON_HOME]]
    return {**keys.home(market.code), "categories": categories, "deals": deals}


def _category_name(market: Market, code: str) -> str:
    return translations_for(market.catalog_chain).gettext(CATEGORY_BY_CODE[code].label)


# ----------------------------------------------------------------------------- load


def validate_catalog(data: Any) -> tuple[dict[str, dict[str, MarketProduct]], list[Rejection]]:
    """Validate every record; a record that breaks a rule is rejected whole."""
    ctx = validate_header(data)
    valid: dict[str, dict[str, MarketProduct]] = {}
    rejections = []
    for index, raw in enumerate(data["products"]):
        pid = raw.get("id") if isinstance(raw, dict) else None
        pid = pid if isinstance(pid, str) else None
        try:
            if pid in valid:
                raise RecordError("id", f"repeats products[{list(valid).index(pid)}]")
            valid[pid] = validate_product(raw, ctx)
        except RecordError as error:
            rejections.append(Rejection(index, pid, [error]))
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            # A value of an unexpected shape (a list where text belongs): reject the record.
            rejections.append(Rejection(index, pid, [RecordError("$", f"malformed: {error!r}")]))
    return valid, rejections


def build_items(
    valid: dict[str, dict[str, MarketProduct]],
    carried: dict[str, list[dict]] | None = None,
    kept_markets: dict[str, list[str]] | None = None,
) -> tuple[dict[str, list[dict]], list[dict]]:
    """Every item of a validated catalog: per product id, and shared (homes, summaries).

    ``kept_markets`` are the markets of products rejected now but loaded before: their
    pages still answer, so the sitemaps keep them.
    """
    carried = carried or {}
    sold_in = {pid: sorted(by_market) for pid, by_market in valid.items()}
    sold_in.update(kept_markets or {})
    per_product: dict[str, list[dict]] = {pid: [] for pid in valid}
    shared: list[dict] = []
    for code, market in MARKETS.items():
        sold = [by_market[code] for by_market in valid.values() if code in by_market]
        for mp in sold:
            item = {**product_item(mp), "markets": sold_in[mp.pid]}
            per_product[mp.pid].append({**item, "digest": _digest(item)})
        items, market_shared = market_items(market, sold, _category_name, carried.get(code, ()))
        for pid, product_items in items.items():
            per_product[pid].extend(product_items)
        shared.extend(market_shared)
        here = {pid: markets for pid, markets in sold_in.items() if code in markets}
        shared.append(_sitemap_item(code, here))
    return per_product, shared


def _digest(item: dict) -> str:
    """A fingerprint of an item's content, so readers can reuse what they parsed from it."""
    canonical = json.dumps(item, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=12).hexdigest()


def _sitemap_item(code: str, sold_in: dict[str, list[str]]) -> dict:
    """Every product page of a market, with the other markets that have the same page."""
    # The markets as a bit mask in registry order: 8 bytes a product instead of ~100,
    # so one item lists some 40,000 products.
    products = {pid: market_mask(markets) for pid, markets in sorted(sold_in.items())}
    return {**keys.sitemap(code), "products": products}


def plan(data: Any) -> tuple[dict[str, list[dict]], list[dict], list[Rejection]]:
    """Validate a catalog and build every item it holds, as a first load would."""
    valid, rejections = validate_catalog(data)
    per_product, shared = build_items(valid)
    return per_product, shared, rejections


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
    previous = _read(table, keys.CATALOG_MANIFEST)
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
            manifest = keys.catalog_manifest(code)
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
        batch.put_item(Item={**keys.CATALOG_MANIFEST, "products": products})
    return report


def _delete(batch: Any, stale: set[str]) -> int:
    for joined in stale:
        pk, sk = joined.split("\n", 1)
        batch.delete_item(Key={"PK": pk, "SK": sk})
    return len(stale)


def progress_printer(label: str) -> Callable[[int, int, int], None]:
    """A progress callback: one updating line on a terminal, five lines in a log."""
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int, items: int) -> None:
        line = f"{label}: products {done}/{total} · items {items}"
        if interactive:
            print(f"\r{line}", end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done % max(1, total // 5) == 0 or done == total:
            print(line, file=sys.stderr, flush=True)

    return progress


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def main(argv: list[str] | None = None) -> int:
    """Command line: load FILE into a table, report rejected records, exit 1 if any."""
    parser = argparse.ArgumentParser(
        prog="python -m chalicelib.loader", description=__doc__.split("\n")[0]
    )
    parser.add_argument("file", help="catalog JSON file")
    parser.add_argument("--table", required=True, help="DynamoDB table name")
    parser.add_argument("--region", help="AWS region (default: from the environment)")
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. a local moto server")
    parser.add_argument(
        "--create-table", action="store_true", help="create the table if it is missing"
    )
    args = parser.parse_args(argv)
    from chalicelib import aws

    try:
        with open(args.file, encoding="utf-8") as fileobj:
            data = json.load(fileobj, parse_constant=_refuse_constant)
    except (OSError, ValueError) as error:
        print(f"error: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    table = aws.dynamodb_table(args.table, region=args.region, endpoint_url=args.endpoint_url)
    if args.create_table:
        aws.ensure_table(table)
    progress = progress_printer("loading")
    try:
        report = load(table, data, progress)
    except RecordError as error:
        print(f"error: {error} (nothing was loaded)", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"error: DynamoDB: {error} (run the load again: it is idempotent)", file=sys.stderr)
        return 2
    for rejection in report.rejections:
        print(f"rejected: {rejection}", file=sys.stderr)
    print(
        f"loaded {report.products} products into {args.table}:"
        f" {report.items_written} items written, {report.items_deleted} stale items deleted,"
        f" {len(report.rejections)} records rejected",
        file=sys.stderr,
    )
    return 1 if report.rejections else 0


if __name__ == "__main__":
    sys.exit(main())
