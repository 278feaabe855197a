"""Reads the storefront table: one DynamoDB request per page, results as dataclasses."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.catalog import codec, keys
from chalicelib.catalog.cursor import TABLE_KEY, decode_cursor, encode_cursor, resume_after
from chalicelib.catalog.model import Home, ListingPage, Product
from chalicelib.kernel import aws

PAGE_SIZE = 12
# With a filter DynamoDB applies after reading, read this many times a page so that
# pages stay full; what was read past the page is not lost: the cursor points after it.
FILTER_READ_FACTOR = 8


PARSED_CACHE_SIZE = 512
# Threads of one process (chalice local, a threaded server) share it: every use holds the lock.
_PARSED: OrderedDict[tuple[str, str], Product] = OrderedDict()
_PARSED_LOCK = threading.Lock()


class CatalogUnavailable(Exception):
    """DynamoDB could not answer: the page says so and asks to retry."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code or "CatalogUnavailable"


class CatalogRepository:
    """The storefront's reads, over a boto3 DynamoDB Table."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def _call(self, method: str, **kwargs: Any) -> dict:
        try:
            return getattr(self.table, method)(**kwargs)
        except (BotoCoreError, ClientError) as error:
            raise CatalogUnavailable(str(error), aws.failure_code(error)) from error

    def home(self, market: str, currency: str) -> Home | None:
        """Category tiles and deals of a market, or None if nothing is loaded for it."""
        item = self._call("get_item", Key=keys.home(market)).get("Item")
        return None if item is None else codec.decode_home(item, currency)

    def sitemap(self, market: str) -> dict[str, list[str]]:
        """Every product page of a market, with the markets that have the same page."""
        item = self._call("get_item", Key=keys.sitemap(market)).get("Item", {})
        return codec.decode_sitemap(item)

    def product(self, market: str, product_id: str) -> Product | None:
        """A product with all its offers in a market, or None."""
        item = self._call("get_item", Key=keys.product(market, product_id)).get("Item")
        if not item:
            return None
        # A warm function parses a popular product once per version of its item: the
        # loader fingerprints each item's content, so a reload can never serve a stale parse.
        key = (item["PK"], item.get("digest"))
        if key[1] is None:
            return codec.decode_product(item)
        with _PARSED_LOCK:
            parsed = _PARSED.get(key)
            if parsed is not None:
                _PARSED.move_to_end(key)
                return parsed
        parsed = codec.decode_product(item)  # outside the lock: threads parse side by side
        with _PARSED_LOCK:
            _PARSED[key] = parsed
            if len(_PARSED) > PARSED_CACHE_SIZE:
                _PARSED.popitem(last=False)
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
        if items and codec.is_meta(items[0]):
            meta, items = items[0], items[1:]
            facets = codec.decode_facets(meta)
            total = facets.count_in_range(price_min, price_max)
        entries = items[:page_size]
        if len(items) > page_size:
            next_key = resume_after(entries[-1], attrs)
        else:
            next_key = response.get("LastEvaluatedKey")
        shown = offset + len(entries)
        if total is not None and shown >= total:
            next_key = None
        return ListingPage(
            [codec.decode_entry(i) for i in entries],
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
                entries.append(codec.decode_entry(item))
        if consumed < len(items):
            next_key = resume_after(items[consumed - 1], TABLE_KEY)
        else:
            next_key = response.get("LastEvaluatedKey")
        shown = offset + len(entries)
        return ListingPage(
            entries, shown, encode_cursor(next_key, None, shown) if next_key else None, None, offset
        )
