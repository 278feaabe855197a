"""Pagination cursors: opaque, URL-safe, and only valid for the query that made them."""

from __future__ import annotations

import base64
import binascii
import json


class BadCursor(ValueError):
    """A pagination cursor that this listing did not hand out."""


TABLE_KEY = frozenset({"PK", "SK"})
# Far above any catalog's count, far below what breaks a page's arithmetic or formatting.
MAX_COUNT = 10**9


def _is_count(value: object) -> bool:
    # bool is an int in Python: "n": true must not pass for a count of 1.
    return type(value) is int and 0 <= value <= MAX_COUNT


def _is_key_text(value: object) -> bool:
    # JSON can spell a lone surrogate ("\ud800"), which DynamoDB would refuse as a 503.
    if not isinstance(value, str) or len(value) >= 200:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def resume_after(item: dict, attrs: frozenset[str]) -> dict[str, str]:
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
    # RecursionError: JSON nested deeper than the parser goes ("[[[[…").
    except (binascii.Error, ValueError, KeyError, TypeError, RecursionError) as error:
        raise BadCursor(cursor) from error
    valid = (
        isinstance(key, dict)
        and key.get("PK") == partition
        and set(key) == attrs
        and all(_is_key_text(v) for v in key.values())
        and key["SK"].startswith(prefix)
        and (total is None or _is_count(total))
        and _is_count(offset)
    )
    if not valid:
        raise BadCursor(cursor)
    return key, total, offset
