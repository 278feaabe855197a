"""Pagination cursors: opaque, URL-safe, signed, and only valid for the query that made them.

A cursor carries the key to resume after and the counts the page shows ("13–24 of 134");
recounting on every page would cost a second DynamoDB request, so the counts are signed
with an HMAC instead (docs/decisions.md): an edited cursor is refused, never believed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
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


def _signature(signing_key: bytes, key: object, total: object, offset: object) -> str:
    message = json.dumps([key, total, offset], sort_keys=True, separators=(",", ":"))
    digest = hmac.new(signing_key, message.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode_cursor(
    key: dict[str, str], total: int | None, offset: int, *, signing_key: bytes
) -> str:
    """An opaque, URL-safe cursor: where to resume, the total, how many came before, a MAC."""
    mac = _signature(signing_key, key, total, offset)
    data = {"k": key, "n": total, "o": offset, "s": mac}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(
    cursor: str,
    partition: str,
    attrs: frozenset[str] = TABLE_KEY,
    prefix: str = "",
    *,
    signing_key: bytes,
) -> tuple[dict[str, str], int | None, int]:
    """What a cursor carries; BadCursor unless this very query (partition, index) made it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        key, total, offset, mac = data["k"], data["n"], data["o"], data["s"]
        signed = isinstance(mac, str) and hmac.compare_digest(
            mac.encode(), _signature(signing_key, key, total, offset).encode()
        )
    # RecursionError: JSON nested deeper than the parser goes ("[[[[…").
    except (binascii.Error, ValueError, KeyError, TypeError, RecursionError) as error:
        raise BadCursor(cursor) from error
    valid = (
        signed
        and isinstance(key, dict)
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
