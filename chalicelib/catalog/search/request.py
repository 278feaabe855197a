"""A planned search as the arguments of its one DynamoDB Query, and its results' order."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import keys
from chalicelib.catalog.search.query import SearchQuery


def search_partition(market: str, query: SearchQuery) -> str:
    """The bucket a keyed search reads."""
    return keys.search_partition(market, query.lead or "")


# Items read per page: with a filter, DynamoDB drops what fails it after reading, so read
# several pages' worth; without one, a little more than a page, for a product found twice.
FILTERED_READS = 8
UNFILTERED_READS = 2


def query_arguments(market: str, query: SearchQuery, page_size: int) -> dict[str, Any]:
    """KeyCondition on the lead's key; a filter for an exact short lead and each group."""
    names = {"#pk": "PK", "#sk": "SK"}
    values: dict[str, Any] = {":pk": search_partition(market, query), ":lead": query.lead}
    filters = []
    if not query.keyed:  # a short word must start an indexed word as typed
        names["#w"] = "w"
        values[":word"] = f" {query.word}"
        filters.append("contains(#w, :word)")
    for i, match in enumerate(query.groups):
        alternatives = []
        for j, form in enumerate(match.words):
            values[f":m{i}w{j}"] = f" {form}"
            alternatives.append(f"contains(#t, :m{i}w{j})")
            names["#t"] = "text"
        if match.categories:
            names["#c"] = "category"
            codes = []
            for j, code in enumerate(match.categories):
                values[f":m{i}c{j}"] = code
                codes.append(f":m{i}c{j}")
            alternatives.append(f"#c IN ({', '.join(codes)})")
        filters.append(f"({' OR '.join(alternatives)})")
    arguments = {
        "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :lead)",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "Limit": page_size * (FILTERED_READS if filters else UNFILTERED_READS),
    }
    if filters:
        arguments["FilterExpression"] = " AND ".join(filters)
    return arguments


def exact_first(items: list[dict], query: SearchQuery) -> list[dict]:
    """Products with a word that starts as typed, before those found through a typo."""

    def typo(item: dict) -> bool:
        return not any(w.startswith(query.word or "") for w in item.get("w", "").split())

    return sorted(items, key=typo)
