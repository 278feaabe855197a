"""The search words of a market, from words.json: category words, aliases, stop words."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.catalog.model import CATEGORY_BY_CODE
from chalicelib.catalog.search.typos import near_prefix, typo_prone
from chalicelib.catalog.text import search_tokens
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import Market

_DATA = Path(__file__).with_name("words.json")
# A shorter start of a category word is not taken for it: "pla" may be a PlayStation as
# much as a Swedish "platta", "note" a Galaxy Note.
MIN_PREFIX = 5


@dataclass(frozen=True)
class Vocabulary:
    """What search knows of one market's language, folded as search folds."""

    categories: dict[str, tuple[str, ...]]  # category code -> its everyday words
    aliases: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # phrase -> extra words
    joins: dict[tuple[str, str], str]  # two words shoppers split -> the one products write
    stop: frozenset[str]
    protected: frozenset[str]

    def categories_of(self, word: str, typos: bool = True) -> tuple[str, ...]:
        """The categories a query word names: a word of theirs, a start of one of five letters
        or more, or (five letters or more) one typo off."""
        named = []
        for code, words in self.categories.items():
            if any(w == word or (len(word) >= MIN_PREFIX and w.startswith(word)) for w in words):
                named.append(code)
        if named or not typos or not typo_prone(word) or word in self.protected:
            return tuple(named)
        return tuple(c for c, words in self.categories.items() if _one_typo(word, words))


def _one_typo(word: str, words: tuple[str, ...]) -> bool:
    return any(near_prefix(word, w) for w in words)


@functools.cache
def _data() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


def _words(phrases: list[str]) -> list[str]:
    return [word for phrase in phrases for word in search_tokens(phrase)]


@functools.cache
def vocabulary(market: Market) -> Vocabulary:
    """The search words of a market: its language's, then its own additions."""
    data = _data()
    scopes = (market.language, market.code)
    stop = frozenset(_words([data["stop"].get("en", ""), data["stop"].get(market.language, "")]))
    shipped = translations_for(market.translation_chain)
    categories = {}
    for code, by_scope in data["categories"].items():
        phrases = [p for scope in scopes for p in by_scope.get(scope, [])]
        # The category's name on the market's pages is one of its words, whatever the data.
        words = _words([*phrases, shipped.gettext(CATEGORY_BY_CODE[code].label)])
        categories[code] = tuple(dict.fromkeys(w for w in words if w not in stop and w[1:]))
    aliases = tuple(
        (tuple(search_tokens(phrase)), tuple(search_tokens(extra)))
        for scope in ("*", *scopes)
        for phrase, extra in data["aliases"].get(scope, [])
    )
    joins = {}
    for phrase in data["joins"]:
        first, second = search_tokens(phrase)
        joins[(first, second)] = first + second
    return Vocabulary(categories, aliases, joins, stop, frozenset(_words(data["protected"])))
