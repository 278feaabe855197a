"""Each trade-in market's terms, as data: deadlines, what acceptance collects, how long it is kept.

docs/tradein.md gives the law behind each figure; a market opens trade-in with the registry's
``trade_in`` flag and a row here (tests/tradein check that both agree).
"""

from __future__ import annotations

from dataclasses import dataclass

QUOTE_DAYS = 7  # a quote can be accepted for this long (its item's TTL until then)
CHECK_BUSINESS_DAYS = 2  # the refurbisher checks a device within this after it arrives
# A trade-in that ended without a purchase (device returned, never sent) keeps its personal
# data this long for a claim about the parcel, then TTL deletes the item.
UNBOUGHT_RETENTION_DAYS = 90
IDENTITY = ("given_name", "family_name", "email", "birth_date", "street", "postcode", "city")
# France: dealers in second-hand goods keep a register of each seller's identity document
# (Code pénal art. 321-7 and R. 321-3 onwards): its kind, number, date and issuing authority.
IDENTITY_DOCUMENT = ("id_kind", "id_number", "id_issued", "id_authority")
DECLARATIONS = ("owner", "unlocked", "erased")
ID_KINDS = ("identity_card", "passport", "residence_permit")


@dataclass(frozen=True)
class TradeInTerms:
    """What one market's trade-in asks and promises."""

    ship_days: int  # the shopper sends the device within this many days of accepting
    payout: str  # "iban" or "us_bank"
    fields: tuple[str, ...]  # personal details acceptance collects, in the form's order
    adult_age: int  # sellers must be at least this old
    # After a purchase the seller's identity stays this long for the law below (days).
    retention_days: int
    retention_law: str
    region_field: str = ""  # "state" where the address needs one (and the age depends on it)


TERMS: dict[str, TradeInTerms] = {
    "fr-fr": TradeInTerms(
        14, "iban", IDENTITY + IDENTITY_DOCUMENT, 18, 10 * 366,
        "Code pénal R. 321-8 (register of second-hand dealers) and Code de commerce L. 123-22",
    ),
    "de-de": TradeInTerms(
        14, "iban", IDENTITY, 18, 8 * 366, "Abgabenordnung § 147 and HGB § 257 (Buchungsbelege)"
    ),
    "es-es": TradeInTerms(14, "iban", IDENTITY, 18, 6 * 366, "Código de Comercio art. 30"),
    "en-gb": TradeInTerms(
        14, "iban", IDENTITY, 18, 6 * 366, "HMRC record keeping for traders (six years)"
    ),
    "en-us": TradeInTerms(
        21, "us_bank", IDENTITY[:5] + ("state",) + IDENTITY[5:], 18, 7 * 366,
        "IRS record keeping (26 CFR 1.6001-1), kept for the longest period of assessment",
        region_field="state",
    ),
}  # fmt: skip

# The age of majority where it is not 18 (the rest of the states and DC: 18).
US_ADULT_AGE = {"AL": 19, "NE": 19, "MS": 21}
US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
)  # fmt: skip


def terms_for(market: str) -> TradeInTerms | None:
    """The market's trade-in terms, or None where trade-in is closed."""
    return TERMS.get(market)


def adult_age(market: str, region: str = "") -> int:
    """How old a seller must be in this market (and US state)."""
    if market == "en-us":
        return US_ADULT_AGE.get(region, 18)
    return TERMS[market].adult_age
