"""Markets and countries as their own shoppers name them, from Babel's CLDR data.

A packaged function holds the Babel data and catalogs of its own stage's markets only. What its
pages say of the other markets (their names in their own languages, and the invitation to their
shops) was computed when the package was built, into ``market_names.json`` beside this module
(tools/package_locales.py). Without that file, as in the working tree, Babel computes it all.
"""

from __future__ import annotations

import functools
import gettext
import json
from pathlib import Path

from chalicelib.i18n import N_
from chalicelib.i18n.formatting import babel_locale
from chalicelib.kernel.markets import MARKETS

BUILT_NAMES = Path(__file__).with_name("market_names.json")
OFFER = N_("Go to our shop for %(country)s")


@functools.cache
def built() -> dict[str, dict[str, dict[str, str]]]:
    """The package's precomputed names and offers, or empty ones in the working tree."""
    if not BUILT_NAMES.exists():
        return {"names": {}, "offers": {}}
    return json.loads(BUILT_NAMES.read_text(encoding="utf-8"))


@functools.cache
def market_name(code: str) -> str:
    """A market as its own shoppers name it, e.g. ``Deutsch (Österreich)``."""
    known = built()["names"].get(code)
    if known:
        return known["market"]
    locale = babel_locale(MARKETS[code].locale)
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


@functools.cache
def country_name(code: str) -> str:
    """A market's country in the market's own language, e.g. ``Österreich``."""
    known = built()["names"].get(code)
    if known:
        return known["country"]
    market = MARKETS[code]
    return babel_locale(market.locale).territories.get(market.country, market.country)


def built_offer(code: str) -> str | None:
    """The invitation to another stage's market as the package was built, or None."""
    return built()["offers"].get(code)


# Keyed by the translations object too: a provider that refreshes hands out a new one.
@functools.lru_cache(maxsize=256)
def market_offer(code: str, translations: gettext.NullTranslations) -> str:
    """An invitation to a market's shop in that market's language (its own translations)."""
    return translations.gettext(OFFER) % {"country": country_name(code)}
