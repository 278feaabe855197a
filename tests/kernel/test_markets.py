"""The market registry: the 18 markets of the design brief and their derived values."""

import pytest

from chalicelib.kernel import markets

EXPECTED = {
    "fr-fr": ("fr_FR", "EUR", "eu", True),
    "fr-be": ("fr_BE", "EUR", "eu", False),
    "nl-be": ("nl_BE", "EUR", "eu", False),
    "de-de": ("de_DE", "EUR", "eu", True),
    "de-at": ("de_AT", "EUR", "eu", False),
    "es-es": ("es_ES", "EUR", "eu", True),
    "it-it": ("it_IT", "EUR", "eu", False),
    "nl-nl": ("nl_NL", "EUR", "eu", False),
    "pt-pt": ("pt_PT", "EUR", "eu", False),
    "en-gb": ("en_GB", "GBP", "eu", True),
    "en-ie": ("en_IE", "EUR", "eu", False),
    "fi-fi": ("fi_FI", "EUR", "eu", False),
    "sv-se": ("sv_SE", "SEK", "eu", False),
    "el-gr": ("el_GR", "EUR", "eu", False),
    "sk-sk": ("sk_SK", "EUR", "eu", False),
    "en-us": ("en_US", "USD", "us", True),
    "ja-jp": ("ja_JP", "JPY", "ap", False),
    "en-au": ("en_AU", "AUD", "ap", False),
}


def test_registry_is_the_design_table():
    got = {m.code: (m.locale, m.currency, m.stage, m.trade_in) for m in markets.MARKETS.values()}
    assert got == EXPECTED


@pytest.mark.parametrize("code", list(EXPECTED))
def test_market_terms_are_set(code):
    market = markets.MARKETS[code]
    assert market.warranty_months >= 12
    assert market.return_days >= 14
    assert 0 < market.delivery_days[0] <= market.delivery_days[1]
    assert market.html_lang == market.locale.replace("_", "-")


def test_portugal_never_falls_back_to_brazilian_portuguese():
    assert "pt" not in markets.MARKETS["pt-pt"].translation_chain
    assert "pt" not in markets.MARKETS["pt-pt"].text_chain


@pytest.mark.parametrize(
    "spelling, code",
    [("FR-FR", "fr-fr"), ("fr_FR", "fr-fr"), ("Nl-Be", "nl-be"), ("en_us", "en-us")],
)
def test_other_spellings_map_to_the_code(spelling, code):
    assert markets.canonical_code(spelling) == code


@pytest.mark.parametrize("spelling", ["fr", "fr-ca", "pt-br", "", "../etc", "fr-fr-fr"])
def test_unknown_spellings_map_to_nothing(spelling):
    assert markets.canonical_code(spelling) is None


def test_stages_split_the_markets():
    assert [m.code for m in markets.for_stage("us")] == ["en-us"]
    assert {m.code for m in markets.for_stage("ap")} == {"ja-jp", "en-au"}
    assert len(markets.for_stage("eu")) == 15
