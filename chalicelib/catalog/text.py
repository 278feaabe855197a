"""Words as search and URLs see them: folded, tokenized, slugged."""

from __future__ import annotations

import unicodedata

# Japanese voicing marks are combining characters, but they make another letter
# (カ/ガ, ハ/パ): search keeps them where it drops accents.
_KANA_MARKS = {"\u3099", "\u309a"}
_HIRAGANA = range(0x3041, 0x3097)
_KATAKANA_SHIFT = 0x60


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


def search_fold(text: str) -> str:
    """Fold for search: compatibility forms (full-width, half-width kana), case, accents.

    Hiragana become katakana, so すまほ finds スマホ; any decimal digit becomes 0-9.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c in _KANA_MARKS)
    out = []
    for char in unicodedata.normalize("NFC", kept):
        if ord(char) in _HIRAGANA:
            char = chr(ord(char) + _KATAKANA_SHIFT)
        elif char.isdecimal() and not char.isascii():
            char = str(unicodedata.decimal(char))
        out.append(char)
    return "".join(out)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana, with ー
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or code >= 0x20000
        or char == "\u3005"  # 々
    )


def search_tokens(text: str) -> list[str]:
    """Words of a text as search sees them: folded, unique, in order.

    A word is a run of letters and digits; it also ends where Japanese script meets
    another (アイフォン13 is アイフォン and 13, as 13インチ is 13 and インチ).
    """
    out: dict[str, None] = {}
    word: list[str] = []
    for char in search_fold(text) + " ":
        if char.isalnum() and (not word or _is_cjk(char) == _is_cjk(word[-1])):
            word.append(char)
            continue
        if word:
            out.setdefault("".join(word), None)
        word = [char] if char.isalnum() else []
    return list(out)
