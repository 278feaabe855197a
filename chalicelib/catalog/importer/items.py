"""The items a validated catalog becomes: products, listing and search entries, summaries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from chalicelib.catalog import codec, keys
from chalicelib.catalog.importer.validation import Rejection, validate_catalog
from chalicelib.catalog.model import CATEGORY_BY_CODE, GRADE_BY_CODE
from chalicelib.catalog.records import ProductRecord
from chalicelib.catalog.search.index import search_index
from chalicelib.catalog.search.index import search_terms as index_terms
from chalicelib.catalog.text import brand_slug, search_tokens
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS, Market

DEALS_ON_HOME = 8
Valid = dict[str, dict[str, ProductRecord]]


def market_items(
    market: Market,
    products: list[ProductRecord],
    category_name: Callable[[Market, str], str],
    carried: Iterable[dict] = (),
) -> tuple[dict[str, list[dict]], list[dict]]:
    """Listing, search and home items of one market: per product id, and shared ones.

    ``carried`` are listing entries an earlier load wrote for products this load rejected:
    they stay in the table, so the summaries and the home page count them too.
    """
    # Ranks follow popularity among every product of the market, in stock or not, so that
    # one product selling out or coming back moves no other product's keys.
    ranked = sorted(products, key=lambda record: (-record.popularity, record.id))
    per_product: dict[str, list[dict]] = defaultdict(list)
    partitions: dict[str, list[dict]] = defaultdict(list)
    for entry in carried:
        partitions[entry["PK"]].append(entry)
    for rank, record in enumerate(ranked, start=1):
        if not record.in_stock():
            continue
        category, brand = record.category, brand_slug(record.brand)
        grades = sorted({o.grade for o in record.in_stock()})
        scopes = [(None, None), (brand, None)]
        scopes += [(None, g) for g in grades] + [(brand, g) for g in grades]
        for b, g in scopes:
            partition = keys.listing_partition(market.code, category, b, g)
            fields = codec.entry_fields(record, record.in_stock(g))
            item = {**keys.listing_entry(partition, rank, record.id, fields["price"]), **fields}
            per_product[record.id].append(item)
            partitions[partition].append(item)
        index = search_index(
            market,
            title=record.title,
            brand=record.brand,
            model=record.model,
            label=category_name(market, category),
            storage=[o.storage_gb for o in record.in_stock() if o.storage_gb],
        )
        fields = codec.entry_fields(record, record.in_stock())
        for key, words in index.entries:
            item = {**keys.search_entry(market.code, key, rank, record.id), **fields}
            per_product[record.id].append({**item, "w": f" {' '.join(words)} ", "text": index.text})
    shared = [_meta_item(market, partition, partitions) for partition in partitions]
    shared.append(_home_item(market, partitions))
    return per_product, shared


def search_terms(text: str) -> list[str]:
    """Words of a text to index: two characters or more, none the start of another."""
    return index_terms(search_tokens(text))


def _meta_item(market: Market, partition: str, partitions: dict[str, list[dict]]) -> dict:
    """Facet counts and sorted prices of a listing partition."""
    _, _, category, facet = partition.split("#", 3)
    parts = dict(p.split("=", 1) for p in facet.split("&")) if facet != "all" else {}
    brand, grade = parts.get("b"), parts.get("g")
    brands = {}
    for b in {
        brand_slug(e["brand"]) for e in partitions[keys.listing_partition(market.code, category)]
    }:
        scoped = partitions.get(keys.listing_partition(market.code, category, b, grade))
        if scoped:
            brands[b] = (scoped[0]["brand"], len(scoped))
    grades = {}
    for g in GRADE_BY_CODE:
        scoped = partitions.get(keys.listing_partition(market.code, category, brand, g))
        if scoped:
            grades[g] = len(scoped)
    return codec.meta_item(partition, partitions[partition], brands, grades)


def _home_item(market: Market, partitions: dict[str, list[dict]]) -> dict:
    """Category tiles and the best deals of a market."""
    categories, entries = [], []
    for code in CATEGORY_BY_CODE:
        listed = partitions.get(keys.listing_partition(market.code, code), [])
        if listed:
            categories.append((code, len(listed), min(e["price"] for e in listed)))
            entries += listed
    deals = sorted(
        entries, key=lambda e: (-(e["new_price"] - e["price"]) / e["new_price"], e["product"])
    )
    return codec.home_item(market.code, categories, deals[:DEALS_ON_HOME])


def category_name(market: Market, code: str) -> str:
    """A category as the market's shipped catalogs name it, for search words."""
    return translations_for(market.translation_chain).gettext(CATEGORY_BY_CODE[code].label)


def build_items(
    valid: Valid,
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
        for record in sold:
            per_product[record.id].append(codec.product_item(record, sold_in[record.id]))
        items, market_shared = market_items(market, sold, category_name, carried.get(code, ()))
        for pid, product_items in items.items():
            per_product[pid].extend(product_items)
        shared.extend(market_shared)
        here = {pid: markets for pid, markets in sold_in.items() if code in markets}
        shared.append(codec.sitemap_item(code, here))
    return per_product, shared


def plan(data: Any) -> tuple[dict[str, list[dict]], list[dict], list[Rejection]]:
    """Validate a catalog and build every item it holds, as a first load would."""
    valid, rejections = validate_catalog(data)
    per_product, shared = build_items(valid)
    return per_product, shared, rejections
