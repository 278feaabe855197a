"""The largest acceptance each market takes fits KMS Encrypt: at most 4,096 bytes a sealed part."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

from chalicelib.tradein import payout, terms
from chalicelib.tradein.collect import DetailsRefused, _clean, read_details
from chalicelib.tradein.sealed import MAX_PLAINTEXT_BYTES, canonical
from tests.tradein.conftest import OPEN, details

TODAY = dt.date(2026, 6, 15)
WIDEST = "𝔸"  # a letter of 4 bytes in UTF-8: no character a field keeps takes more (below)
# The longest value each free-text field takes, in characters (chalicelib/tradein/collect.py).
LONGEST = {"given_name": 80, "family_name": 80, "street": 120, "city": 120, "id_authority": 120}
EMAIL_LONGEST, EMAIL_LOCAL = 254, 64
# The longest postcode of each market, in the widest digits its pattern (\d) takes.
# Postcodes are read in NFKC, so a 4-byte digit is stored as its ASCII digit (1 byte).
POSTCODES = {"fr-fr": "𝟗" * 5, "de-de": "𝟗" * 5, "es-es": "4" + "𝟗" * 4,
             "en-gb": "WC𝟗W 𝟗AA", "en-us": "𝟗" * 5 + "-" + "𝟗" * 4}  # fmt: skip
# The longest account each market pays to: Malta's IBAN (31) is the longest of SEPA's countries.
ACCOUNTS = {"en-us": {"routing": "011000015", "account": "9" * 17},
            "en-gb": {"iban": "GB82 WEST 1234 5698 7654 32"}}  # fmt: skip
MALTA = "MT84 MALT 0110 0001 2345 MTLC AST0 01S"


def email(length: int) -> str:
    """An address of ``length`` characters, all but '@' and one '.' 4-byte letters."""
    domain = length - EMAIL_LOCAL - 1
    return f"{WIDEST * EMAIL_LOCAL}@{WIDEST * (domain - 2)}.{WIDEST}"


def largest_form(market: str, **changes: str) -> dict[str, str]:
    """The acceptance form of the market with every field at its longest and widest."""
    form = details(market, id_kind=max(terms.ID_KINDS, key=len), id_number="Z" * 20,
                   id_issued="2019-03-04", id_authority=WIDEST * LONGEST["id_authority"],
                   email=email(EMAIL_LONGEST), postcode=POSTCODES[market],
                   **ACCOUNTS.get(market, {"iban": MALTA}))  # fmt: skip
    form.update({name: WIDEST * length for name, length in LONGEST.items()})
    return {**form, **changes}


def test_no_character_a_field_keeps_takes_more_than_4_bytes_in_the_sealed_json():
    kept = [chr(c) for c in range(sys.maxunicode + 1) if _clean(chr(c)) == chr(c)]
    widths = {c: len(json.dumps(c, ensure_ascii=False).encode("utf-8")) - 2 for c in kept}
    assert max(widths.values()) == 4 == widths[WIDEST]
    assert widths['"'] == widths["\\"] == 2  # the only characters JSON escapes that a field keeps
    assert _clean("a\x00b") == _clean("a\u200bb") == ""  # a control or format character: refused


@pytest.mark.parametrize("market", OPEN)
def test_the_largest_acceptance_fits_one_kms_encrypt_per_part(market):
    accepted = read_details(market, largest_form(market), TODAY)
    for name, length in LONGEST.items():
        if name in accepted.identity:
            assert len(accepted.identity[name]) == length
    assert len(accepted.identity["email"]) == EMAIL_LONGEST
    identity, account = canonical(accepted.identity), canonical(accepted.payout.fields)
    assert len(identity) <= MAX_PLAINTEXT_BYTES and len(account) <= MAX_PLAINTEXT_BYTES
    # France collects the identity document too: the largest part of all, with room left.
    if market == "fr-fr":
        assert len(identity) == 3309


@pytest.mark.parametrize(
    ("market", "name"),
    [(m, n) for m in OPEN for n in (*LONGEST, "email", "id_number") if n in terms.TERMS[m].fields],
)
def test_a_character_more_than_the_longest_is_refused(market, name):
    longer = {"email": email(EMAIL_LONGEST + 1), "id_number": "Z" * 21}
    form = largest_form(market, **{name: longer.get(name, WIDEST * (LONGEST.get(name, 0) + 1))})
    with pytest.raises(DetailsRefused) as refused:
        read_details(market, form, TODAY)
    assert list(refused.value.problems) == [name]


def test_no_account_a_market_pays_to_is_longer_than_34_ascii_characters():
    assert payout.IBAN_SHAPE.fullmatch("FR76" + "9" * 30)
    assert not payout.IBAN_SHAPE.fullmatch("FR76" + "9" * 31)
    assert not payout.IBAN_SHAPE.fullmatch("FR76" + "𝟗" * 23)  # its classes are ASCII ranges
    assert not payout.ACCOUNT_SHAPE.fullmatch("9" * 18)
    widest = {"routing": "9" * 9, "account": "9" * 17}
    assert len(canonical({"iban": "X" * 34})) < len(canonical(widest)) < 100
