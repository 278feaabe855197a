"""The one item format of the table: written by the importer, read by the repository.

Each kind of item is encoded and decoded here, side by side, so that a field cannot be
written under one name and read under another.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from chalicelib.catalog import images, keys, sellers
from chalicelib.catalog.model import (
    Co2e,
    Facets,
    Home,
    HomeCategory,
    ListingEntry,
    Offer,
    Product,
)
from chalicelib.catalog.offers import record_rank
from chalicelib.catalog.records import OfferRecord, ProductRecord
from chalicelib.kernel.markets import Market, market_mask, markets_in
from chalicelib.kernel.money import Money

# Offers travel as JSON with one-letter keys: a popular product has forty of them.
_OFFER_KEYS = {
    "refurbisher": "r",
    "color": "c",
    "grade": "g",
    "price": "p",
    "stock": "k",
    "warranty_months": "w",
    "storage_gb": "s",
    "battery_health": "bh",
}
# What a listing, search or deal card shows of a product: copied onto each entry item.
ENTRY_FIELDS = (
    "product", "title", "brand", "category", "price", "grade", "new_price", "currency", "offers",
)  # fmt: skip


def _int(value: Any) -> int:
    return int(value) if isinstance(value, Decimal) else value


def dynamo_ready(value: Any) -> Any:
    """Floats become Decimals, which is what boto3 writes as DynamoDB numbers."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: dynamo_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [dynamo_ready(v) for v in value]
    return value


def digest(item: dict) -> str:
    """A fingerprint of an item's content, so readers can reuse what they parsed from it."""
    canonical = json.dumps(item, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=12).hexdigest()


# ----------------------------------------------------------------------------- products


def encode_offer(offer: OfferRecord) -> dict[str, Any]:
    """An offer as it is kept in a product item's JSON."""
    encoded = {short: getattr(offer, name) for name, short in _OFFER_KEYS.items()}
    return {k: v for k, v in encoded.items() if v is not None}


def product_item(record: ProductRecord, markets: list[str]) -> dict:
    """The item a product page reads: everything about the product in one market."""
    item: dict[str, Any] = dict(keys.product(record.market.code, record.id))
    item.update(
        id=record.id,
        category=record.category,
        brand=record.brand,
        model=record.model,
        year=record.year,
        popularity=record.popularity,
        colors=list(record.colors),
        storage_gb=list(record.storage_gb),
        co2e_kg=record.co2e_kg,
        co2e_source=record.co2e_source,
        title=record.title,
        description=record.description,
        currency=record.market.currency,
        new_prices=dict(record.new_prices),
        # A JSON string, not a list of maps: boto3 deserializes nested maps in pure Python
        # (about 1 ms for a product with 40 offers), json.loads in C; nothing queries inside.
        offers=json.dumps([encode_offer(o) for o in record.offers], separators=(",", ":")),
        refurbishers=sellers.encode(record),  # with their shipping in this market
        markets=markets,
    )
    if record.screen_in is not None:
        item["screen_in"] = record.screen_in
    if record.weight_g is not None:
        item["weight_g"] = record.weight_g
    item.update(images.product_fields(record.images))
    item = dynamo_ready(item)
    return {**item, "digest": digest(item)}


def decode_product(item: dict) -> Product:
    """The product of a product item, with its offers in stock."""
    currency = item["currency"]
    refurbishers = sellers.decode(item["refurbishers"], currency)
    o = _OFFER_KEYS
    offers = tuple(
        Offer(
            refurbisher=refurbishers[raw[o["refurbisher"]]],
            storage_gb=raw.get(o["storage_gb"]),
            color=raw[o["color"]],
            grade=raw[o["grade"]],
            price=Money(raw[o["price"]], currency),
            stock=raw[o["stock"]],
            warranty_months=raw[o["warranty_months"]],
            battery_health=raw.get(o["battery_health"]),
        )
        for raw in json.loads(item["offers"])
        if raw[o["stock"]] > 0  # sold out: never shown, so never built
    )
    new_prices = {
        (None if size == "base" else int(size)): Money(_int(amount), currency)
        for size, amount in item["new_prices"].items()
    }
    return Product(
        id=item["id"],
        category=item["category"],
        brand=item["brand"],
        model=item["model"],
        title=item["title"],
        description=item["description"],
        year=_int(item["year"]),
        colors=tuple(item["colors"]),
        storage_gb=tuple(_int(s) for s in item.get("storage_gb", [])),
        new_prices=new_prices,
        offers=offers,
        co2e=Co2e(_int(item["co2e_kg"]), item["co2e_source"]),
        screen_in=float(item["screen_in"]) if "screen_in" in item else None,
        weight_g=_int(item["weight_g"]) if "weight_g" in item else None,
        markets=tuple(item.get("markets", ())),
        images=images.decode(item.get("images")),
    )


def decode_record(item: dict, market: Market) -> ProductRecord:
    """A product item read back as the record it was written from, sold-out offers too."""
    offers = tuple(
        OfferRecord(**{name: raw.get(short) for name, short in _OFFER_KEYS.items()})
        for raw in json.loads(item["offers"])
    )
    refurbishers = sellers.decode_records(item["refurbishers"], market)
    return ProductRecord(
        market=market,
        **{name: item[name] for name in ("id", "category", "brand", "model", "title")},
        description=item["description"],
        year=_int(item["year"]),
        popularity=_int(item["popularity"]),
        colors=tuple(item["colors"]),
        storage_gb=tuple(_int(s) for s in item.get("storage_gb", [])),
        new_prices={size: _int(amount) for size, amount in item["new_prices"].items()},
        offers=offers,
        refurbishers=refurbishers,
        co2e_kg=_int(item["co2e_kg"]),
        co2e_source=item["co2e_source"],
        screen_in=float(item["screen_in"]) if "screen_in" in item else None,
        weight_g=_int(item["weight_g"]) if "weight_g" in item else None,
        images=images.decode(item.get("images")),
    )


# ----------------------------------------------------------------------------- entries


def entry_fields(record: ProductRecord, offers: list[OfferRecord]) -> dict[str, Any]:
    """A card's fields for a product, priced at the best of ``offers`` as its page ranks them."""
    best = min(offers, key=lambda o: record_rank(o, record.refurbishers[o.refurbisher]))
    return {
        "product": record.id,
        "title": record.title,
        "brand": record.brand,
        "category": record.category,
        "price": best.price,
        "grade": best.grade,
        "new_price": record.new_price_for(best.storage_gb),
        "currency": record.market.currency,
        "offers": len(offers),
        **images.card_fields(record.images, best.color),
    }


def card_of(item: dict) -> dict[str, Any]:
    """Only a card's fields of an entry item, for copies such as the home page's deals."""
    card = {name: item[name] for name in ENTRY_FIELDS}
    return {**card, "image": item["image"]} if "image" in item else card


def decode_entry(item: dict) -> ListingEntry:
    """A card of a listing, search or deal item."""
    currency = item["currency"]
    return ListingEntry(
        product_id=item["product"],
        title=item["title"],
        brand=item["brand"],
        category=item["category"],
        price=Money(_int(item["price"]), currency),
        grade=item["grade"],
        new_price=Money(_int(item["new_price"]), currency),
        offers=_int(item["offers"]),
        image=images.decode_card(item.get("image")),
    )


# ----------------------------------------------------------------------------- summaries


def meta_item(
    partition: str,
    entries: list[dict],
    brands: dict[str, tuple[str, int]],
    grades: dict[str, int],
) -> dict:
    """A listing partition's summary: its count, sorted prices and facet counts."""
    return {
        **keys.listing_meta(partition),
        "total": len(entries),
        "prices": sorted(e["price"] for e in entries),
        "brands": {slug: {"count": n, "name": name} for slug, (name, n) in brands.items()},
        "grades": grades,
    }


def is_meta(item: dict) -> bool:
    """Whether an item read from a listing partition is its summary."""
    return item.get("SK") == keys.META_SORT


def decode_facets(meta: dict) -> Facets:
    """The facet counts of a listing summary."""
    brands = {slug: (b["name"], _int(b["count"])) for slug, b in meta.get("brands", {}).items()}
    return Facets(
        brands={slug: count for slug, (_, count) in sorted(brands.items())},
        grades={g: _int(n) for g, n in meta.get("grades", {}).items()},
        prices=tuple(_int(p) for p in meta.get("prices", [])),
        brand_names={slug: name for slug, (name, _) in brands.items()},
    )


def home_item(market: str, categories: list[tuple[str, int, int]], deals: list[dict]) -> dict:
    """A market's home: (category, count, cheapest price) tiles and the deal cards."""
    tiles = [{"code": c, "count": n, "from": cheapest} for c, n, cheapest in categories]
    return {**keys.home(market), "categories": tiles, "deals": [card_of(d) for d in deals]}


def decode_home(item: dict, currency: str) -> Home:
    """Category tiles and deals of a home item."""
    categories = [
        HomeCategory(c["code"], _int(c["count"]), Money(_int(c["from"]), currency))
        for c in item.get("categories", [])
    ]
    return Home(categories, [decode_entry(d) for d in item.get("deals", [])])


def sitemap_item(market: str, sold_in: dict[str, list[str]]) -> dict:
    """Every product page of a market, with the other markets that have the same page."""
    # The markets as a bit mask in registry order: 8 bytes a product instead of ~100,
    # so one item lists some 40,000 products.
    products = {pid: market_mask(markets) for pid, markets in sorted(sold_in.items())}
    return {**keys.sitemap(market), "products": products}


def decode_sitemap(item: dict) -> dict[str, list[str]]:
    """Product ids of a sitemap item, with the markets of each."""
    return {pid: markets_in(int(mask)) for pid, mask in item.get("products", {}).items()}
