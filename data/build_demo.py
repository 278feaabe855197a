"""Build data/demo-catalog.json from the hand-written sources in data/demo/.

Prices are set per country at local price points from each product's local new price,
its age and the grade, with each refurbisher pricing a little differently. The markets of one
country (fr-be and nl-be) get one entry: the same offers, prices and stock in two languages.
Run: python data/build_demo.py  (deterministic: the same sources give the same file)
"""

from __future__ import annotations

import copy
import json
import random
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from chalicelib.kernel.markets import MARKETS, country_markets  # noqa: E402
from tools.illustrations import images_field, looks  # noqa: E402

SOURCES = HERE / "demo"
OUTPUT = HERE / "demo-catalog.json"
THIS_YEAR = 2026
GRADE_SHARE = {"fair": 0.50, "good": 0.56, "excellent": 0.62, "premium": 0.72}
BATTERY = {"fair": (80, 86), "good": (84, 90), "excellent": (87, 95), "premium": (92, 100)}
# Price level of a market within its currency zone, against France; a country's other
# markets copy the entry of its first market, so only that one has a level.
LEVEL = {
    "fr-be": 1.0, "de-de": 0.97, "de-at": 1.0, "es-es": 0.96, "it-it": 0.98,
    "nl-nl": 0.99, "pt-pt": 0.99, "en-ie": 1.03, "fi-fi": 1.03, "el-gr": 0.95, "sk-sk": 0.94,
}  # fmt: skip
TEXT_LANGUAGES = ("fr", "nl", "de", "es", "it", "pt_PT", "fi", "sv", "el", "sk", "ja", "en_GB")


def price_point(major: float, currency: str) -> int:
    """A local price point in minor units: 349 €, £299, ¥39,800, 3 990 kr."""
    if currency == "JPY":
        step = 1000 if major >= 10000 else 100
        return max(1, round(major / step)) * step - (200 if step == 1000 else 20)
    if currency == "SEK":
        step = 100 if major >= 1000 else 10
        return (max(step, round(major / step) * step) - (10 if step == 100 else 1)) * 100
    return (max(10, round(major / 10) * 10) - 1) * 100


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))


def build() -> dict:
    products = json.loads((SOURCES / "products.json").read_text())["products"]
    refurbishers = json.loads((SOURCES / "refurbishers.json").read_text())["refurbishers"]
    co2e = json.loads((SOURCES / "co2e.json").read_text())
    texts = {}
    for language in TEXT_LANGUAGES:
        path = SOURCES / "text" / f"{language}.json"
        texts[language] = json.loads(path.read_text()) if path.exists() else {}
    out = []
    drawn = looks()  # each product's illustrations (tools/illustrations), by product id
    for product in products:
        description = {"en": product["description"]["en"]}
        title = {"en": f"{product['brand']} {product['model']}"}
        for language, table in texts.items():
            entry = table.get(product["id"], {})
            if entry.get("description"):
                description[language] = entry["description"]
            if entry.get("title"):
                title[language] = entry["title"]
        record = {
            k: product[k]
            for k in ("id", "category", "brand", "model", "year", "popularity", "colors",
                      "storage_gb", "screen_in", "weight_g")
        }  # fmt: skip
        record["title"] = title
        record["description"] = description
        record["images"] = images_field(product, drawn[product["id"]])
        record["markets"] = _country_entries(product, refurbishers)
        out.append(record)
    return {
        "schema": 1,
        "refurbishers": [{**r, "shipping": _shipping(r)} for r in refurbishers],
        "co2e": {k: v for k, v in co2e.items() if not k.startswith("_")},
        "co2e_method": co2e.get("_method"),
        "products": out,
        **_buyback(json.loads((SOURCES / "buyback.json").read_text())),
    }


# What refurbishers charge for shipping, in minor units: 3.99-9.99 EUR and local equivalents.
SHIPPING_PRICES = {
    "EUR": (399, 499, 590, 699, 799, 999), "GBP": (299, 349, 399, 499, 599, 799),
    "SEK": (3900, 4900, 5900, 6900, 7900, 9900), "USD": (499, 599, 699, 799, 899, 999),
    "JPY": (550, 660, 770, 880, 990, 1100), "AUD": (695, 795, 895, 995, 1295, 1495),
}  # fmt: skip
# Order subtotals from which some refurbishers ship for free.
FREE_FROM = {
    "EUR": (4900, 9900, 15000), "GBP": (4900, 9900, 15000), "SEK": (49900, 99900, 150000),
    "USD": (4900, 9900, 19900), "JPY": (5000, 10000, 20000), "AUD": (9900, 14900, 25000),
}  # fmt: skip
EUROPE = {m.country for m in MARKETS.values() if m.stage == "eu"}


def _shipping(refurbisher: dict) -> dict:
    """A refurbisher's shipping in each market of its stages: near is quick and cheap."""
    shipping: dict[str, dict] = {}
    home = refurbisher["country"]
    for code, market in MARKETS.items():
        if market.stage not in refurbisher["stages"]:
            continue
        first = country_markets(code)[0]
        if first != code:  # one country ships alike in its languages
            shipping[code] = dict(shipping[first])
            continue
        rng = _rng("shipping", refurbisher["id"], code)
        prices = SHIPPING_PRICES[market.currency]
        if market.country == home:
            days, free, tier = rng.choice(([1, 2], [1, 3], [2, 3])), 0.45, prices[:3]
        elif market.country in EUROPE and home in EUROPE:
            days, free, tier = rng.choice(([3, 5], [3, 6], [4, 7], [3, 7])), 0.15, prices[1:]
        else:  # another continent
            days, free, tier = rng.choice(([5, 9], [6, 10], [7, 12])), 0.0, prices[-2:]
        entry: dict = {"days": days, "price": 0 if rng.random() < free else rng.choice(tier)}
        if entry["price"] and rng.random() < 0.5:
            entry["free_from"] = rng.choice(FREE_FROM[market.currency])
        shipping[code] = entry
    return shipping


def _country_entries(product: dict, refurbishers: list[dict]) -> dict:
    """Each market's entry, built once per country (keyed by its first market's code)."""
    entries: dict[str, dict] = {}
    for code in MARKETS:
        first = country_markets(code)[0]
        if first not in entries:
            entries[first] = _market_entry(product, MARKETS[first], refurbishers)
        entries[code] = copy.deepcopy(entries[first])
    return entries


def _market_entry(product: dict, market, refurbishers: list[dict]) -> dict:
    currency = market.currency
    digits = 0 if currency == "JPY" else 2
    base_new = product["new_prices"][currency] / 10**digits * LEVEL.get(market.code, 1.0)
    sizes = product["storage_gb"] or [None]
    step = product.get("storage_step_pct", 0) / 100
    new_prices = {}
    for i, size in enumerate(sizes):
        major = base_new * (1 + step) ** i
        new_prices["base" if size is None else str(size)] = price_point(major, currency)
    age = max(0, THIS_YEAR - product["year"])
    age_factor = max(0.5, 1 - 0.075 * age)
    sellers = [r for r in refurbishers if market.stage in r["stages"]]
    colors = product["colors"][:3]  # the demo sells the first three colours of a model
    offers = []
    for size in sizes:
        new_major = new_prices["base" if size is None else str(size)] / 10**digits
        for color in colors:
            for grade, share in GRADE_SHARE.items():
                rng = _rng(product["id"], market.code, str(size), color, grade)
                if rng.random() < 0.12:  # not every variant exists in every grade
                    continue
                for seller in rng.sample(sellers, k=min(len(sellers), rng.choice((1, 1, 1, 2, 2)))):
                    noise = rng.uniform(-0.05, 0.07)
                    offer = {
                        "refurbisher": seller["id"],
                        "storage_gb": size,
                        "color": color,
                        "grade": grade,
                        "price": price_point(
                            new_major * share * age_factor * (1 + noise), currency
                        ),
                        "stock": rng.choice((0, 1, 2, 3, 4, 6, 8, 12, 15, 24)),
                        "warranty_months": market.warranty_months + rng.choice((0, 0, 0, 6, 12)),
                        "battery_health": rng.randint(*BATTERY[grade])
                        if product["has_battery"]
                        else None,
                    }
                    offers.append(offer)
    return {"currency": currency, "new_price": new_prices, "offers": offers}


BUYBACK_TIERS = ("good", "fair", "damaged", "faulty")  # after flawless, each paying less
BUYBACK_FLOOR = 5  # major units: below it, a buyer would rather not buy the tier


def _buyback(source: dict) -> dict:
    """Buy-back devices and grids: each buyer of a market prices what its profile buys."""
    devices = [{k: v for k, v in d.items() if k != "flawless_eur"} for d in source["devices"]]
    grids = []
    for code, buyers in source["buyers"].items():
        market_level = source["market_level"][code]
        for rid in buyers:
            profile = source["profiles"][rid]
            rows = []
            for device in source["devices"]:
                if "flawless_eur" not in device or device["year"] < profile.get("since_year", 0):
                    continue
                if device["category"] not in profile.get("categories", [device["category"]]):
                    continue
                rng = _rng("buyback", rid, code, device["id"])
                level = market_level * profile["level"] * (1 + rng.uniform(-0.07, 0.07))
                shares = {
                    t: s * (1 + rng.uniform(-0.04, 0.04)) if s else None
                    for t, s in profile["tiers"].items()
                }
                for size, base in zip(device["storage_gb"], device["flawless_eur"], strict=True):
                    flawless = max(BUYBACK_FLOOR, round(base * level))
                    row = {"device": device["id"], "storage_gb": size, "flawless": flawless * 100}
                    last = flawless
                    for tier in BUYBACK_TIERS:
                        share = shares[tier]
                        price = min(last, round(flawless * share)) if share else 0
                        if price >= BUYBACK_FLOOR:
                            row[tier] = price * 100
                            last = price
                    rows.append(row)
            grids.append(
                {"refurbisher": rid, "market": code, "version": profile["version"], "prices": rows}
            )
    return {"buyback_devices": devices, "buyback": grids}


def main() -> None:
    catalog = build()
    with OUTPUT.open("w", encoding="utf-8") as fileobj:
        json.dump(catalog, fileobj, ensure_ascii=False, separators=(",", ":"))
        fileobj.write("\n")
    count = sum(len(m["offers"]) for p in catalog["products"] for m in p["markets"].values())
    print(
        f"wrote {OUTPUT.name}: {len(catalog['products'])} products, {count} offers,"
        f" {len(catalog['buyback'])} buy-back grids"
    )


if __name__ == "__main__":
    main()
