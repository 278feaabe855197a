"""Marketing's published wording over the compiled catalogs, read once per refresh window.

The admin writes one item per market (partition ``PUBLISHED``) when it publishes; a warm
function reads all of its stage's markets with one Query at most once per ``ttl`` seconds,
never per page, and merges them over the shipped catalogs. A failed read keeps the last
wording it had (or the shipped one) and tries again after a short pause.
"""

from __future__ import annotations

import gettext
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from chalicelib.i18n.checks import TAG, markup_problem, stray_percent
from chalicelib.i18n.provider import TranslationProvider
from chalicelib.kernel import aws
from chalicelib.kernel.markets import Market

log = logging.getLogger(__name__)

PUBLISHED_PK = "PUBLISHED"
CONTEXT_SEPARATOR = "\x04"  # gettext's own: "context\x04msgid"
RETRY_AFTER_FAILURE_SECONDS = 10.0
Messages = Mapping[str, Sequence[str]]
PLACEHOLDER_NAME = re.compile(r"%\(([a-z_]+)\)s")


def message_key(msgid: str, context: str | None = None) -> str:
    """The key of a message in overrides: its msgid, after its context if it has one."""
    return f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid


def split_key(key: str) -> tuple[str | None, str]:
    """(context, msgid) of an override key."""
    context, sep, msgid = key.partition(CONTEXT_SEPARATOR)
    return (context, msgid) if sep else (None, key)


def plural_rule(translations: gettext.NullTranslations) -> Callable[[int], int]:
    """The plural-form index function of the first compiled catalog in a stack."""
    layer: Any = translations
    while layer is not None:
        if hasattr(layer, "plural"):
            return layer.plural
        layer = getattr(layer, "_fallback", None)
    return lambda n: int(n != 1)


def safe_text(source: str, string: str) -> Markup | None:
    """An override as HTML: its text escaped, only the source's own tags kept; None if unfit.

    Jinja2 treats gettext results as markup, so a quote or a bracket a marketer typed must
    reach the page as text, never as HTML; and a lone ``%`` would break the page's formatting.
    """
    if not string or markup_problem(source, string) is not None or stray_percent(string):
        return None
    texts = TAG.split(string)
    tags = TAG.findall(string)
    built = Markup(escape(texts[0]))
    for tag, text in zip(tags, texts[1:], strict=True):
        built += Markup(tag) + escape(text)
    try:
        built % dict.fromkeys(PLACEHOLDER_NAME.findall(string), "")
    except (KeyError, ValueError, TypeError):
        return None
    return built


def safe_messages(messages: Messages) -> dict[str, tuple[Markup, ...]]:
    """The overrides that pass ``safe_text`` in every form, as HTML; the rest are dropped."""
    kept = {}
    for key, strings in messages.items():
        source = split_key(key)[1]
        built = tuple(safe_text(source, s) for s in strings or ())
        if built and all(b is not None for b in built):
            kept[key] = built
    return kept


class OverrideTranslations(gettext.NullTranslations):
    """Overridden messages first, then the translations below them."""

    def __init__(self, messages: Messages, below: gettext.NullTranslations) -> None:
        super().__init__()
        self.messages = safe_messages(messages)
        self.plural = plural_rule(below)
        self.add_fallback(below)

    def _pick(self, key: str, n: int | None) -> str | None:
        strings = self.messages.get(key)
        if strings is None:
            return None
        if n is None:
            return strings[0]
        index = self.plural(n)
        return strings[index] if index < len(strings) else strings[-1]

    def gettext(self, message: str) -> str:
        """The overridden text, else the catalog's."""
        found = self._pick(message, None)
        return found if found is not None else self._fallback.gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The overridden plural form for n, else the catalog's."""
        found = self._pick(msgid1, n)
        return found if found is not None else self._fallback.ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        """The overridden text in a context, else the catalog's."""
        found = self._pick(message_key(message, context), None)
        return found if found is not None else self._fallback.pgettext(context, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        """The overridden plural form in a context, else the catalog's."""
        found = self._pick(message_key(msgid1, context), n)
        if found is not None:
            return found
        return self._fallback.npgettext(context, msgid1, msgid2, n)


class PublishedOverrides:
    """Every market's published messages, read with one Query at most once per ``ttl``."""

    def __init__(
        self,
        table: Callable[[], Any],
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.table = table
        self.ttl = ttl
        self.clock = clock
        self.reads = 0
        self._lock = threading.Lock()
        self._next_read = float("-inf")
        self._snapshot: dict[str, tuple[int, dict[str, Any]]] = {}

    def of(self, market: str) -> tuple[int, Messages]:
        """(release version, messages) published for a market; (0, {}) before any release."""
        if self.clock() >= self._next_read:
            with self._lock:
                if self.clock() >= self._next_read:
                    self._refresh()
        return self._snapshot.get(market, (0, {}))

    def expire(self) -> None:
        """Read again on the next page (a test's or a restored snapshot's fresh start)."""
        self._next_read = float("-inf")

    def _refresh(self) -> None:
        started = self.clock()
        try:
            items = self._query()
        except Exception as error:  # no wording update is worth a shopper's page
            code = aws.failure_code(error)
            log.warning("published wording unavailable", extra={"code": code})
            self._next_read = started + min(self.ttl, RETRY_AFTER_FAILURE_SECONDS)
            return
        self._snapshot = {
            item["SK"]: (int(item.get("version", 0)), dict(item.get("messages") or {}))
            for item in items
        }
        self._next_read = started + self.ttl

    def _query(self) -> list[dict[str, Any]]:
        self.reads += 1
        table = self.table()
        arguments: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": PUBLISHED_PK},
            "ConsistentRead": True,
        }
        items: list[dict[str, Any]] = []
        while True:
            page = table.query(**arguments)
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return items
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class Overridden:
    """A provider: the published overrides of the market over another provider's catalogs."""

    def __init__(self, source: TranslationProvider, published: PublishedOverrides) -> None:
        self.source = source
        self.published = published
        self._built: dict[str, tuple[tuple[int, int], gettext.NullTranslations]] = {}

    def for_market(self, market: Market) -> gettext.NullTranslations:
        """The market's wording as last published, built once per release."""
        version, messages = self.published.of(market.code)
        below = self.source.for_market(market)
        if not messages:
            return below
        stamp = (version, id(below))
        built = self._built.get(market.code)
        if built is None or built[0] != stamp:
            built = (stamp, OverrideTranslations(messages, below))
            self._built[market.code] = built
        return built[1]
