"""Numbers, money, units and dates as each market's locale writes them (Babel, CLDR fixes)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    NumberPattern,
    get_currency_name,
    get_currency_symbol,
    get_currency_unit_pattern,
    parse_pattern,
)
from babel.units import format_unit

from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money, minor_digits


@functools.cache
def babel_locale(name: str) -> Locale:
    """A parsed Babel locale, kept for the life of the process."""
    return Locale.parse(name)


# Where Babel alone does not write numbers as CLDR does; docs/cldr.md has the evidence, and
# tests/i18n/test_cldr.py compares every market with ICU. Babel's own locale data drives the rest.
#
# CLDR <numbers><minimumGroupingDigits>: a number is grouped only when it has at least
# grouping size + this many integer digits, so Spanish writes 1234 but 12.345. Babel neither
# ships nor applies it (it groups from 4 digits everywhere). Values are CLDR's for the locales
# of our markets, looked up by locale then language; 1 where absent. Regional variants can
# differ (es_419 is 1 while es is 2): check CLDR before adding a market.
_MIN_GROUPING_DIGITS = {"es": 2, "it": 2, "pt_PT": 2}
# CLDR <symbols numberSystem="latn"> that Babel's data lacks. de_AT groups plain numbers with
# U+00A0 but money with "." (<group> and <currencyGroup>); Babel's data keeps only the
# <currencyGroup>, so Babel writes German's "." for every number.
_SYMBOL_FIXES = {"de_AT": {"group": "\u00a0"}}
# Pattern characters that stand for a localized symbol (UTS #35, Number Pattern Character
# Definitions); quoted text is literal. Babel copies "-" and "%" as they are, so Finnish and
# Swedish lost their minus sign U+2212.
_AFFIX_TOKEN = re.compile(r"'([^']*)'|¤+|[-+%‰]|[^'¤\-+%‰]+")
_AFFIX_SYMBOLS = {"-": "minusSign", "+": "plusSign", "%": "percentSign", "‰": "perMille"}
_DECIMAL1 = parse_pattern("0.0")
# How each market's shops write a price, where it is not CLDR's currency format with all the
# currency's decimals ("409,00 €"); docs/i18n.md gives the reasons market by market.
# "whole": a whole amount without its decimals (3 990 kr), any other amount with them.
# "name": the number, then the currency's name by CLDR's unit pattern (39,800円).
PRICE_STYLES = {"sv-se": "whole", "en-au": "whole", "ja-jp": "name"}


class Formatter:
    """Formats numbers, money and dates as the market's locale writes them."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.locale = babel_locale(market.locale)
        self._symbols = number_symbols(market.locale)
        self._min_grouping = min_grouping_digits(market.locale)
        self.style = PRICE_STYLES.get(market.code, "decimals")
        self._whole_short = self.style == "whole"

    def price(self, money: Money) -> str:
        """A price as the market's shops write it: ``349,00 €``, ``3 990 kr``, ``39,800円``."""
        digits = minor_digits(money.currency)
        if self.style == "name":
            return self._named(money, digits)
        if self._whole_short and not money.amount % (10**digits):
            return self._money(money, (0, 0))
        return self._money(money, (digits, digits))

    def money(self, money: Money) -> str:
        """An amount in CLDR's currency format at its currency's precision (``3 990,00 kr``)."""
        digits = minor_digits(money.currency)
        return self._money(money, (digits, digits))

    def aligned(self, *groups: Iterable[Money | None]) -> Formatter:
        """This formatter, or one that keeps decimals on every price if one of these needs them.

        Prices shown together (a page, a table of offers) then read alike: ``3 990,00 kr``
        above ``3 995,50 kr`` rather than ``3 990 kr``.
        """
        if not self._whole_short:
            return self
        for money in itertools.chain(*groups):
            if money is not None and money.amount % (10 ** minor_digits(money.currency)):
                aligned = copy.copy(self)
                aligned._whole_short = False
                return aligned
        return self

    def price_short(self, money: Money) -> str:
        """A price without minor units when they are zero, for tight places like cards."""
        if money.amount % (10 ** minor_digits(money.currency)):
            return self.price(money)
        return self._money(money, (0, 0))

    def number(self, value: int | float) -> str:
        """A plain number with the locale's grouping and decimal signs."""
        pattern = self.locale.decimal_formats[None]
        return self._render(pattern, value, pattern.frac_prec)

    @property
    def currency_symbol(self) -> str:
        """The market currency's symbol as the locale writes it, e.g. ``kr`` in sv_SE."""
        return get_currency_symbol(self.market.currency, locale=self.locale)

    def decimal1(self, value: float) -> str:
        """A number with one decimal, e.g. ``4,7`` for a rating in fr_FR."""
        return self._render(_DECIMAL1, value, _DECIMAL1.frac_prec)

    def storage(self, gigabytes: int) -> str:
        """A storage size in the locale's units, e.g. ``128 Go`` in French, ``1 TB`` in English."""
        if gigabytes >= 1024 and gigabytes % 1024 == 0:
            return self.unit(gigabytes // 1024, "digital-terabyte")
        return self.unit(gigabytes, "digital-gigabyte")

    def unit(self, value: float, unit: str, length: str = "short") -> str:
        """A measure with its CLDR unit, e.g. ``6,1 pouces`` or ``174 g``."""
        patterns = self.locale._data["unit_patterns"].get(unit, {}).get(length)
        if not patterns:  # a short unit id ("inch") or an unknown one: Babel resolves or raises
            return format_unit(value, unit, length=length, locale=self.locale)
        pattern = patterns.get(self.locale.plural_form(value)) or patterns["other"]
        return pattern.format(self.number(value))

    def percent(self, ratio: float) -> str:
        """A ratio as a whole percentage, e.g. ``-35 %`` in fr_FR for -0.35."""
        pattern = self.locale.percent_formats[None]
        return self._render(pattern, ratio, pattern.frac_prec)

    def date(self, day: dt.date) -> str:
        """A date with weekday, day and month, e.g. ``jeudi 3 décembre``."""
        return format_skeleton("MMMMEd", day, locale=self.locale)

    def date_medium(self, day: dt.date) -> str:
        """A date with the year, in the locale's medium format."""
        return format_date(day, format="medium", locale=self.locale)

    def relative(self, value: int, unit: str = "day", numeric: str = "auto") -> str:
        """A time relative to now, e.g. ``demain`` or ``dans 3 semaines`` for unit ``week``.

        ``numeric="auto"`` uses the locale's word where it has one (``übermorgen``), as
        ``Intl.RelativeTimeFormat`` does; ``"always"`` writes the number (``in 2 Tagen``).
        """
        fields = self.locale._data["date_fields"][unit]
        named = fields.get("relative", {})
        if numeric == "auto" and value in named:
            return named[value]
        patterns = fields["future" if value >= 0 else "past"]
        count = abs(value)
        pattern = patterns.get(self.locale.plural_form(count)) or patterns["other"]
        return pattern.replace("{0}", self.number(count))

    def relative_days(self, days: int, numeric: str = "auto") -> str:
        """A day relative to today: ``tomorrow``, ``in 3 days``, ``yesterday``."""
        return self.relative(days, "day", numeric)

    def _money(self, money: Money, frac: tuple[int, int]) -> str:
        pattern = self.locale.currency_formats["standard"]
        return self._render(pattern, money.to_decimal(), frac, currency=money.currency)

    def _named(self, money: Money, digits: int) -> str:
        """The amount in the locale's decimal format, then the currency's name for that count."""
        value = money.to_decimal()
        number = self._render(self.locale.decimal_formats[None], value, (digits, digits))
        pattern = get_currency_unit_pattern(money.currency, count=abs(value), locale=self.locale)
        name = get_currency_name(money.currency, count=abs(value), locale=self.locale)
        return pattern.format(number, name)

    def _render(
        self,
        pattern: NumberPattern,
        value: int | float | Decimal,
        frac: tuple[int, int],
        currency: str | None = None,
    ) -> str:
        """A number through a CLDR pattern, with CLDR's symbols and minimum grouping."""
        symbols = self._symbols
        group, decimal = symbols["group"], symbols["decimal"]
        if currency:
            group = symbols.get("currencyGroup", group)
            decimal = symbols.get("currencyDecimal", decimal)
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        number = number.scaleb(pattern.scale)
        negative = number.is_signed()
        # Rounds half to even, as Babel (and ICU4C's DecimalFormat) do.
        rounded = abs(number).quantize(Decimal(1).scaleb(-frac[1]))
        integer, _, fraction = f"{rounded:f}".partition(".")
        integer = integer.rjust(pattern.int_prec[0], "0")
        if len(integer) >= pattern.grouping[0] + self._min_grouping:
            integer = _group(integer, pattern.grouping, group)
        fraction = fraction.ljust(frac[0], "0")
        while len(fraction) > frac[0] and fraction.endswith("0"):
            fraction = fraction[:-1]
        digits = integer + (decimal + fraction if fraction else "")
        prefix = self._affix(pattern.prefix[negative], currency)
        suffix = self._affix(pattern.suffix[negative], currency)
        return prefix + digits + suffix

    def _affix(self, text: str, currency: str | None) -> str:
        """A pattern's prefix or suffix with its symbols localized and its quotes removed."""

        def localize(match: re.Match) -> str:
            token = match.group(0)
            if token.startswith("'"):
                return match.group(1) or "'"
            if token.startswith("¤"):
                if currency is None:
                    return token
                if token == "¤¤":
                    return currency
                return get_currency_symbol(currency, locale=self.locale)
            if token in _AFFIX_SYMBOLS:
                return self._symbols.get(_AFFIX_SYMBOLS[token], token)
            return token

        return _AFFIX_TOKEN.sub(localize, text)


def _group(integer: str, grouping: tuple[int, int], separator: str) -> str:
    """Digits with a separator every primary, then every secondary, group from the right."""
    size, groups = grouping[0], []
    while len(integer) > size:
        groups.insert(0, integer[-size:])
        integer = integer[:-size]
        size = grouping[1]
    return separator.join([integer, *groups])


@functools.cache
def number_symbols(name: str) -> dict[str, str]:
    """The Latin-digit number symbols of a locale, as CLDR has them."""
    symbols = dict(babel_locale(name).number_symbols["latn"])
    symbols.update(_SYMBOL_FIXES.get(name, {}))
    return symbols


def min_grouping_digits(name: str) -> int:
    """CLDR's minimumGroupingDigits for a locale (1 unless it says otherwise)."""
    language = name.split("_")[0]
    return _MIN_GROUPING_DIGITS.get(name, _MIN_GROUPING_DIGITS.get(language, 1))
