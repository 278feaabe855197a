"""What any catalog value may be: the loader refuses more, the pages accept at least this.

DynamoDB refuses numbers of over 38 digits, items over 400 KB, partition keys over 2,048
bytes and sort keys over 1,024; the pages take ids and brands of at most 64 characters in
their addresses. Everything loaded stays inside both, so anything loaded can be shown and
linked.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

MAX_SLUG = 64  # product ids, brand slugs and refurbisher ids, as they appear in URLs
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # what the loader writes
URL_SLUG = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_SLUG - 1}}}$")  # what an address may hold
# Characters of text, by field. A title's words become search sort keys: at most 100
# characters of at most 4 bytes each, with the rank and id, stay far below 1,024 bytes.
MAX_CHARS = {
    "title": 200,
    "model": 120,
    "brand": 64,
    "description": 10_000,
    "name": 100,
    "country": 2,
    "source": 300,
}
MAX_WORD = 100
MAX_ITEM_BYTES = 400 * 1024
# Whole numbers, by field: DynamoDB keeps 38 digits, the pages format far fewer.
MAX_INT = {
    "year": 2100,
    "popularity": 10**9,
    "reviews": 10**9,
    "stock": 10**6,
    "warranty_months": 120,
    "storage_gb": 10**6,
    "weight_g": 10**6,
    "kg_avoided": 10**5,
}
# Invisible characters that can reorder or hide text (Trojan Source), besides controls.
_HIDDEN = {
    *range(0x200B, 0x2010),  # zero-width spaces and joiners, LRM, RLM
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2060, 0x2065),  # word joiner, invisible operators
    *range(0x2066, 0x206A),  # bidi isolates
    0xFEFF,  # zero-width no-break space (BOM)
    0x061C,  # Arabic letter mark, a bidi mark like LRM
    0x180E,  # Mongolian vowel separator, zero-width
    0x2028,  # line and paragraph separators: line breaks that are not "\n"
    0x2029,
    *range(0xFFF9, 0xFFFC),  # interlinear annotation marks
    *range(0xE0000, 0xE0080),  # tag characters
}
# The soft hyphen (U+00AD) stays allowed: German and Dutch texts use it to hint line breaks.


def text_problem(text: str, field: str, multiline: bool = False) -> str | None:
    """Why a text (already NFC) cannot be stored and shown, or None when it can."""
    limit = MAX_CHARS[field]
    if len(text) > limit:
        return f"has {len(text):,} characters; at most {limit:,}"
    for char in text:
        point = ord(char)
        category = unicodedata.category(char)
        if category == "Cs":
            return f"holds a lone surrogate U+{point:04X}"
        if category == "Cc" and not (multiline and char == "\n"):
            return f"holds the control character U+{point:04X}"
        if point in _HIDDEN:
            return f"holds the invisible character U+{point:04X}"
    return None


def normalized(text: str) -> str:
    """Text as it is stored: Unicode NFC, without surrounding white space."""
    try:
        return unicodedata.normalize("NFC", text).strip()
    except UnicodeError:  # a lone surrogate: text_problem names it
        return text.strip()


def long_word(words: list[str]) -> str | None:
    """The first word longer than a search token may be, or None."""
    return next((w for w in words if len(w) > MAX_WORD), None)


def item_size(value: Any) -> int:
    """An item's size as DynamoDB counts it, rounded up: names, values and nesting."""
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, int | float | Decimal):
        return 21  # the most a number takes
    if isinstance(value, dict):
        return 3 + sum(item_size(k) + item_size(v) + 1 for k, v in value.items())
    if isinstance(value, list | tuple):
        return 3 + sum(item_size(v) + 1 for v in value)
    return len(str(value))
