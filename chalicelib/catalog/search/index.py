"""What a product is found by in one market: its search entries and its ``text``.

An entry (one item) is a word a search may start from, under its key (see typos.py): the
product's own words, its aliases (ps5, アイフォン), model numbers as written together
(wh1000xm5) and the storage sizes in stock (128gb). Category words are not entries: a
search of category words reads the category's listing (see query.py). ``text``, copied on
every entry, holds each word a further search word is checked against, with the deletions
and keys of the brand and model words, so that a typo there is caught too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.catalog.limits import MAX_WORD
from chalicelib.catalog.search.typos import deletions, search_key, typo_prone
from chalicelib.catalog.search.vocabulary import vocabulary
from chalicelib.catalog.search.words import storage_word
from chalicelib.catalog.text import search_fold, search_tokens
from chalicelib.kernel.markets import Market

MIN_TOKEN = 2
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_DIGITS_THEN_MODEL = re.compile(r"^\d+([^\W\d_]+\d\w*)$")
_PARTS = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class SearchIndex:
    """A product's search entries in a market, as (key, the words under it), and text."""

    entries: list[tuple[str, tuple[str, ...]]]
    text: str


def search_terms(words: list[str]) -> list[str]:
    """Words to index: two characters or more, and none that is the start of another.

    A query matches an entry whose word starts with it; dropping "laptop" beside "laptops"
    loses no match and keeps one product from showing twice for "lap".
    """
    kept = [w for w in dict.fromkeys(words) if len(w) >= MIN_TOKEN]
    return [w for w in kept if not any(o != w and o.startswith(w) for o in kept)]


def _aliases(words: list[str], rules) -> list[str]:
    out = []
    for phrase, extra in rules:
        n = len(phrase)
        if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
            out += extra
    return out


def _model_words(brand_and_model: str) -> list[str]:
    """Model numbers as shoppers also write them: wh-1000xm5 as wh1000xm5, 1000xm5 as xm5."""
    out = []
    for hyphenated in _HYPHENATED.findall(search_fold(brand_and_model)):
        joined = hyphenated.replace("-", "")
        if joined[0].isalpha() and any(c.isdigit() for c in joined) and len(joined) <= MAX_WORD:
            out.append(joined)
    for word in search_tokens(brand_and_model):
        found = _DIGITS_THEN_MODEL.match(word)
        if found:
            out.append(found.group(1))
    return out


def _parts(words: list[str]) -> list[str]:
    """Letters and digits of mixed words apart (flip5: flip, 5), for further words."""
    out = []
    for word in words:
        parts = _PARTS.findall(word)
        if len(parts) > 1:
            out += parts
    return out


def search_index(
    market: Market, *, title: str, brand: str, model: str, label: str, storage: list[int]
) -> SearchIndex:
    """A product's entries and text in a market: ``label`` names its category there,
    ``storage`` lists its sizes in stock, in GB."""
    words_of = vocabulary(market)
    own = search_tokens(" ".join((title, brand, model)))
    sizes = [storage_word(size) for size in sorted(set(storage))]
    found_by = [*own, *_aliases(own, words_of.aliases), *_model_words(f"{brand} {model}")]
    by_key: dict[str, list[str]] = {}
    for word in search_terms([w for w in [*found_by, *sizes] if w not in words_of.stop]):
        by_key.setdefault(search_key(word), []).append(word)
    catalog = [w for w in search_tokens(f"{brand} {model}") if typo_prone(w)]
    typos = [d for w in catalog for d in deletions(w)] + [search_key(w) for w in catalog]
    every = [*found_by, *search_tokens(label), *_parts(own), *sizes, *typos]
    return SearchIndex(
        [(key, tuple(words)) for key, words in by_key.items()],
        " " + " ".join(dict.fromkeys(every)) + " ",
    )
