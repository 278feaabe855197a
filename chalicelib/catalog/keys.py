"""Key layout of the single storefront table (see docs/data-model.md)."""

from __future__ import annotations

PRICE_INDEX = "by-price"
PRICE_DESC_INDEX = "by-price-desc"
META_SORT = "#"  # sorts before every entry, on the table and on both price indexes
_PRICE_WIDTH = 12
_PRICE_CEILING = 10**_PRICE_WIDTH - 1
MAX_PRICE = 10**10  # minor units; the loader refuses more
TTL_ATTRIBUTE = "expires_at"  # epoch seconds; DynamoDB deletes the item after it (carts)


def home(market: str) -> dict[str, str]:
    """The key of a market's home item."""
    return {"PK": f"H#{market}", "SK": "HOME"}


def sitemap(market: str) -> dict[str, str]:
    """The key of the list of a market's product pages, for its sitemap."""
    return {"PK": f"H#{market}", "SK": "SITEMAP"}


def product(market: str, product_id: str) -> dict[str, str]:
    """The key of a product as sold in one market."""
    return {"PK": f"P#{market}#{product_id}", "SK": "P"}


def listing_partition(
    market: str, category: str, brand: str | None = None, grade: str | None = None
) -> str:
    """The partition holding one facet of a category listing, e.g. ``L#fr-fr#laptops#b=dell``."""
    facet = "&".join(part for part in (brand and f"b={brand}", grade and f"g={grade}") if part)
    return f"L#{market}#{category}#{facet or 'all'}"


def listing_entry(partition: str, rank: int, product_id: str, price: int) -> dict[str, str]:
    """Keys of a listing entry: popularity on the table, price on the two indexes."""
    return {
        "PK": partition,
        "SK": f"{rank:06d}#{product_id}",
        "PA": f"{price:0{_PRICE_WIDTH}d}#{product_id}",
        "PD": f"{_PRICE_CEILING - price:0{_PRICE_WIDTH}d}#{product_id}",
    }


def price_bounds(attr: str, low: int, high: int) -> tuple[str, str]:
    """The first and last index keys of a price range, in the index's own order."""
    if attr == "PA":
        return f"{low:0{_PRICE_WIDTH}d}", f"{high:0{_PRICE_WIDTH}d}#~"
    return f"{_PRICE_CEILING - high:0{_PRICE_WIDTH}d}", f"{_PRICE_CEILING - low:0{_PRICE_WIDTH}d}#~"


def listing_meta(partition: str) -> dict[str, str]:
    """Keys of a listing partition's facet summary, first in every sort order."""
    return {"PK": partition, "SK": META_SORT, "PA": META_SORT, "PD": META_SORT}


def search_entry(market: str, token: str, rank: int, product_id: str) -> dict[str, str]:
    """Keys of one search token of one product: bucketed by its first two characters."""
    return {"PK": search_partition(market, token), "SK": f"{token}#{rank:06d}#{product_id}"}


def search_partition(market: str, token: str) -> str:
    """The search bucket for a token of at least two characters."""
    return f"S#{market}#{token[:2]}"


def manifest(product_id: str) -> dict[str, str]:
    """The key of the list of every key a product's last load wrote."""
    return {"PK": f"X#{product_id}", "SK": "X"}


def buyback_index(market: str) -> dict[str, str]:
    """The key of the list of every device a market's trade-in picker offers."""
    return {"PK": f"B#{market}", "SK": "INDEX"}


def buyback_device(market: str, device_id: str) -> dict[str, str]:
    """The key of a device in one market with every buy-back grid that prices it."""
    return {"PK": f"B#{market}#{device_id}", "SK": "B"}


def buyback_manifest(market: str) -> dict[str, str]:
    """The key of the list of a market's buy-back items, as the last load wrote them."""
    return {"PK": "X#", "SK": f"BUYBACK#{market}"}


LOAD_MANIFEST = {"PK": "X#", "SK": "CATALOG"}


def market_load_manifest(market: str) -> dict[str, str]:
    """The key of the list of a market's shared items (home, listing summaries)."""
    return {"PK": "X#", "SK": f"CATALOG#{market}"}


def table_definition(name: str) -> dict:
    """CreateTable arguments: the same for moto, local runs and the infrastructure."""
    string = "S"
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": string} for attr in ("PK", "SK", "PA", "PD")
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": "PK", "KeyType": "HASH"},
                    {"AttributeName": attr, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, attr in ((PRICE_INDEX, "PA"), (PRICE_DESC_INDEX, "PD"))
        ],
    }
