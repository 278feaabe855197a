"""Markets and countries as their own shoppers name them, from Babel's CLDR data."""

from __future__ import annotations

import functools
import gettext

from chalicelib.i18n.formatting import babel_locale
from chalicelib.kernel.markets import MARKETS


@functools.cache
def market_name(code: str) -> str:
    """A market as its own shoppers name it, e.g. ``Deutsch (Österreich)``."""
    locale = babel_locale(MARKETS[code].locale)
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


@functools.cache
def country_name(code: str) -> str:
    """A market's country in the market's own language, e.g. ``Österreich``."""
    market = MARKETS[code]
    return babel_locale(market.locale).territories.get(market.country, market.country)


# Keyed by the translations object too: a provider that refreshes hands out a new one.
@functools.lru_cache(maxsize=256)
def market_offer(code: str, translations: gettext.NullTranslations) -> str:
    """An invitation to a market's shop in that market's language (its own translations)."""
    text = translations.gettext("Go to our shop for %(country)s")
    return text % {"country": country_name(code)}
