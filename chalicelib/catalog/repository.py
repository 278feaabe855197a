"""Reads the storefront table: one DynamoDB request per page, results as dataclasses."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from chalicelib.catalog import buyback_codec, codec, keys, limits
from chalicelib.catalog.buyback import BuybackDevice, BuybackIndex
from chalicelib.catalog.calls import CatalogUnavailable, call
from chalicelib.catalog.cursor import TABLE_KEY, decode_cursor, encode_cursor, resume_after
from chalicelib.catalog.model import Home, ListingPage, Product
from chalicelib.catalog.search.query import SearchQuery, plan_for
from chalicelib.catalog.search.request import exact_first, query_arguments, search_partition
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.settings import Settings

PAGE_SIZE = 12
# With a filter DynamoDB applies after reading, read this many times a page so that
# pages stay full; what was read past the page is not lost: the cursor points after it.
FILTER_READ_FACTOR = 8
BATCH_GET = 100  # keys per BatchGetItem, DynamoDB's limit
# Keys a BatchGetItem hands back unprocessed (throttling) are asked again this many times,
# after 25 then 50 ms; still unprocessed, the page is the 503 rather than a product missing.
BATCH_RETRIES = 2


PARSED_CACHE_SIZE = 512
# Threads of one process (chalice local, a threaded server) share it: every use holds the lock.
_PARSED: OrderedDict[tuple[str, str], Product] = OrderedDict()
_PARSED_LOCK = threading.Lock()


class CatalogRepository:
    """The storefront's reads, over a boto3 DynamoDB Table."""

    def __init__(self, table: Any, cursor_key: Callable[[], bytes] | None = None) -> None:
        self.table = table
        # The key that signs this stage's cursors (Settings.cursor_key); read at call time.
        self.cursor_key = cursor_key or (lambda: Settings.from_env().cursor_key)

    def _call(self, method: str, **kwargs: Any) -> dict:
        # BatchGetItem spans tables, so only the client has it (with the resource's types).
        owner = self.table.meta.client if method == "batch_get_item" else self.table
        return call(owner, method, **kwargs)

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
        return self._parsed(item) if item else None

    def buyback_index(self, market: str, currency: str) -> BuybackIndex | None:
        """Every device a market's trade-in picker lists, or None where nothing is loaded."""
        del currency  # the index holds no prices; the signature matches buyback_device
        item = self._call("get_item", Key=keys.buyback_index(market)).get("Item")
        return None if item is None else buyback_codec.decode_index(item, market)

    def buyback_device(self, market: str, device_id: str, currency: str) -> BuybackDevice | None:
        """A device of a market's trade-in with every grid that prices it, or None."""
        if not limits.SLUG.match(device_id) or len(device_id) > limits.MAX_SLUG:
            return None  # no device has this id, and DynamoDB would refuse a long key
        item = self._call("get_item", Key=keys.buyback_device(market, device_id)).get("Item")
        return None if item is None else buyback_codec.decode_buyback_device(item, market, currency)

    def products(self, market: str, product_ids: Iterable[str]) -> dict[str, Product]:
        """Products of one market by id, one BatchGetItem per 100 ids; absent ids are left out."""
        wanted = list(dict.fromkeys(product_ids))  # DynamoDB refuses a batch with a key twice
        found: dict[str, Product] = {}
        for start in range(0, len(wanted), BATCH_GET):
            batch = [keys.product(market, pid) for pid in wanted[start : start + BATCH_GET]]
            for item in self._batch_get(batch):
                product = self._parsed(item)
                found[product.id] = product
        return {pid: found[pid] for pid in wanted if pid in found}

    def _batch_get(self, wanted: list[dict]) -> list[dict]:
        """The items of up to 100 keys: one request, and a retry for each unprocessed rest."""
        request = {self.table.name: {"Keys": wanted}}
        items: list[dict] = []
        for attempt in range(BATCH_RETRIES + 1):
            if attempt:
                time.sleep(0.025 * 2 ** (attempt - 1))
            response = self._call("batch_get_item", RequestItems=request)
            items += response.get("Responses", {}).get(self.table.name, [])
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return items
        raise CatalogUnavailable(
            "BatchGetItem left keys unprocessed", "ProvisionedThroughputExceededException"
        )

    def _parsed(self, item: dict) -> Product:
        """The product of an item, parsed once per version of the item in a warm function."""
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
            decode_cursor(cursor, partition, attrs, signing_key=self.cursor_key())
            if cursor
            else (None, None, 0)
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
            self._cursor(next_key, total, shown),
            facets,
            offset,
        )

    def search(
        self,
        market: str,
        query: SearchQuery | str | list[str],
        *,
        cursor: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> ListingPage:
        """Products found by a search (docs/data-model.md), in at most one request.

        A search of category words only is the category's listing; one that can match
        nothing is an empty page, with no request.
        """
        query = plan_for(MARKETS[market], query)
        if query.category:
            return self.listing(market, query.category, cursor=cursor, page_size=page_size)
        if not query.lead:
            return ListingPage([], 0, None)
        partition = search_partition(market, query)
        start, _, offset = (
            decode_cursor(cursor, partition, prefix=query.lead, signing_key=self.cursor_key())
            if cursor
            else (None, None, 0)
        )
        kwargs = query_arguments(market, query, page_size)
        if start:
            kwargs["ExclusiveStartKey"] = start
        response = self._call("query", **kwargs)
        items = response.get("Items", [])
        seen: set[str] = set()
        found, consumed = [], 0
        for item in items:
            if len(found) == page_size:
                break
            consumed += 1
            if item["product"] not in seen:
                seen.add(item["product"])
                found.append(item)
        if consumed < len(items):
            next_key = resume_after(items[consumed - 1], TABLE_KEY)
        else:
            next_key = response.get("LastEvaluatedKey")
        entries = [codec.decode_entry(i) for i in exact_first(found, query)]
        shown = offset + len(entries)
        return ListingPage(
            entries, shown, self._cursor(next_key, None, shown), None, offset, not next_key
        )

    def _cursor(self, key: dict | None, total: int | None, shown: int) -> str | None:
        """The next page's cursor, signed; None on the last page."""
        if not key:
            return None
        return encode_cursor(key, total, shown, signing_key=self.cursor_key())
