"""Gettext catalogs with an explicit fallback chain, and Babel formatting per market."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)
from babel.support import Translations
from babel.units import format_unit

from chalicelib.markets import Market
from chalicelib.money import Money, minor_digits

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def catalog_path(name: str, root: Path = LOCALES_DIR) -> Path:
    """Where the compiled catalog of one locale lives."""
    return root / name / "LC_MESSAGES" / f"{DOMAIN}.mo"


@functools.cache
def translations_for(chain: tuple[str, ...]) -> gettext.NullTranslations:
    """The catalogs of a chain stacked so each falls back to the next, then to the msgid."""
    head: gettext.NullTranslations = gettext.NullTranslations()
    for name in reversed(chain):
        path = catalog_path(name)
        if not path.exists():
            continue
        with path.open("rb") as fileobj:
            layer = Translations(fileobj, domain=DOMAIN)
        layer.add_fallback(head)
        head = layer
    return head


def loaded_chain(chain: tuple[str, ...]) -> list[str]:
    """The names in a chain that have a compiled catalog, for reports and checks."""
    return [name for name in chain if catalog_path(name).exists()]


@functools.cache
def babel_locale(name: str) -> Locale:
    """A parsed Babel locale, kept for the life of the process."""
    return Locale.parse(name)


class Formatter:
    """Formats numbers, money and dates as the market's locale writes them."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.locale = babel_locale(market.locale)

    def price(self, money: Money) -> str:
        """A price at its currency's precision, e.g. ``349,00 €`` in fr_FR."""
        return format_currency(
            money.to_decimal(), money.currency, locale=self.locale, currency_digits=True
        )

    def price_short(self, money: Money) -> str:
        """A price without minor units when they are zero, for tight places like cards."""
        if money.amount % (10 ** minor_digits(money.currency)):
            return self.price(money)
        return format_currency(
            money.to_decimal(),
            money.currency,
            locale=self.locale,
            format=self.locale.currency_formats["standard"].pattern.replace(".00", ""),
            currency_digits=False,
        )

    def number(self, value: int | float) -> str:
        """A plain number with the locale's grouping and decimal signs."""
        return format_decimal(value, locale=self.locale)

    @property
    def currency_symbol(self) -> str:
        """The market currency's symbol as the locale writes it, e.g. ``kr`` in sv_SE."""
        return get_currency_symbol(self.market.currency, locale=self.locale)

    def decimal1(self, value: float) -> str:
        """A number with one decimal, e.g. ``4,7`` for a rating in fr_FR."""
        return format_decimal(value, format="0.0", locale=self.locale)

    def storage(self, gigabytes: int) -> str:
        """A storage size in the locale's units, e.g. ``128 Go`` in French, ``1 TB`` in English."""
        if gigabytes >= 1024 and gigabytes % 1024 == 0:
            return self.unit(gigabytes // 1024, "digital-terabyte")
        return self.unit(gigabytes, "digital-gigabyte")

    def unit(self, value: float, unit: str, length: str = "short") -> str:
        """A measure with its CLDR unit, e.g. ``6,1 pouces`` or ``174 g``."""
        return format_unit(value, unit, length=length, locale=self.locale)

    def percent(self, ratio: float) -> str:
        """A ratio as a whole percentage, e.g. ``-35 %`` in fr_FR for -0.35."""
        return format_percent(ratio, locale=self.locale)

    def date(self, day: dt.date) -> str:
        """A date with weekday, day and month, e.g. ``jeudi 3 décembre``."""
        return format_skeleton("MMMMEd", day, locale=self.locale)

    def date_medium(self, day: dt.date) -> str:
        """A date with the year, in the locale's medium format."""
        return format_date(day, format="medium", locale=self.locale)
