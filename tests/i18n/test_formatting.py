"""Formatting as each market writes it, and the gettext catalogs behind every market."""

import datetime as dt

import pytest

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import catalog_path, loaded_chain, translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money

NBSP, NNBSP = "\u00a0", "\u202f"


# Every market's price as its shops write it (docs/i18n.md): a whole amount, then one with
# minor units. Sweden and Australia drop the decimals of whole amounts; Japan writes 円.
SHOP_PRICES = {
    "fr-fr": (40900, f"409,00{NBSP}€", 123450, f"1{NNBSP}234,50{NBSP}€"),
    "fr-be": (40900, f"409,00{NBSP}€", 123450, f"1{NNBSP}234,50{NBSP}€"),
    "nl-be": (40900, f"€{NBSP}409,00", 123450, f"€{NBSP}1.234,50"),
    "de-de": (40900, f"409,00{NBSP}€", 123450, f"1.234,50{NBSP}€"),
    "de-at": (40900, f"€{NBSP}409,00", 123450, f"€{NBSP}1.234,50"),
    "es-es": (40900, f"409,00{NBSP}€", 123450, f"1234,50{NBSP}€"),
    "it-it": (40900, f"409,00{NBSP}€", 1234550, f"12.345,50{NBSP}€"),
    "nl-nl": (40900, f"€{NBSP}409,00", 123450, f"€{NBSP}1.234,50"),
    "pt-pt": (40900, f"409,00{NBSP}€", 1234550, f"12{NBSP}345,50{NBSP}€"),
    "en-gb": (29900, "£299.00", 123450, "£1,234.50"),
    "en-ie": (40900, "€409.00", 123450, "€1,234.50"),
    "fi-fi": (40900, f"409,00{NBSP}€", 123450, f"1{NBSP}234,50{NBSP}€"),
    "sv-se": (399000, f"3{NBSP}990{NBSP}kr", 399550, f"3{NBSP}995,50{NBSP}kr"),
    "el-gr": (40900, f"409,00{NBSP}€", 123450, f"1.234,50{NBSP}€"),
    "sk-sk": (40900, f"409,00{NBSP}€", 123450, f"1{NBSP}234,50{NBSP}€"),
    "en-us": (40900, "$409.00", 123450, "$1,234.50"),
    "ja-jp": (39800, "39,800円", 1234500, "1,234,500円"),
    "en-au": (44900, "$449", 123450, "$1,234.50"),
}


def test_every_market_has_its_shop_prices():
    assert sorted(SHOP_PRICES) == sorted(MARKETS)


@pytest.mark.parametrize("code", list(MARKETS))
def test_price_reads_as_the_market_shops_write_it(code):
    market, (whole, shown, other, other_shown) = MARKETS[code], SHOP_PRICES[code]
    fmt = Formatter(market)
    assert fmt.price(Money(whole, market.currency)) == shown
    assert fmt.price(Money(other, market.currency)) == other_shown


@pytest.mark.parametrize("code", list(MARKETS))
def test_prices_shown_together_keep_decimals_alike(code):
    market, (whole, shown, other, other_shown) = MARKETS[code], SHOP_PRICES[code]
    fmt = Formatter(market)
    whole, other = Money(whole, market.currency), Money(other, market.currency)
    together = fmt.aligned([whole], [None, other])
    # the whole amount as CLDR writes it (with its decimals) where the market drops them
    assert together.price(whole) == (shown if code == "ja-jp" else fmt.money(whole))
    assert together.price(other) == other_shown
    assert fmt.aligned([whole], [None]).price(whole) == shown
    assert fmt.price(whole) == shown  # the formatter asked is left as it was


@pytest.mark.parametrize(
    "code, amount, expected",
    [
        ("sv-se", 399000, f"3{NBSP}990,00{NBSP}kr"),
        ("ja-jp", 39800, "￥39,800"),
        ("en-au", 44900, "$449.00"),
        ("fr-fr", 34900, f"349,00{NBSP}€"),
    ],
)
def test_money_is_cldr_currency_format_at_full_precision(code, amount, expected):
    market = MARKETS[code]
    assert Formatter(market).money(Money(amount, market.currency)) == expected


def test_yen_has_no_minor_unit():
    assert Money(39800, "JPY").to_decimal() == 39800


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money(349.0, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "code, expected",
    [
        ("fr-fr", "jeu. 3 décembre"),
        ("de-de", "Do., 3. Dezember"),
        ("en-us", "Thu, December 3"),
        ("en-gb", "Thu 3 December"),
        ("ja-jp", "12月3日(木)"),
        ("pt-pt", "quinta, 3 de dezembro"),
        ("el-gr", "Πέμ 3 Δεκεμβρίου"),
    ],
)
def test_delivery_dates_are_localized(code, expected):
    assert Formatter(MARKETS[code]).date(dt.date(2026, 12, 3)) == expected


@pytest.mark.parametrize("code", [c for c, m in MARKETS.items() if m.language != "en"])
def test_every_non_english_market_has_its_catalog(code):
    market = MARKETS[code]
    assert loaded_chain(market.translation_chain), (
        f"no compiled catalog for {market.translation_chain}"
    )
    translated = translations_for(market.translation_chain).gettext("Search")
    assert translated != "Search"


@pytest.mark.parametrize("code", ["en-gb", "en-ie", "en-au"])
def test_british_spelling_outside_the_us(code):
    assert translations_for(MARKETS[code].translation_chain).gettext("Color") == "Colour"
    assert catalog_path("en_GB").exists()


def test_missing_catalog_falls_back_to_the_msgid():
    assert translations_for(("xx_XX",)).gettext("Search") == "Search"
