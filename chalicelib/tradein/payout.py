"""The account a trade-in is paid to, per market: an IBAN, or a US routing and account number.

The payment rail follows the market's currency: euros go by SEPA credit transfer to an IBAN of
any SEPA country, pounds by Faster Payments to a UK (GB) IBAN, dollars by ACH to a routing and
account number. Values are normalized as typed (spaces, dashes, lower case) and never echoed:
``shown`` keeps their last four characters only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.kernel.markets import MARKETS
from chalicelib.tradein.sealed import last_four

# IBAN prefixes of the countries in the SEPA schemes' geographical scope (EPC409-09): the 27 EU
# states, the EEA's Iceland, Liechtenstein and Norway, then Andorra, Gibraltar, Monaco, San
# Marino, Switzerland, the UK and the Vatican. Territories bank under their state's prefix (the
# French overseas departments FR, Jersey, Guernsey and Man GB, Åland FI). The schemes' newest
# members (Albania, Moldova, Montenegro, North Macedonia, Serbia) join this list once the
# payment provider reaches them.
SEPA_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        "IS", "LI", "NO",
        "AD", "CH", "GB", "GI", "MC", "SM", "VA",
    }
)  # fmt: skip
# Which rail pays in each currency, and the IBAN countries it reaches.
KIND_BY_CURRENCY = {"EUR": "iban", "GBP": "iban", "USD": "us_bank"}
IBAN_COUNTRIES = {"EUR": SEPA_COUNTRIES, "GBP": frozenset({"GB"})}

IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
ACCOUNT_SHAPE = re.compile(r"[0-9]{4,17}")
# The Federal Reserve's routing symbol ranges that ACH reaches: banks (01-12), thrifts (21-32)
# and electronic transactions (61-72); 00 (the Treasury) and 80 (traveler's checks) are not.
ROUTING_PREFIXES = frozenset({*range(1, 13), *range(21, 33), *range(61, 73)})
SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class PayoutAccount:
    """A checked payout account: its kind, normalized fields and what a page may show."""

    kind: str
    fields: dict[str, str]
    shown: str


class PayoutError(ValueError):
    """A payout detail the seller must correct; ``code`` names what is wrong."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def payout_kind(market_code: str) -> str:
    """``us_bank`` or ``iban``: the account a market pays trade-ins to."""
    currency = MARKETS[market_code].currency
    if currency not in KIND_BY_CURRENCY:
        raise ValueError(f"no payout rail for {market_code}")
    return KIND_BY_CURRENCY[currency]


def parse_payout(market_code: str, form: Mapping[str, str]) -> PayoutAccount:
    """The payout account a form names, checked for the market; PayoutError if it is not valid."""
    if payout_kind(market_code) == "us_bank":
        return _us_bank(form)
    return _iban(form, IBAN_COUNTRIES[MARKETS[market_code].currency])


def _compact(value: str | None) -> str:
    return SEPARATORS.sub("", value or "")


def _iban(form: Mapping[str, str], countries: frozenset[str]) -> PayoutAccount:
    # Imported here: python-stdnum costs every eu and us cold start ~45 ms otherwise.
    from stdnum import iban as stdnum_iban
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

    number = _compact(form.get("iban")).upper()
    if not IBAN_SHAPE.fullmatch(number):
        raise PayoutError("iban_format")
    # stdnum checks mod-97 before the country's format, so a digit too few reads as a checksum
    # error: the format is checked first, with the right check digits, to tell the two apart.
    probe = number[:2] + stdnum_iban.calc_check_digits(number) + number[4:]
    try:
        stdnum_iban.validate(probe, check_country=False)
    except ValidationError:
        raise PayoutError("iban_format") from None
    try:
        stdnum_iban.validate(number)
    except InvalidChecksum:  # the IBAN's mod-97, or a country's own check digits (BE, ES, NO)
        raise PayoutError("iban_checksum") from None
    except InvalidComponent:
        # Only a bank code missing from stdnum's copy of Belgium's bank list gets here: a stale
        # list must not refuse a seller's real account (the transfer itself checks the bank).
        pass
    except ValidationError:
        raise PayoutError("iban_format") from None
    if number[:2] not in countries:
        raise PayoutError("iban_country")
    return PayoutAccount(kind="iban", fields={"iban": number}, shown=last_four(number))


def _us_bank(form: Mapping[str, str]) -> PayoutAccount:
    from stdnum.exceptions import ValidationError
    from stdnum.us import rtn

    routing, account = _compact(form.get("routing")), _compact(form.get("account"))
    if not (routing.isascii() and routing.isdigit() and len(routing) == 9):
        raise PayoutError("routing_format")
    if int(routing[:2]) not in ROUTING_PREFIXES:
        raise PayoutError("routing_format")
    try:
        rtn.validate(routing)
    except ValidationError:
        raise PayoutError("routing_checksum") from None
    if not ACCOUNT_SHAPE.fullmatch(account):
        raise PayoutError("account_format")
    return PayoutAccount(
        kind="us_bank",
        fields={"routing": routing, "account": account},
        shown=last_four(account),
    )
