"""The seller's details an acceptance collects, checked field by field in the market's rules."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.i18n import N_
from chalicelib.tradein import terms
from chalicelib.tradein.payout import PayoutAccount, PayoutError, parse_payout
from chalicelib.tradein.sealed import last_four

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# ASCII digits only: \d alone takes any script's digits ("٧٥٠٠٢").
POSTCODES = {
    "fr-fr": re.compile(r"^\d{5}$", re.ASCII),
    "de-de": re.compile(r"^\d{5}$", re.ASCII),
    "es-es": re.compile(r"^(0[1-9]|[1-4]\d|5[0-2])\d{3}$", re.ASCII),
    "en-gb": re.compile(r"^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$", re.ASCII),
    "en-us": re.compile(r"^\d{5}(-\d{4})?$", re.ASCII),
}
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
ID_NUMBER = re.compile(r"^[A-Z0-9]{6,20}$")
OLDEST_YEARS = 120
# What a shopper reads beside a field that was refused, by the refusal's code.
MESSAGES = {
    "required": N_("Please fill this in."),
    "name": N_("Please write your name as on your bank account, in letters."),
    "email": N_("Please enter an email address like name@example.com."),
    "date": N_("Please enter a date as day, month and year."),
    "minor": N_("You must be %(age)s or older to sell a device."),
    "postcode": N_("Please enter a valid postcode."),
    "state": N_("Please choose your state."),
    "text": N_("Please enter between 2 and 120 characters."),
    "id_kind": N_("Please choose the kind of document."),
    "id_number": N_("Please enter the document number: 6 to 20 letters and digits."),
    "id_issued": N_("Please enter the date the document was issued: a past date."),
    "declaration": N_("Please confirm this to sell your device."),
    "iban_format": N_("This IBAN has the wrong length or characters for its country."),
    "iban_checksum": N_("This IBAN has a typing error: please check each character."),
    "iban_country": N_("We can only pay into an account in this country's payment area."),
    "routing_format": N_("A routing number has 9 digits."),
    "routing_checksum": N_("This routing number has a typing error: please check it."),
    "account_format": N_("An account number has 4 to 17 digits."),
}


@dataclass
class Details:
    """A valid acceptance: what is sealed, and the little that pages may show."""

    identity: dict[str, str]
    payout: PayoutAccount
    shown: dict[str, str] = field(default_factory=dict)


class DetailsRefused(ValueError):
    """Fields refused, by name, with the code of their message (MESSAGES)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(problems)))
        self.problems = problems


def _clean(value: str | None) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip())
    return "" if any(unicodedata.category(c)[0] == "C" for c in text) else " ".join(text.split())


def _date(text: str) -> dt.date | None:
    # Only what a date field sends: fromisoformat also takes 20200101 and 2020-W01-1.
    try:
        return dt.date.fromisoformat(text) if ISO_DATE.match(text) else None
    except ValueError:
        return None


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _name(text: str) -> bool:
    return 1 <= len(text) <= 80 and all(c.isalpha() or c in " -'’." for c in text)


def read_details(market: str, form: Mapping[str, str], today: dt.date) -> Details:
    """The seller's details from the acceptance form; DetailsRefused lists what is wrong."""
    rules = terms.TERMS[market]
    values = {name: _clean(form.get(name)) for name in rules.fields}
    problems: dict[str, str] = {}
    for name, value in values.items():
        if not value:
            problems[name] = "required"
        elif name in ("given_name", "family_name") and not _name(value):
            problems[name] = "name"
        elif name == "email" and not (len(value) <= 254 and EMAIL.match(value)):
            problems[name] = "email"
        elif name == "postcode":  # fullwidth digits ("７５００２") read as what they mean
            values[name] = value = unicodedata.normalize("NFKC", value).upper()
            if not POSTCODES[market].match(value):
                problems[name] = "postcode"
        elif name == "state" and value not in terms.US_STATES:
            problems[name] = "state"
        elif name in ("street", "city", "id_authority") and not 2 <= len(value) <= 120:
            problems[name] = "text"
        elif name == "id_kind" and value not in terms.ID_KINDS:
            problems[name] = "id_kind"
        elif name == "id_number":
            values[name] = value = value.replace(" ", "").upper()
            if not ID_NUMBER.match(value):
                problems[name] = "id_number"
    _check_dates(market, values, problems, today)
    for name in terms.DECLARATIONS:
        if form.get(name) != "yes":
            problems[name] = "declaration"
    payout = None
    try:
        payout = parse_payout(market, form)
    except PayoutError as error:
        problems[_payout_field(error.code)] = error.code
    if problems or payout is None:
        raise DetailsRefused(problems)
    shown = {"payout": payout.shown}
    if "id_number" in values:
        shown["id_number"] = last_four(values["id_number"])
    return Details(values, payout, shown)


def _check_dates(
    market: str, values: dict[str, str], problems: dict[str, str], today: dt.date
) -> None:
    born = _date(values.get("birth_date", ""))
    if values.get("birth_date") and "birth_date" not in problems:
        if born is None or born > today or _age(born, today) > OLDEST_YEARS:
            problems["birth_date"] = "date"
        elif _age(born, today) < terms.adult_age(market, values.get("state", "")):
            problems["birth_date"] = "minor"
    if values.get("id_issued") and "id_issued" not in problems:
        issued = _date(values["id_issued"])
        if issued is None or issued > today or issued.year < today.year - 50:
            problems["id_issued"] = "id_issued"


def _payout_field(code: str) -> str:
    return "iban" if code.startswith("iban") else code.split("_")[0]
