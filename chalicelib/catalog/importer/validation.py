"""Checking a catalog file: every rule a record must keep, with the position of what breaks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from chalicelib.catalog import codec, limits
from chalicelib.catalog.importer import fields, images
from chalicelib.catalog.importer.countries import check_countries
from chalicelib.catalog.importer.fields import RecordError
from chalicelib.catalog.importer.shipping import validate_shipping
from chalicelib.catalog.model import CATEGORY_BY_CODE, COLORS, GRADE_BY_CODE
from chalicelib.catalog.records import OfferRecord, ProductRecord, RefurbisherRecord
from chalicelib.catalog.text import brand_slug, tokens
from chalicelib.kernel.markets import MARKETS, Market

SCHEMA_VERSION = 1


@dataclass
class Rejection:
    """A record that was not loaded, with its position and what is wrong."""

    index: int
    product_id: str | None
    errors: list[RecordError]
    within: str = "products"  # the list of the file the record is in

    def __str__(self) -> str:
        who = f"{self.within}[{self.index}]" + (f" ({self.product_id})" if self.product_id else "")
        return "\n".join(f"{who} {error}" for error in self.errors)


def _finite(value: int | float) -> bool:
    """A finite number; a whole number of 400 digits is finite but no float can hold it."""
    if isinstance(value, int):
        return abs(value) < 10**15
    return math.isfinite(value)


@dataclass(frozen=True)
class Context:
    """What records are checked against: refurbishers and CO2e figures of the file."""

    refurbishers: dict[str, RefurbisherRecord]
    co2e: dict[str, dict]


def validate_header(data: Any) -> Context:
    """Check the file's top level; a broken header rejects the whole file."""
    if not isinstance(data, dict):
        raise RecordError("$", "must be a JSON object")
    if data.get("schema") != SCHEMA_VERSION:
        raise RecordError("schema", f"must be {SCHEMA_VERSION}, got {data.get('schema')!r}")
    refurbishers = {}
    for i, r in enumerate(fields.require(data.get("refurbishers"), "refurbishers", list, "a list")):
        path = f"refurbishers[{i}]"
        fields.require(r, path, dict, "an object")
        rid = fields.slug(r.get("id"), f"{path}.id", "refurb-paris")
        name = fields.checked(r.get("name"), f"{path}.name", "name")
        country = fields.checked(r.get("country"), f"{path}.country", "country")
        rating = fields.require(r.get("rating"), f"{path}.rating", (int, float), "a number")
        if not (_finite(rating) and 0 <= rating <= 5):
            raise RecordError(f"{path}.rating", f"must be between 0 and 5, got {rating!r}")
        fields.positive_int(r.get("reviews"), f"{path}.reviews", allow_zero=True)
        stages = fields.require(r.get("stages"), f"{path}.stages", list, "a list of stages")
        if not stages or any(s not in {m.stage for m in MARKETS.values()} for s in stages):
            raise RecordError(
                f"{path}.stages", f"must list stages among eu, us, ap, got {stages!r}"
            )
        shipping = validate_shipping(r.get("shipping"), f"{path}.shipping", rid, stages)
        refurbishers[rid] = RefurbisherRecord(
            rid, name, country, round(float(rating), 2), r["reviews"], tuple(stages), shipping
        )
    co2e = fields.require(data.get("co2e"), "co2e", dict, "an object")
    for code in CATEGORY_BY_CODE:
        entry = fields.require(co2e.get(code), f"co2e.{code}", dict, "an object")
        fields.positive_int(entry.get("kg_avoided"), f"co2e.{code}.kg_avoided")
        fields.checked(entry.get("source"), f"co2e.{code}.source", "source")
    fields.require(data.get("products"), "products", list, "a list")
    return Context(refurbishers, co2e)


def validate_product(raw: Any, ctx: Context) -> dict[str, ProductRecord]:
    """Check one product record; return it resolved per market or raise its first error."""
    fields.require(raw, "$", dict, "an object")
    pid = fields.slug(raw.get("id"), "id", "apple-iphone-13")
    category = raw.get("category")
    if category not in CATEGORY_BY_CODE:
        raise RecordError(
            "category", f"must be one of {', '.join(CATEGORY_BY_CODE)}, got {category!r}"
        )
    brand = fields.checked(raw.get("brand"), "brand", "brand")
    slug = brand_slug(brand)
    if not limits.SLUG.match(slug) or len(slug) > limits.MAX_SLUG:
        raise RecordError("brand", f"must have letters a-z or digits for its URL, got {brand!r}")
    model = fields.checked(raw.get("model"), "model", "model")
    word = limits.long_word(tokens(f"{brand} {model}"))
    if word:
        raise RecordError("model", f"has a word of {len(word):,} characters; at most 100")
    year = fields.positive_int(raw.get("year"), "year")
    popularity = fields.positive_int(raw.get("popularity"), "popularity", allow_zero=True)
    colors = fields.require(raw.get("colors"), "colors", list, "a list of colour codes")
    if not colors or any(not isinstance(c, str) or c not in COLORS for c in colors):
        raise RecordError(
            "colors", f"must be colour codes among {', '.join(COLORS)}, got {colors!r}"
        )
    storage = fields.require(raw.get("storage_gb", []), "storage_gb", list, "a list of sizes in GB")
    for i, size in enumerate(storage):
        fields.positive_int(size, f"storage_gb[{i}]")
    screen = raw.get("screen_in")
    if screen is not None:
        fields.require(screen, "screen_in", (int, float), "a number of inches or null")
        if not (_finite(screen) and 0 < screen < 100):
            raise RecordError("screen_in", f"must be between 0 and 100 inches, got {screen!r}")
    weight = raw.get("weight_g")
    if weight is not None:
        fields.positive_int(weight, "weight_g")
    markets = fields.require(raw.get("markets"), "markets", dict, "an object keyed by market code")
    if not markets:
        raise RecordError("markets", "must sell the product in at least one market")
    common = {
        "id": pid,
        "category": category,
        "brand": brand,
        "model": model,
        "year": year,
        "popularity": popularity,
        "colors": tuple(colors),
        "storage_gb": tuple(storage),
        "screen_in": screen,
        "weight_g": weight,
        "images": images.validate(raw.get("images"), tuple(colors)),
        "co2e_kg": ctx.co2e[category]["kg_avoided"],
        "co2e_source": ctx.co2e[category]["source"],
    }
    resolved = {}
    for code, entry in markets.items():
        market = MARKETS.get(code)
        path = f"markets.{code}"
        if market is None:
            raise RecordError(path, f"is not a market; markets are {', '.join(MARKETS)}")
        resolved[code] = _validate_market(raw, entry, path, market, ctx, common)
    check_countries(resolved)
    return resolved


def _validate_market(
    raw: dict, entry: Any, path: str, market: Market, ctx: Context, common: dict
) -> ProductRecord:
    """One market's entry of a product record: currency, texts, new prices, offers."""
    storage, colors = common["storage_gb"], common["colors"]
    fields.require(entry, path, dict, "an object")
    if entry.get("currency") != market.currency:
        raise RecordError(
            f"{path}.currency",
            f"must be {market.currency} in {market.code}, got {entry.get('currency')!r}",
        )
    title = fields.text(
        raw.get("title") or {"en": f"{raw['brand']} {raw['model']}"}, "title", market, True
    )
    word = limits.long_word(tokens(title))
    if word:
        raise RecordError("title", f"has a word of {len(word):,} characters; at most 100")
    description = fields.text(raw.get("description"), "description", market)
    new = fields.require(
        entry.get("new_price"), f"{path}.new_price", dict, "an object keyed by storage"
    )
    wanted = [str(s) for s in storage] or ["base"]
    new_prices = {}
    for size in wanted:
        new_prices[size] = fields.price(new.get(size), f"{path}.new_price.{size}")
    offers, refurbishers = [], {}
    for i, offer in enumerate(
        fields.require(entry.get("offers"), f"{path}.offers", list, "a list")
    ):
        opath = f"{path}.offers[{i}]"
        fields.require(offer, opath, dict, "an object")
        rid = offer.get("refurbisher")
        refurbisher = ctx.refurbishers.get(rid)
        if refurbisher is None:
            raise RecordError(f"{opath}.refurbisher", f"is not a known refurbisher: {rid!r}")
        if market.stage not in refurbisher.stages:
            raise RecordError(f"{opath}.refurbisher", f"{rid} does not ship to {market.code}")
        if market.code not in refurbisher.shipping:
            where = f"refurbishers[{list(ctx.refurbishers).index(rid)}].shipping"
            raise RecordError(f"{opath}.refurbisher", f"{rid} has no {market.code} in {where}")
        size = offer.get("storage_gb")
        if (size is None) != (not storage) or (size is not None and size not in storage):
            raise RecordError(
                f"{opath}.storage_gb", f"must be one of {list(storage) or [None]}, got {size!r}"
            )
        if offer.get("color") not in colors:
            raise RecordError(
                f"{opath}.color", f"must be one of {list(colors)}, got {offer.get('color')!r}"
            )
        if offer.get("grade") not in GRADE_BY_CODE:
            raise RecordError(
                f"{opath}.grade",
                f"must be one of {', '.join(GRADE_BY_CODE)}, got {offer.get('grade')!r}",
            )
        price = fields.price(offer.get("price"), f"{opath}.price")
        stock = fields.positive_int(offer.get("stock"), f"{opath}.stock", allow_zero=True)
        warranty = fields.positive_int(offer.get("warranty_months"), f"{opath}.warranty_months")
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
        offers.append(
            OfferRecord(rid, offer["color"], offer["grade"], price, stock, warranty, size, battery)
        )
        refurbishers[rid] = refurbisher
    record = ProductRecord(
        market=market,
        title=title,
        description=description,
        new_prices=new_prices,
        offers=tuple(offers),
        refurbishers=refurbishers,
        **common,
    )
    size = limits.item_size(codec.product_item(record, list(MARKETS)))
    if size > limits.MAX_ITEM_BYTES:
        raise RecordError(path, f"makes an item of {size:,} bytes; DynamoDB takes 400 KB")
    return record


def validate_catalog(data: Any) -> tuple[dict[str, dict[str, ProductRecord]], list[Rejection]]:
    """Validate every record; a record that breaks a rule is rejected whole."""
    try:
        ctx = validate_header(data)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        if isinstance(error, RecordError):
            raise
        raise RecordError("$", f"malformed header: {error!r}") from None
    valid: dict[str, dict[str, ProductRecord]] = {}
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
