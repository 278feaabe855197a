"""A shopper's search, planned as one DynamoDB Query.

Category words ("téléphone", "cell phone", "ノートパソコン", one typo allowed) name a
category: a search of nothing else reads that category's listing. Otherwise the longest
other word leads: its key (typos.py) is looked up with ``begins_with`` in the search
entries, and every further word is a filter group, of which ``text`` must hold one form at
a word start (or, for a category word, the entry must be of that category).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chalicelib.catalog.limits import MAX_WORD
from chalicelib.catalog.search.stems import stem
from chalicelib.catalog.search.typos import (
    MIN_KEYED_QUERY,
    deletions,
    search_key,
    typo_prone,
)
from chalicelib.catalog.search.vocabulary import vocabulary
from chalicelib.catalog.search.words import storage_and_models
from chalicelib.catalog.text import search_tokens
from chalicelib.kernel.markets import Market

MAX_QUERY_CHARS = 100  # what is searched and shown of a longer query
MAX_SEARCH_TERMS = 6
MIN_LEAD = 2
_SIZE_OR_NUMBER = re.compile(r"^\d+(gb|tb)?$")


@dataclass(frozen=True)
class Match:
    """A further word of a search: ``text`` holds one of ``words``, or the category is one."""

    words: tuple[str, ...]
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    """A search as shown and as planned; with neither a lead nor a category, no match."""

    text: str
    lead: str | None = None  # the key searched with begins_with
    word: str | None = None  # the lead word as typed (stemmed): exact hits come first
    groups: tuple[Match, ...] = ()
    category: str | None = None  # a search of category words only: that listing
    too_short: bool = False

    @property
    def keyed(self) -> bool:
        """Whether the lead word is long enough to be found by its key (typos forgiven)."""
        return self.word is not None and len(self.word) >= MIN_KEYED_QUERY


def shown_query(raw: str) -> str:
    """The query as a page may show it: no control characters, at most 100 characters."""
    clean = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in raw)
    return " ".join(clean.split())[:MAX_QUERY_CHARS]


def _joined(words: list[str], joins: dict[tuple[str, str], str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if out and (out[-1], word) in joins:
            out[-1] = joins[(out[-1], word)]
        else:
            out.append(word)
    return out


def typed_words(text: str, market: Market) -> list[str]:
    """A query's words as search reads them: folded, joined, sizes made one, stop words off."""
    words_of = vocabulary(market)
    words = storage_and_models(_joined(search_tokens(text), words_of.joins))
    words = [w for w in words if w not in words_of.stop] or words
    return list(dict.fromkeys(words))[:MAX_SEARCH_TERMS]


def _match(base: str, categories: tuple[str, ...]) -> Match:
    if categories:
        return Match((base,), categories)
    forms = [base]
    if typo_prone(base):
        forms += deletions(base)
    if len(base) >= MIN_KEYED_QUERY:
        forms.append(search_key(base))
    return Match(tuple(dict.fromkeys(forms)))


def plan_query(raw: str, market: Market) -> SearchQuery:
    """Plan a search: never an error, whatever was typed."""
    text = shown_query(raw)
    typed = typed_words(text, market)
    if not typed or any(len(w) > MAX_WORD for w in typed):
        return SearchQuery(text)  # no word, or one longer than any indexed word
    if max(len(w) for w in typed) < MIN_LEAD:
        return SearchQuery(text, too_short=True)
    words_of = vocabulary(market)
    terms = [(stem(w, market.language), w) for w in typed]
    named = {
        base: words_of.categories_of(base) or words_of.categories_of(w, typos=False)
        for base, w in terms
    }
    others = [t for t in terms if not named[t[0]] and len(t[0]) >= MIN_LEAD]
    if not others:  # category words, and maybe single letters a listing cannot check
        naming = [named[base] for base, _ in terms if named[base]]
        shared = [c for c in naming[0] if all(c in n for n in naming)] if naming else []
        return SearchQuery(text, category=shared[0] if shared else None)
    # The longest word that is not a number or a size leads: the likeliest to be rare.
    lead = max(others, key=lambda t: (not _SIZE_OR_NUMBER.match(t[1]), len(t[0])))
    groups = tuple(_match(base, named[base]) for base, word in terms if (base, word) != lead)
    return SearchQuery(text, search_key(lead[0]), lead[0], groups)


def plan_for(market: Market, query: SearchQuery | str | list[str]) -> SearchQuery:
    """A planned query from a plan, a typed string, or a list of typed words."""
    if isinstance(query, SearchQuery):
        return query
    return plan_query(query if isinstance(query, str) else " ".join(query), market)
