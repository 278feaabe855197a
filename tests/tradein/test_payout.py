"""Payout accounts: IBANs for euro markets and the UK, routing and account numbers for the US."""

from __future__ import annotations

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.tradein.payout import PayoutAccount, PayoutError, parse_payout, payout_kind

TRADE_IN_MARKETS = sorted(code for code, market in MARKETS.items() if market.trade_in)
EURO_TRADE_IN = [code for code in TRADE_IN_MARKETS if MARKETS[code].currency == "EUR"]
EXAMPLE_IBANS = {
    "DE": "DE89370400440532013000",
    "GB": "GB82WEST12345698765432",
    "ES": "ES9121000418450200051332",
    "FR": "FR1420041010050500013M02606",
}


def typed(number: str) -> str:
    """An IBAN as a seller types it: lower case, in groups of four."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)).lower()


def refusal(market: str, form: dict[str, str]) -> str:
    with pytest.raises(PayoutError) as caught:
        parse_payout(market, form)
    return caught.value.code


def test_the_five_trade_in_markets_pay_by_their_rail():
    assert TRADE_IN_MARKETS == ["de-de", "en-gb", "en-us", "es-es", "fr-fr"]
    assert {code: payout_kind(code) for code in TRADE_IN_MARKETS} == {
        "de-de": "iban",
        "en-gb": "iban",
        "en-us": "us_bank",
        "es-es": "iban",
        "fr-fr": "iban",
    }
    assert payout_kind("it-it") == "iban"  # any euro market


@pytest.mark.parametrize("market", EURO_TRADE_IN)
@pytest.mark.parametrize("country", sorted(EXAMPLE_IBANS))
def test_a_euro_market_takes_an_iban_of_any_sepa_country_as_typed(market, country):
    number = EXAMPLE_IBANS[country]
    account = parse_payout(market, {"iban": typed(number)})
    assert account == PayoutAccount(
        kind="iban", fields={"iban": number}, shown=f"•••• {number[-4:]}"
    )
    assert number[4:-4] not in account.shown


def test_the_uk_takes_a_uk_iban_as_typed_and_shows_its_last_four_only():
    account = parse_payout("en-gb", {"iban": " gb82 west 1234 5698 7654 32 "})
    assert account.fields == {"iban": "GB82WEST12345698765432"}
    assert account.shown == "•••• 5432"


@pytest.mark.parametrize(
    ("market", "typed_iban", "code"),
    [
        ("de-de", "DE89370400440532013001", "iban_checksum"),  # last digit one off
        ("fr-fr", "FR1420041010050500013M02607", "iban_checksum"),
        ("en-gb", "GB82WEST12345698765433", "iban_checksum"),
        # check digits right, Spain's own bank and account check digits wrong
        ("es-es", "ES6421000418450200051333", "iban_checksum"),
        ("de-de", "DE8937040044053201300", "iban_format"),  # a digit too few
        ("es-es", "ES91210004184502000513320", "iban_format"),  # a digit too many
        ("en-gb", "GB82WEST1234569876543Z", "iban_format"),  # a letter where digits go
        ("fr-fr", "XX89370400440532013000", "iban_format"),  # no such country
        ("fr-fr", "FR14/2004/1010/0505/0001/3M02/606", "iban_format"),
        ("de-de", "", "iban_format"),
        ("en-gb", "DE89370400440532013000", "iban_country"),  # UK payouts: GB IBANs only
        ("fr-fr", "SA0380000000608010167519", "iban_country"),  # valid, outside SEPA
        ("de-de", "TR330006100519786457841326", "iban_country"),
    ],
)
def test_a_wrong_iban_is_refused_with_what_is_wrong(market, typed_iban, code):
    assert refusal(market, {"iban": typed_iban}) == code


def test_sepa_reaches_beyond_the_euro_area_but_not_beyond_sepa():
    assert parse_payout("es-es", {"iban": "CH9300762011623852957"}).fields["iban"][:2] == "CH"
    assert parse_payout("de-de", {"iban": "NO9386011117947"}).shown == "•••• 7947"


def test_a_country_s_own_check_digits_count_but_not_a_stale_bank_list():
    assert refusal("fr-fr", {"iban": "BE41091811735141"}) == "iban_checksum"  # national digits
    # Bank 539 is not in stdnum's copy of Belgium's list; its check digits are all right.
    assert parse_payout("fr-fr", {"iban": "BE68 5390 0754 7034"}).fields == {
        "iban": "BE68539007547034"
    }


@pytest.mark.parametrize(
    ("routing", "account"),
    [("011000015", "123456789"), ("021-000-021", "0001 2345"), (" 111000025 ", "1234")],
)
def test_the_us_takes_a_routing_and_account_number_as_typed(routing, account):
    parsed = parse_payout("en-us", {"routing": routing, "account": account})
    digits = "".join(c for c in account if c.isdigit())
    assert parsed == PayoutAccount(
        kind="us_bank",
        fields={"routing": "".join(c for c in routing if c.isdigit()), "account": digits},
        shown=f"•••• {digits[-4:]}",
    )


@pytest.mark.parametrize(
    ("routing", "account", "code"),
    [
        ("021000022", "123456789", "routing_checksum"),  # last digit one off
        ("011000016", "123456789", "routing_checksum"),
        ("02100002", "123456789", "routing_format"),  # eight digits
        ("0210000211", "123456789", "routing_format"),
        ("02100002A", "123456789", "routing_format"),
        ("000000000", "123456789", "routing_format"),  # passes 3-7-1, not a bank's symbol
        ("", "123456789", "routing_format"),
        ("021000021", "123", "account_format"),  # three digits
        ("021000021", "123456789012345678", "account_format"),  # eighteen
        ("021000021", "12345X", "account_format"),
        ("021000021", "", "account_format"),
    ],
)
def test_a_wrong_us_account_is_refused_with_what_is_wrong(routing, account, code):
    assert refusal("en-us", {"routing": routing, "account": account}) == code


def test_a_us_market_ignores_an_iban_and_a_euro_market_a_routing_number():
    assert refusal("en-us", {"iban": EXAMPLE_IBANS["DE"]}) == "routing_format"
    assert refusal("fr-fr", {"routing": "021000021", "account": "123456789"}) == "iban_format"


@pytest.mark.parametrize("market", ["ja-jp", "en-au", "sv-se"])
def test_a_market_without_a_payout_rail_is_a_programming_error(market):
    with pytest.raises(ValueError) as caught:
        payout_kind(market)
    assert not isinstance(caught.value, PayoutError)
