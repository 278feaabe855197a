"""The 18 markets: the single registry every other part reads."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Market:
    """One storefront: a country in one language, with its currency and terms."""

    code: str
    country: str
    locale: str
    currency: str
    stage: str
    trade_in: bool
    warranty_months: int
    return_days: int
    delivery_days: tuple[int, int]
    timezone: str
    # How prices state their tax (docs/i18n.md): "included" (VAT or GST in the price, said
    # once by the buy box), "zeikomi" (Japan's 総額表示: 税込 beside every price) or
    # "added_at_checkout" (US sales tax, which depends on the delivery address).
    tax_note: str = "included"

    @property
    def language(self) -> str:
        """The language subtag, e.g. ``fr`` for ``fr_BE``."""
        return self.locale.split("_")[0]

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for ``<html lang>`` and ``hreflang``."""
        return self.locale.replace("_", "-")

    @property
    def translation_chain(self) -> tuple[str, ...]:
        """Gettext catalogs to try, most specific first; the American English msgids close it."""
        return _CATALOG_CHAINS.get(self.locale, (self.locale, self.language))

    @property
    def text_chain(self) -> tuple[str, ...]:
        """Keys to look up catalog text (titles, descriptions) in, most specific first."""
        if self.language == "pt":
            return self.translation_chain
        return tuple(dict.fromkeys((*self.translation_chain, self.language)))


def _m(code, country, locale, currency, stage, trade_in, warranty, returns, delivery, tz):
    return Market(
        code, country, locale, currency, stage, trade_in, warranty, returns, delivery, tz,
        tax_note=_TAX_NOTES.get(code, "included"),
    )  # fmt: skip


_TAX_NOTES = {"ja-jp": "zeikomi", "en-us": "added_at_checkout"}


# Warranty: the shortest commercial warranty an offer may carry (the loader refuses less). Where
# the law fixes how long a professional seller of a refurbished device answers for its defects
# (2 or 3 years, never shortened by our terms), the warranty is at least that long, so that no
# figure a shopper reads is below the legal guarantee; elsewhere 12 months (docs/legal.md).
# Returns: the EU 14-day withdrawal right, extended to 30 days as a commercial promise.
MARKETS: dict[str, Market] = {
    m.code: m
    for m in (
        _m("fr-fr", "FR", "fr_FR", "EUR", "eu", True, 24, 30, (2, 4), "Europe/Paris"),
        _m("fr-be", "BE", "fr_BE", "EUR", "eu", False, 24, 30, (2, 4), "Europe/Brussels"),
        _m("nl-be", "BE", "nl_BE", "EUR", "eu", False, 24, 30, (2, 4), "Europe/Brussels"),
        _m("de-de", "DE", "de_DE", "EUR", "eu", True, 24, 30, (2, 4), "Europe/Berlin"),
        _m("de-at", "AT", "de_AT", "EUR", "eu", False, 24, 30, (3, 5), "Europe/Vienna"),
        _m("es-es", "ES", "es_ES", "EUR", "eu", True, 36, 30, (3, 5), "Europe/Madrid"),
        _m("it-it", "IT", "it_IT", "EUR", "eu", False, 24, 30, (3, 5), "Europe/Rome"),
        _m("nl-nl", "NL", "nl_NL", "EUR", "eu", False, 12, 30, (2, 4), "Europe/Amsterdam"),
        _m("pt-pt", "PT", "pt_PT", "EUR", "eu", False, 36, 30, (3, 6), "Europe/Lisbon"),
        _m("en-gb", "GB", "en_GB", "GBP", "eu", True, 12, 30, (2, 4), "Europe/London"),
        _m("en-ie", "IE", "en_IE", "EUR", "eu", False, 12, 30, (3, 5), "Europe/Dublin"),
        _m("fi-fi", "FI", "fi_FI", "EUR", "eu", False, 12, 30, (3, 6), "Europe/Helsinki"),
        _m("sv-se", "SE", "sv_SE", "SEK", "eu", False, 36, 30, (3, 5), "Europe/Stockholm"),
        _m("el-gr", "GR", "el_GR", "EUR", "eu", False, 24, 30, (4, 7), "Europe/Athens"),
        _m("sk-sk", "SK", "sk_SK", "EUR", "eu", False, 24, 30, (3, 6), "Europe/Bratislava"),
        _m("en-us", "US", "en_US", "USD", "us", True, 12, 30, (3, 5), "America/New_York"),
        _m("ja-jp", "JP", "ja_JP", "JPY", "ap", False, 12, 30, (2, 4), "Asia/Tokyo"),
        _m("en-au", "AU", "en_AU", "AUD", "ap", False, 12, 30, (3, 7), "Australia/Sydney"),
    )
}

# Where the default chain (locale, then language) is wrong. Babel reads bare "pt" as
# Brazilian Portuguese, so Portugal never falls back to it; msgids are American English,
# so the other English markets read British spelling and words first.
_CATALOG_CHAINS = {
    "pt_PT": ("pt_PT",),
    "en_US": ("en_US",),
    "en_GB": ("en_GB",),
    "en_IE": ("en_IE", "en_GB"),
    "en_AU": ("en_AU", "en_GB"),
}

DEFAULT_MARKET = "en-us"
LANGUAGES: tuple[str, ...] = tuple(sorted({m.language for m in MARKETS.values()}))
_CODE_SPELLING = re.compile(r"^([a-zA-Z]{2})[-_]([a-zA-Z]{2})$")


def get(code: str) -> Market | None:
    """The market with this exact code, or None."""
    return MARKETS.get(code)


def canonical_code(code: str) -> str | None:
    """The registered code for another spelling (``FR_fr`` -> ``fr-fr``), or None."""
    match = _CODE_SPELLING.match(code or "")
    if not match:
        return None
    candidate = f"{match.group(1)}-{match.group(2)}".lower()
    return candidate if candidate in MARKETS else None


def for_stage(stage: str) -> list[Market]:
    """Markets served by a deployment stage, in registry order."""
    return [m for m in MARKETS.values() if m.stage == stage]


def country_markets(code: str) -> tuple[str, ...]:
    """The markets of this market's country (itself included), in registry order."""
    country = MARKETS[code].country
    return tuple(c for c, m in MARKETS.items() if m.country == country)


def market_mask(codes: list[str]) -> int:
    """A set of markets as a bit mask, bit i for the i-th market of the registry."""
    order = list(MARKETS)
    return sum(1 << order.index(code) for code in codes)


def markets_in(mask: int) -> list[str]:
    """The market codes of a bit mask, in registry order."""
    return [code for i, code in enumerate(MARKETS) if mask >> i & 1]
