"""Reads the storefront table: one DynamoDB request per page, results as dataclasses."""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import keys
from chalicelib.catalog import (
    Co2e,
    Facets,
    Home,
    HomeCategory,
    ListingEntry,
    ListingPage,
    Offer,
    Product,
    Refurbisher,
)
from chalicelib.markets import markets_in
from chalicelib.money import Money

PAGE_SIZE = 12
# With a filter DynamoDB applies after reading, read this many times a page so that
# pages stay full; what was read past the page is not lost: the cursor points after it.
FILTER_READ_FACTOR = 8


PARSED_CACHE_SIZE = 512
_PARSED: OrderedDict[tuple[str, str], Product] = OrderedDict()


class CatalogUnavailable(Exception):
    """DynamoDB could not answer: the page says so and asks to retry."""


class BadCursor(ValueError):
    """A pagination cursor that this listing did not hand out."""


TABLE_KEY = frozenset({"PK", "SK"})


def _resume_after(item: dict, attrs: frozenset[str]) -> dict[str, str]:
    """The key a query resumes after, when a page stops before what DynamoDB read."""
    return {attr: item[attr] for attr in attrs}


def encode_cursor(key: dict[str, str], total: int | None, offset: int) -> str:
    """An opaque, URL-safe cursor: where to resume, the total, and how many came before."""
    raw = json.dumps({"k": key, "n": total, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(
    cursor: str, partition: str, attrs: frozenset[str] = TABLE_KEY, prefix: str = ""
) -> tuple[dict[str, str], int | None, int]:
    """What a cursor carries; BadCursor unless this very query (partition, index) made it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        key, total, offset = data["k"], data["n"], data["o"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise BadCursor(cursor) from error
    valid = (
        isinstance(key, dict)
        and key.get("PK") == partition
        and set(key) == attrs
        and all(isinstance(v, str) and len(v) < 200 for v in key.values())
        and key["SK"].startswith(prefix)
        and (total is None or isinstance(total, int) and total >= 0)
        and isinstance(offset, int)
        and offset >= 0
    )
    if not valid:
        raise BadCursor(cursor)
    return key, total, offset


def _int(value: Any) -> int:
    return int(value) if isinstance(value, Decimal) else value


class CatalogRepository:
    """The storefront's reads, over a boto3 DynamoDB Table."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def _call(self, method: str, **kwargs: Any) -> dict:
        try:
            return getattr(self.table, method)(**kwargs)
        except (BotoCoreError, ClientError) as error:
            raise CatalogUnavailable(str(error)) from error

    def home(self, market: str, currency: str) -> Home | None:
        """Category tiles and deals of a market, or None if nothing is loaded for it."""
        item = self._call("get_item", Key=keys.home(market)).get("Item")
        if item is None:
            return None
        categories = [
            HomeCategory(c["code"], _int(c["count"]), Money(_int(c["from"]), currency))
            for c in item.get("categories", [])
        ]
        return Home(categories, [_entry(d) for d in item.get("deals", [])])

    def sitemap(self, market: str) -> dict[str, list[str]]:
        """Every product page of a market, with the markets that have the same page."""
        item = self._call("get_item", Key=keys.sitemap(market)).get("Item", {})
        return {pid: markets_in(int(mask)) for pid, mask in item.get("products", {}).items()}

    def product(self, market: str, product_id: str) -> Product | None:
        """A product with all its offers in a market, or None."""
        item = self._call("get_item", Key=keys.product(market, product_id)).get("Item")
        if not item:
            return None
        # A warm function parses a popular product once per version of its item: the
        # loader fingerprints each item's content, so a reload can never serve a stale parse.
        key = (item["PK"], item.get("digest"))
        if key[1] is None:
            return _product(item)
        parsed = _PARSED.get(key)
        if parsed is None:
            parsed = _PARSED[key] = _product(item)
            if len(_PARSED) > PARSED_CACHE_SIZE:
                _PARSED.popitem(last=False)
        else:
            _PARSED.move_to_end(key)
        return parsed

    def listing(
        self,
        market: str,
        category: str,
        *,
        brand: str | None = None,
        grade: str | None = None,
        sort: str = "popular",
        price_min: int | None = None,
        price_max: int | None = None,
        cursor: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> ListingPage:
        """A page of a category facet, sorted, price-filtered, after a cursor."""
        partition = keys.listing_partition(market, category, brand, grade)
        index_attr = {"price-asc": "PA", "price-desc": "PD"}.get(sort)
        attrs = TABLE_KEY | ({index_attr} if index_attr else set())
        start, total, offset = (
            decode_cursor(cursor, partition, attrs) if cursor else (None, None, 0)
        )
        key = Key("PK").eq(partition)
        kwargs: dict[str, Any] = {}
        if index_attr:
            kwargs["IndexName"] = keys.PRICE_INDEX if index_attr == "PA" else keys.PRICE_DESC_INDEX
        price_filter = price_min is not None or price_max is not None
        if price_filter:
            low = price_min if price_min is not None else 0
            high = price_max if price_max is not None else keys.MAX_PRICE
            first, last = keys.price_bounds(index_attr, low, high) if index_attr else (None, None)
            if start is None:
                # The first page needs the summary, which sorts before every price: bound the
                # far end by the key, and let the near end be a filter the summary passes.
                if index_attr:
                    key &= Key(index_attr).lte(last)
                kwargs["FilterExpression"] = Attr("total").exists() | Attr("price").between(
                    low, high
                )
            elif index_attr:
                key &= Key(index_attr).between(first, last)
            else:
                kwargs["FilterExpression"] = Attr("price").between(low, high)
        kwargs["KeyConditionExpression"] = key
        if start:
            kwargs["ExclusiveStartKey"] = start
        limit = page_size + (1 if start is None else 0)
        kwargs["Limit"] = limit * FILTER_READ_FACTOR if "FilterExpression" in kwargs else limit
        response = self._call("query", **kwargs)
        items = response.get("Items", [])
        facets = None
        if items and items[0].get("SK") == keys.META_SORT:
            meta, items = items[0], items[1:]
            facets = _facets(meta)
            total = facets.count_in_range(price_min, price_max)
        entries = items[:page_size]
        if len(items) > page_size:
            next_key = _resume_after(entries[-1], attrs)
        else:
            next_key = response.get("LastEvaluatedKey")
        shown = offset + len(entries)
        if total is not None and shown >= total:
            next_key = None
        return ListingPage(
            [_entry(i) for i in entries],
            total if total is not None else shown,
            encode_cursor(next_key, total, shown) if next_key else None,
            facets,
            offset,
        )

    def search(
        self,
        market: str,
        terms: list[str],
        *,
        cursor: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> ListingPage:
        """Products whose words start with every term; the longest term picks the bucket."""
        lead = max(terms, key=len)
        partition = keys.search_partition(market, lead)
        start, _, offset = (
            decode_cursor(cursor, partition, prefix=lead) if cursor else (None, None, 0)
        )
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("PK").eq(partition) & Key("SK").begins_with(lead),
            "Limit": page_size * FILTER_READ_FACTOR,
        }
        others = [t for t in terms if t != lead]
        if others:
            condition = None
            for term in others:
                clause = Attr("text").contains(f" {term}")
                condition = clause if condition is None else condition & clause
            kwargs["FilterExpression"] = condition
        if start:
            kwargs["ExclusiveStartKey"] = start
        response = self._call("query", **kwargs)
        items = response.get("Items", [])
        seen: set[str] = set()
        entries, consumed = [], 0
        for item in items:
            if len(entries) == page_size:
                break
            consumed += 1
            if item["product"] not in seen:
                seen.add(item["product"])
                entries.append(_entry(item))
        if consumed < len(items):
            next_key = _resume_after(items[consumed - 1], TABLE_KEY)
        else:
            next_key = response.get("LastEvaluatedKey")
        shown = offset + len(entries)
        return ListingPage(
            entries, shown, encode_cursor(next_key, None, shown) if next_key else None, None, offset
        )


def _entry(item: dict) -> ListingEntry:
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
    )


def _facets(meta: dict) -> Facets:
    brands = {slug: (b["name"], _int(b["count"])) for slug, b in meta.get("brands", {}).items()}
    return Facets(
        brands={slug: count for slug, (_, count) in sorted(brands.items())},
        grades={g: _int(n) for g, n in meta.get("grades", {}).items()},
        prices=tuple(_int(p) for p in meta.get("prices", [])),
        brand_names={slug: name for slug, (name, _) in brands.items()},
    )


def _product(item: dict) -> Product:
    currency = item["currency"]
    refurbishers = {
        rid: Refurbisher(rid, r["name"], r["country"], float(r["rating"]), r["reviews"])
        for rid, r in json.loads(item["refurbishers"]).items()
    }
    offers = tuple(
        Offer(
            refurbisher=refurbishers[o["r"]],
            storage_gb=o.get("s"),
            color=o["c"],
            grade=o["g"],
            price=Money(o["p"], currency),
            stock=o["k"],
            warranty_months=o["w"],
            battery_health=o.get("bh"),
        )
        for o in json.loads(item["offers"])
        if o["k"] > 0  # sold out: never shown, so never built
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
    )
