"""Where pages get their translations: a small interface, so that layers can slot in.

Pages and templates never look translations up themselves; they are handed what a
provider returns for the market. The compiled catalogs are the bottom layer; a later
layer (marketing overrides, a preview of drafts) wraps a provider and is cached with a
time-to-live, so that what changes at run time shows within that time.
"""

from __future__ import annotations

import gettext
import threading
import time
from collections.abc import Callable
from typing import Protocol

from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import Market


class TranslationProvider(Protocol):
    """Anything that gives the translations of a market."""

    def for_market(self, market: Market) -> gettext.NullTranslations:
        """The translations a page of this market is rendered with."""
        ...


class ShippedTranslations:
    """The .mo files of the market's chain, as shipped with the code."""

    def for_market(self, market: Market) -> gettext.NullTranslations:
        """The market's catalog chain, falling back to the msgids."""
        return translations_for(market.translation_chain)


class Refreshing:
    """Caches another provider's answer per market for ``ttl`` seconds, then asks again."""

    def __init__(
        self,
        source: TranslationProvider,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[float, gettext.NullTranslations]] = {}

    def for_market(self, market: Market) -> gettext.NullTranslations:
        """The source's translations, at most ``ttl`` seconds old."""
        now = self.clock()
        cached = self._cached.get(market.code)
        if cached is not None and now < cached[0]:
            return cached[1]
        fresh = self.source.for_market(market)
        with self._lock:
            self._cached[market.code] = (now + self.ttl, fresh)
        return fresh

    def expire(self) -> None:
        """Forget everything, so that the next request asks the source again."""
        with self._lock:
            self._cached.clear()
