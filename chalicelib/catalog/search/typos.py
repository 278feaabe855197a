"""Typos, within one Query: search keys that forgive vowels, and one-edit word forms.

A search is one Query with ``begins_with`` on one word's key, so whatever typo it forgives
must already be forgiven by the key. A word's key keeps its first two letters and drops
the vowels after them and any doubled letter: "galaxy", "galxy" and "galexy" are all
``galxy``, "samsung" and "samsnug" ``samsng``, "macbook" and "macbok" ``macbk``. The other
words of a search are a filter, where one edit of any kind is caught by comparing
deletions (see docs/data-model.md).
"""

from __future__ import annotations

MIN_TYPO_WORD = 5  # shorter query words are matched only as typed (or by their key)
MAX_TYPO_WORD = 16  # longer ones too: a filter's size stays bounded
MIN_KEYED_QUERY = 4  # a shorter lead word must start an indexed word exactly
KEPT = 2  # letters kept as typed at the start of a key, and the bucket of a word
_VOWELS = frozenset("aeiou")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")


def search_key(word: str) -> str:
    """The key a word is indexed and looked up by: vowels after the first two letters and
    doubled letters dropped (Latin letters only; other scripts are kept as they are).

    A key of a word's start is the start of the word's key, so prefix search still works.
    """
    out = list(word[:KEPT])
    for char in word[KEPT:]:
        if char in _VOWELS:
            continue
        if char in _CONSONANTS and out and out[-1] == char:
            continue
        out.append(char)
    return "".join(out)


def typo_prone(word: str) -> bool:
    """Whether a word is long enough, and only letters, to be matched with one typo."""
    return MIN_TYPO_WORD <= len(word) <= MAX_TYPO_WORD and word.isalpha()


def deletions(word: str) -> list[str]:
    """The word without one of its letters, each position once, in order."""
    return list(dict.fromkeys(word[:i] + word[i + 1 :] for i in range(len(word))))


def near_prefix(typed: str, word: str) -> str | None:
    """The start of ``word`` that ``typed`` is one edit away from, if any (longest first).

    Edits: a letter omitted, added, replaced, or two adjacent letters swapped.
    """
    n = len(typed)
    for length in (n + 1, n, n - 1):
        start = word[:length]
        if len(start) == length and _one_edit(typed, start):
            return start
    return None


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = _common_prefix(short, long)
    return short[i:] == long[i + 1 :]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
