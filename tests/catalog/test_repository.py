"""Reading the table: cursor pagination, sort orders and price filters, one query each."""

import random
import threading
import time
from collections import OrderedDict

import pytest

from chalicelib.catalog import keys, repository
from chalicelib.catalog.cursor import BadCursor, decode_cursor, encode_cursor
from chalicelib.catalog.repository import CatalogRepository
from tests.conftest import loaded_table


def in_stock_min(product, code, grade=None):
    prices = [
        o["price"]
        for o in product["markets"][code]["offers"]
        if o["stock"] > 0 and (grade is None or o["grade"] == grade)
    ]
    return min(prices) if prices else None


def category_prices(catalog, code, category):
    products = [p for p in catalog["products"] if p["category"] == category]
    return {p["id"]: in_stock_min(p, code) for p in products if in_stock_min(p, code)}


@pytest.mark.parametrize("sort", ["popular", "price-asc", "price-desc"])
def test_pages_walk_the_whole_listing_once(shop_table, shop_catalog, sort):
    repo = CatalogRepository(shop_table)
    expected = category_prices(shop_catalog, "en-gb", "laptops")
    seen, cursor, pages = [], None, 0
    while True:
        page = repo.listing("en-gb", "laptops", sort=sort, cursor=cursor, page_size=2)
        assert page.total == len(expected)
        assert page.offset == len(seen)
        seen += [(e.product_id, e.price.amount) for e in page.entries]
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            break
    assert pages == 2
    assert len(seen) == len({pid for pid, _ in seen})
    assert dict(seen) == expected
    amounts = [amount for _, amount in seen]
    if sort == "price-asc":
        assert amounts == sorted(amounts)
    if sort == "price-desc":
        assert amounts == sorted(amounts, reverse=True)


def test_price_range_counts_and_filters(shop_table, shop_catalog):
    repo = CatalogRepository(shop_table)
    prices = sorted(category_prices(shop_catalog, "ja-jp", "consoles").values())
    low, high = prices[0] + 1, prices[-1]
    page = repo.listing("ja-jp", "consoles", price_min=low, price_max=high, sort="price-asc")
    assert [e.price.amount for e in page.entries] == [p for p in prices if low <= p <= high]
    assert page.total == len(page.entries)
    assert page.next_cursor is None


def test_facets_count_brands_and_grades(shop_table, shop_catalog):
    page = CatalogRepository(shop_table).listing("de-de", "smartphones")
    products = [p for p in shop_catalog["products"] if p["category"] == "smartphones"]
    assert sum(page.facets.brands.values()) == page.total == len(products)
    good = [p for p in products if in_stock_min(p, "de-de", "good")]
    assert page.facets.grades.get("good", 0) == len(good)


def test_a_cursor_only_works_on_its_own_listing(shop_table):
    repo = CatalogRepository(shop_table)
    page = repo.listing("fr-fr", "tablets", page_size=1)
    with pytest.raises(BadCursor):
        repo.listing("fr-fr", "laptops", cursor=page.next_cursor)
    with pytest.raises(BadCursor):
        repo.listing("fr-fr", "tablets", cursor="not-a-cursor")


KEY = b"k" * 32


def test_cursor_round_trip():
    key = {"PK": "L#fr-fr#laptops#all", "SK": "000001#x"}
    cursor = encode_cursor(key, 7, 24, signing_key=KEY)
    assert decode_cursor(cursor, key["PK"], signing_key=KEY) == (key, 7, 24)
    big = 10**9
    cursor = encode_cursor(key, big, big, signing_key=KEY)
    assert decode_cursor(cursor, key["PK"], signing_key=KEY) == (key, big, big)
    with pytest.raises(BadCursor):  # signed with another stage's key
        decode_cursor(cursor, key["PK"], signing_key=b"x" * 32)


@pytest.mark.parametrize(
    "total, offset",
    [(True, 0), (7, True), (False, 0), (10**28, 0), (None, 10**9 + 1), (-1, 0), (7, 2.0)],
)
def test_a_cursor_with_counts_no_listing_hands_out_is_refused(total, offset):
    key = {"PK": "L#fr-fr#laptops#all", "SK": "000001#x"}
    with pytest.raises(BadCursor):
        decode_cursor(
            encode_cursor(key, total, offset, signing_key=KEY), key["PK"], signing_key=KEY
        )


def test_search_pages_with_a_cursor(shop_table, shop_catalog):
    repo = CatalogRepository(shop_table)
    apple = {p["id"] for p in shop_catalog["products"] if p["brand"] == "Apple"}
    found, cursor = set(), None
    for _ in range(len(apple) + 2):
        page = repo.search("fr-fr", ["apple"], cursor=cursor, page_size=2)
        found |= {e.product_id for e in page.entries}
        cursor = page.next_cursor
        if not cursor:
            break
    assert found == apple


def test_search_needs_every_term(shop_table, shop_catalog):
    first = shop_catalog["products"][0]
    words = first["model"].lower().split()
    page = CatalogRepository(shop_table).search("en-us", [first["brand"].lower(), *words])
    assert first["id"] in {e.product_id for e in page.entries}
    assert all(words[0] in e.title.lower() for e in page.entries)


@pytest.fixture(scope="module")
def phones_table(moto_dynamodb, demo_catalog):
    """Every demo smartphone: enough to page through with filters."""
    import copy

    phones = copy.deepcopy(demo_catalog)
    phones["products"] = [p for p in phones["products"] if p["category"] == "smartphones"]
    return loaded_table(moto_dynamodb, "storefront-phones", phones), phones


def walk(repo, code, **kwargs):
    seen, cursor = [], None
    for _page in range(50):
        page = repo.listing(code, "smartphones", cursor=cursor, page_size=2, **kwargs)
        assert page.entries or not page.next_cursor, "an empty page that says there is more"
        seen += [(e.product_id, e.price.amount) for e in page.entries]
        cursor = page.next_cursor
        if not cursor:
            return seen, page.total
    raise AssertionError("the cursor never ended")


@pytest.mark.parametrize("sort", ["popular", "price-asc", "price-desc"])
@pytest.mark.parametrize("code", ["fr-fr", "ja-jp", "sv-se"])
@pytest.mark.parametrize("bounds", ["min", "max", "both"])
def test_price_ranges_page_through_exactly_the_matches(phones_table, sort, code, bounds):
    table, phones = phones_table
    prices = sorted(category_prices(phones, code, "smartphones").items(), key=lambda kv: kv[1])
    low = prices[len(prices) // 2][1] if bounds in ("min", "both") else None
    high = prices[-3][1] if bounds in ("max", "both") else None
    wanted = {
        pid: p for pid, p in prices if (low is None or p >= low) and (high is None or p <= high)
    }
    seen, total = walk(CatalogRepository(table), code, sort=sort, price_min=low, price_max=high)
    assert total == len(wanted)
    assert len(seen) == len({pid for pid, _ in seen})
    assert dict(seen) == wanted
    amounts = [amount for _, amount in seen]
    if sort != "popular":
        assert amounts == sorted(amounts, reverse=sort == "price-desc")


def test_a_zero_maximum_matches_nothing(phones_table):
    page = CatalogRepository(phones_table[0]).listing("en-us", "smartphones", price_max=0)
    assert page.total == 0 and page.entries == [] and page.next_cursor is None


def test_a_cursor_of_another_sort_is_refused(phones_table):
    repo = CatalogRepository(phones_table[0])
    page = repo.listing("fr-fr", "smartphones", page_size=2)
    with pytest.raises(BadCursor):
        repo.listing("fr-fr", "smartphones", sort="price-asc", cursor=page.next_cursor)


def test_a_search_cursor_only_works_for_its_term(phones_table):
    repo = CatalogRepository(phones_table[0])
    page = repo.search("fr-fr", ["samsung"], page_size=1)
    assert page.next_cursor
    for other in ("sal", "apple"):  # same bucket, outside the range; another bucket
        with pytest.raises(BadCursor):
            repo.search("fr-fr", [other], cursor=page.next_cursor)


def test_search_never_repeats_a_product_across_pages(phones_table):
    repo = CatalogRepository(phones_table[0])
    seen, cursor = [], None
    for _page in range(40):
        page = repo.search("en-gb", ["ap"], cursor=cursor, page_size=2)
        seen += [e.product_id for e in page.entries]
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen and len(seen) == len(set(seen))


def test_a_reloaded_product_is_never_served_from_an_old_parse(make_table):
    from chalicelib.catalog.importer.load import load
    from tests.catalog.test_importer import catalog, record

    table = make_table()
    load(table, catalog(record("apple-iphone-13", price=34900)))
    repo = CatalogRepository(table)
    first = repo.product("fr-fr", "apple-iphone-13")
    assert repo.product("fr-fr", "apple-iphone-13") is first  # parsed once while unchanged
    load(table, catalog(record("apple-iphone-13", price=29900)))
    again = repo.product("fr-fr", "apple-iphone-13")
    assert min(o.price.amount for o in again.offers) == 29900


class CannedTable:
    """Answers get_item from items read once: threads race on the cache, not on moto."""

    def __init__(self, items: dict[str, dict]) -> None:
        self.items = items

    def get_item(self, Key):  # noqa: N803 (boto3's name)
        return {"Item": self.items[Key["PK"]]}


class YieldingCache(OrderedDict):
    """The parse cache, handing the interpreter to another thread after each lookup."""

    def get(self, key, default=None):
        found = super().get(key, default)
        time.sleep(0)  # what a busy server does at random: another request runs in between
        return found


def test_the_parse_cache_holds_under_threads(shop_table, shop_catalog, monkeypatch):
    ids = [p["id"] for p in shop_catalog["products"][:4]]
    items = {}
    for product_id in ids:
        key = keys.product("fr-fr", product_id)
        items[key["PK"]] = shop_table.get_item(Key=key)["Item"]
    repo = CatalogRepository(CannedTable(items))
    # Four products through three places: most reads hit, and some evict what others hit.
    monkeypatch.setattr(repository, "PARSED_CACHE_SIZE", 3)
    monkeypatch.setattr(repository, "_PARSED", YieldingCache())
    failures, wrong = [], []

    def read(seed: int) -> None:
        pick = random.Random(seed).choice
        for _ in range(2000):
            product_id = pick(ids)
            try:
                if repo.product("fr-fr", product_id).id != product_id:
                    wrong.append(product_id)
            except Exception as error:  # a KeyError from a popped entry, before the lock
                failures.append(error)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and wrong == []
    assert len(repository._PARSED) <= 3
