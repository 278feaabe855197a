"""Checks of one field of a catalog record: type, range, and what DynamoDB and pages take."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import keys, limits
from chalicelib.kernel.markets import Market


class RecordError(ValueError):
    """A field of one record that breaks the catalog's rules."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def require(value: Any, path: str, kind: type | tuple, what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RecordError(path, f"must be {what}, got {value!r}")
    return value


def positive_int(value: Any, path: str, allow_zero: bool = False) -> int:
    ceiling = limits.MAX_INT[path.rsplit(".", 1)[-1].split("[")[0]]
    ok = (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (value > 0 or allow_zero and value == 0)
        and value <= ceiling
    )
    if not ok:
        floor = "0" if allow_zero else "1"
        raise RecordError(
            path, f"must be a whole number from {floor} to {ceiling:,}, got {value!r}"
        )
    return value


def checked(value: Any, path: str, field: str, multiline: bool = False) -> str:
    """Text as stored (NFC, stripped), or the reason DynamoDB or a page could not take it."""
    text = limits.normalized(require(value, path, str, "text"))
    problem = limits.text_problem(text, field, multiline)
    if problem:
        raise RecordError(path, problem)
    if not text:
        raise RecordError(path, "must not be empty")
    return text


def slug(value: Any, path: str, example: str) -> str:
    slug = require(value, path, str, "text")
    if not limits.SLUG.match(slug) or len(slug) > limits.MAX_SLUG:
        raise RecordError(
            path,
            f"must be a lower-case slug of at most {limits.MAX_SLUG} characters like"
            f" {example}, got {slug[:80]!r}",
        )
    return slug


def price(value: Any, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= keys.MAX_PRICE:
        raise RecordError(path, f"must be a positive whole number of minor units, got {value!r}")
    return value


def text(texts: Any, path: str, market: Market, neutral: bool = False) -> str:
    """The text for a market; a neutral text (a model name) may fall back to English."""
    if not isinstance(texts, dict):
        raise RecordError(path, f"must map languages to text, got {texts!r}")
    field = path if path in limits.MAX_CHARS else "title"
    for name in market.text_chain + (("en",) if neutral else ()):
        value = texts.get(name)
        if isinstance(value, str) and value.strip():
            return checked(value, f"{path}.{name}", field, multiline=field == "description")
    raise RecordError(path, f"has no text for {market.code} (tried {', '.join(market.text_chain)})")
