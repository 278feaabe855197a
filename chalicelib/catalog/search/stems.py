"""Singular and plural of what shoppers type: one suffix off, so a prefix finds both.

Search matches the start of words, so a shorter query word is a wider one: "iphones" cut
to "iphone", "puhelinta" to "puhelin", "κινητό" to "κινητ" find every form that starts
so. Cutting never changes a word's first four letters. Suffixes are in folded form (no
accents, Greek final sigma as σ).
"""

from __future__ import annotations

MIN_STEM = 4
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "fr": ("aux", "s", "x"),
    "nl": ("'s", "en", "s"),
    "de": ("en", "er", "e", "n", "s"),
    "es": ("es", "s"),
    "it": ("a", "e", "i", "o"),
    "pt": ("eis", "oes", "es", "s"),
    "fi": (
        "ineen",
        "iden",
        "ita",
        "ssa",
        "sta",
        "lla",
        "lta",
        "lle",
        "ksi",
        "ja",
        "ta",
        "en",
        "aa",
        "it",
        "et",
        "e",
        "t",
        "n",
        "a",
    ),
    "sv": ("erna", "arna", "orna", "or", "ar", "er", "en", "na", "et", "a", "n"),
    "el": ("ου", "ων", "εσ", "οσ", "ασ", "ησ", "α", "ο", "η", "ι", "ε", "υ"),
    "sk": ("ami", "ach", "ov", "om", "y", "a", "e", "u", "i", "o"),
}
_ENGLISH_ES = ("ches", "shes", "sses", "xes", "zes")


def _english(word: str) -> str:
    if word.endswith("ies") and len(word) - 3 >= MIN_STEM:
        return word[:-3]
    if word.endswith(_ENGLISH_ES) and len(word) - 2 >= MIN_STEM:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > MIN_STEM:
        return word[:-1]
    return word


def stem(word: str, language: str) -> str:
    """The word with its language's plural or case ending off (English's too), or as is."""
    if not word.isalpha() or len(word) <= MIN_STEM:
        return word
    for suffix in _SUFFIXES.get(language, ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return _english(word)
