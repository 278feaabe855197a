"""Formatting as each market writes it, and the gettext catalogs behind every market."""

import datetime as dt

import pytest

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.translations import catalog_path, loaded_chain, translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "code, amount, expected",
    [
        ("fr-fr", 34900, f"349,00{NBSP}€"),
        ("fr-fr", 134900, f"1{NNBSP}349,00{NBSP}€"),
        ("de-de", 134900, f"1.349,00{NBSP}€"),
        ("de-at", 34900, f"€{NBSP}349,00"),
        ("nl-nl", 34900, f"€{NBSP}349,00"),
        ("fi-fi", 134900, f"1{NBSP}349,00{NBSP}€"),
        ("en-gb", 29900, "£299.00"),
        ("en-ie", 134900, "€1,349.00"),
        ("en-us", 32900, "$329.00"),
        ("en-au", 44900, "$449.00"),
        ("sv-se", 399000, f"3{NBSP}990,00{NBSP}kr"),
        ("ja-jp", 39800, "￥39,800"),
        ("el-gr", 34900, f"349,00{NBSP}€"),
    ],
)
def test_price_reads_as_the_market_writes_it(code, amount, expected):
    market = MARKETS[code]
    assert Formatter(market).price(Money(amount, market.currency)) == expected


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
