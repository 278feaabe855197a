"""Checking a catalog file: every rule a record must keep, with the position of what breaks."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from chalicelib.catalog import keys
from chalicelib.catalog.model import CATEGORY_BY_CODE, COLORS, GRADE_BY_CODE
from chalicelib.catalog.records import OfferRecord, ProductRecord, RefurbisherRecord
from chalicelib.catalog.text import brand_slug
from chalicelib.kernel.markets import MARKETS, Market

SCHEMA_VERSION = 1
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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

    refurbishers: dict[str, RefurbisherRecord]
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
        refurbishers[r["id"]] = RefurbisherRecord(
            r["id"], r["name"], r["country"], rating, r["reviews"], tuple(stages)
        )
    co2e = _require(data.get("co2e"), "co2e", dict, "an object")
    for code in CATEGORY_BY_CODE:
        entry = _require(co2e.get(code), f"co2e.{code}", dict, "an object")
        _positive_int(entry.get("kg_avoided"), f"co2e.{code}.kg_avoided")
        _require(entry.get("source"), f"co2e.{code}.source", str, "the name of the source")
    _require(data.get("products"), "products", list, "a list")
    return Context(refurbishers, co2e)


def validate_product(raw: Any, ctx: Context) -> dict[str, ProductRecord]:
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
    return resolved


def _validate_market(
    raw: dict, entry: Any, path: str, market: Market, ctx: Context, common: dict
) -> ProductRecord:
    """One market's entry of a product record: currency, texts, new prices, offers."""
    storage, colors = common["storage_gb"], common["colors"]
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
        if market.stage not in refurbisher.stages:
            raise RecordError(f"{opath}.refurbisher", f"{rid} does not ship to {market.code}")
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
        offers.append(
            OfferRecord(rid, offer["color"], offer["grade"], price, stock, warranty, size, battery)
        )
        refurbishers[rid] = refurbisher
    return ProductRecord(
        market=market,
        title=title,
        description=description,
        new_prices=new_prices,
        offers=tuple(offers),
        refurbishers=refurbishers,
        **common,
    )


def validate_catalog(data: Any) -> tuple[dict[str, dict[str, ProductRecord]], list[Rejection]]:
    """Validate every record; a record that breaks a rule is rejected whole."""
    ctx = validate_header(data)
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
