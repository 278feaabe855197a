"""Words as search and URLs see them: folded, tokenized, slugged."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, for matching what shoppers type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Search tokens of a text: folded runs of letters and digits, in order, unique."""
    out: dict[str, None] = {}
    word = []
    for char in fold(text) + " ":
        if char.isalnum():
            word.append(char)
        elif word:
            out.setdefault("".join(word), None)
            word = []
    return list(out)


def brand_slug(brand: str) -> str:
    """The URL form of a brand name, e.g. ``Google`` -> ``google``."""
    return "-".join(tokens(brand))
