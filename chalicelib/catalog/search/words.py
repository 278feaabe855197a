"""Storage sizes and model numbers as shoppers write them: 128gb, 128 Go, 1 To, iphone13."""

from __future__ import annotations

import re

_GB = {"gb", "go", "gt", "gib", "giga", "ギガ"}
_TB = {"tb", "to", "tt", "tib", "tera", "テラ"}
_SIZE = re.compile(r"^(\d{1,7})(gb|go|gt|gib|tb|to|tt|tib)$")
_WORD_THEN_NUMBER = re.compile(r"^([^\W\d_]{3,})(\d+)$")
_NUMBER_THEN_WORD = re.compile(r"^(\d+)([^\W\d_]{3,})$")


def storage_word(gigabytes: int) -> str:
    """How a storage size is indexed: 128gb, 1tb (1,024 GB), 2tb."""
    if gigabytes >= 1024 and gigabytes % 1024 == 0:
        return f"{gigabytes // 1024}tb"
    return f"{gigabytes}gb"


def _size(number: str, unit: str) -> str:
    if unit in _TB:
        return f"{int(number)}tb"
    return storage_word(int(number))


def storage_and_models(words: list[str]) -> list[str]:
    """Query words with sizes made one (128 gb, 128Go: 128gb) and models split (iphone13)."""
    out: list[str] = []
    for word in words:
        if out and out[-1].isdigit() and len(out[-1]) <= 7 and word in _GB | _TB:
            out[-1] = _size(out[-1], word)
            continue
        size = _SIZE.match(word)
        if size:
            out.append(_size(*size.groups()))
            continue
        split = _WORD_THEN_NUMBER.match(word) or _NUMBER_THEN_WORD.match(word)
        out += split.groups() if split else [word]
    return out
