"""What a stage's zip holds of Babel and the catalogs: its own markets' data, trimmed, and names.

A shoppers' function renders its own stage's markets only (other markets get a page in one of
its languages that links to their shop), so it ships their locale data and catalogs alone. Of
each Babel locale file it keeps what the pages format with; what they say of the other markets,
their names in their own languages and the invitation to their shops, is computed here into
``chalicelib/i18n/market_names.json`` (read by chalicelib/i18n/names.py).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable

from chalicelib.i18n.names import OFFER
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS, Market

NAMES_ENTRY = "chalicelib/i18n/market_names.json"
# Babel's locale data that no shoppers' page reads: names of languages, countries, scripts and
# time zones (the pages name markets from market_names.json), and formats of things they never
# write (compact numbers, intervals, compound units). tests/tools/test_package.py renders each
# kind of page of every stage from the trimmed zip, so a key a page turns out to need fails there.
UNREAD_KEYS = frozenset(
    {
        "languages",
        "territories",
        "scripts",
        "variants",
        "meta_zones",
        "time_zones",
        "zone_formats",
        "unit_display_names",
        "compound_unit_patterns",
        "interval_formats",
        "compact_decimal_formats",
        "compact_currency_formats",
        "measurement_systems",
    }
)
# The units pages write (chalicelib/i18n/formatting.py: storage, screen size, weight).
UNITS = frozenset({"digital-gigabyte", "digital-terabyte", "length-inch", "mass-gram"})
CURRENCY_KEYS = ("currency_names", "currency_names_plural", "currency_symbols")
GLOBAL_ENTRY = "babel/global.dat"
# Of Babel's global data, what loading and formatting read (a locale's parent, a currency's
# digits) and the small alias tables Locale.parse consults; not time zones, likely subtags
# (only for identifiers without their own file) or the languages spoken in each territory.
GLOBAL_KEPT = frozenset(
    {
        "cldr",
        "currency_fractions",
        "parent_exceptions",
        "language_aliases",
        "territory_aliases",
        "script_aliases",
        "variant_aliases",
        "all_currencies",
        "territory_currencies",
    }
)


def trimmed(data: dict, currencies: Iterable[str]) -> dict:
    """One locale file's data without what pages never read."""
    kept = {key: value for key, value in data.items() if key not in UNREAD_KEYS}
    if "unit_patterns" in kept:
        kept["unit_patterns"] = {u: p for u, p in kept["unit_patterns"].items() if u in UNITS}
    wanted = set(currencies)
    for key in CURRENCY_KEYS:
        if key in kept:
            kept[key] = {code: value for code, value in kept[key].items() if code in wanted}
    return kept


def trimmed_locale_file(raw: bytes, currencies: Iterable[str]) -> bytes:
    """A Babel .dat file's bytes, trimmed; pickled as Babel's own files are."""
    return pickle.dumps(trimmed(pickle.loads(raw), currencies), protocol=pickle.HIGHEST_PROTOCOL)


def trimmed_global(raw: bytes) -> bytes:
    """Babel's global.dat with only what the shoppers' pages read."""
    data = pickle.loads(raw)
    kept = {key: value for key, value in data.items() if key in GLOBAL_KEPT}
    return pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)


def market_names(served: Iterable[Market]) -> bytes:
    """Every market's names in its own language, and the offers of markets served elsewhere."""
    from chalicelib.i18n import names

    codes = {m.code for m in served}
    data = {
        "names": {
            code: {"country": names.country_name(code), "market": names.market_name(code)}
            for code in MARKETS
        },
        "offers": {
            code: translations_for(market.translation_chain).gettext(OFFER)
            % {"country": names.country_name(code)}
            for code, market in MARKETS.items()
            if code not in codes
        },
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
