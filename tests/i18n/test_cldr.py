"""Every market formats as CLDR says, to the character: the Formatter against ICU's output.

The reference is tests/i18n/cldr/fixture.json, written by ICU through Node's Intl; regenerate
it with ``node tests/i18n/cldr/make_fixture.mjs > tests/i18n/cldr/fixture.json``. docs/cldr.md
lists what Babel alone got wrong, how the Formatter corrects it, and the CLDR version
differences below.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from babel.core import get_cldr_version

from chalicelib.i18n.formatting import Formatter
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money, minor_digits

FIXTURE = json.loads((Path(__file__).parent / "cldr" / "fixture.json").read_text("utf-8"))
REFERENCE = FIXTURE["markets"]
ICU_CLDR = int(FIXTURE["cldr"].split(".")[0])
BABEL_CLDR = int(get_cldr_version().split(".")[0])

# Where CLDR itself changed between ICU's CLDR (48) and Babel's newer one (49): the Formatter
# follows the newer CLDR, so the expectation is ICU's text with the change applied. They only
# apply while the fixture's CLDR is older than Babel's: regenerated with an ICU on CLDR 49, the
# fixture must then match Babel as it is, which confirms (or refutes) each entry.
CLDR_CHANGES = {
    # CLDR 49 gives en_001 (parent of en_IE) the availableFormats item MMMMEd "E d MMMM";
    # CLDR 48 has none, so the skeleton widened its MMMEd "E, d MMM" to "E, d MMMM".
    ("en-ie", "date"): lambda icu: icu.replace(", ", " ", 1),
    # CLDR 49 drops en_AU's abbreviated months "June" and "July"; en_001's "Jun", "Jul" apply.
    ("en-au", "date_medium"): lambda icu: icu.replace("June", "Jun").replace("July", "Jul"),
}


def _number(text: str) -> int | float:
    """A fixture input as the app holds it: an int, or a float for a fraction."""
    return float(text) if "." in text else int(text)


def _relative(formatter: Formatter, value: int, unit: str, numeric: str) -> str:
    if unit == "day":
        return formatter.relative_days(value, numeric=numeric)
    return formatter.relative(value, unit, numeric=numeric)


# How to call the Formatter on one fixture case: the items before the last are its input.
ASPECTS = {
    # CLDR's currency format; Formatter.price writes some markets' shop style on top of it.
    "price": lambda f, case: f.money(Money(case[0], f.market.currency)),
    "price_short": lambda f, case: f.price_short(Money(case[0], f.market.currency)),
    "number": lambda f, case: f.number(_number(case[0])),
    "decimal1": lambda f, case: f.decimal1(_number(case[0])),
    "percent": lambda f, case: f.percent(_number(case[0])),
    "date": lambda f, case: f.date(dt.date.fromisoformat(case[0])),
    "date_medium": lambda f, case: f.date_medium(dt.date.fromisoformat(case[0])),
    "relative": lambda f, case: _relative(f, *case[:3]),
    "unit": lambda f, case: f.unit(_number(case[0]), case[1], case[2]),
}


def _reference(code: str) -> dict:
    return REFERENCE[MARKETS[code].html_lang]


def _expected(code: str, aspect: str, icu: str) -> str:
    change = CLDR_CHANGES.get((code, aspect))
    return change(icu) if change and ICU_CLDR < BABEL_CLDR else icu


def test_fixture_covers_every_market():
    assert sorted(REFERENCE) == sorted(m.html_lang for m in MARKETS.values())
    assert all(REFERENCE[m.html_lang]["currency"] == m.currency for m in MARKETS.values())


@pytest.mark.parametrize("aspect", list(ASPECTS))
@pytest.mark.parametrize("code", list(MARKETS))
def test_formats_as_cldr(code, aspect):
    formatter = Formatter(MARKETS[code])
    cases = _reference(code)[aspect]
    assert cases, f"no {aspect} cases in the fixture"
    got = [(case[:-1], ASPECTS[aspect](formatter, case)) for case in cases]
    want = [(case[:-1], _expected(code, aspect, case[-1])) for case in cases]
    # Compared as ascii() so that a U+00A0 / U+202F / U+2212 difference is legible.
    assert [(k, ascii(v)) for k, v in got] == [(k, ascii(v)) for k, v in want]


@pytest.mark.parametrize("code", list(MARKETS))
def test_currency_precision_and_symbol_as_cldr(code):
    market, reference = MARKETS[code], _reference(code)
    assert minor_digits(market.currency) == reference["currency_digits"]
    assert Formatter(market).currency_symbol == reference["currency_symbol"]


@pytest.mark.parametrize("key", list(CLDR_CHANGES))
def test_each_cldr_change_is_still_a_difference(key):
    """An entry whose change alters nothing in the fixture is stale: remove it."""
    code, aspect = key
    texts = [case[-1] for case in _reference(code)[aspect]]
    if ICU_CLDR >= BABEL_CLDR:
        pytest.skip(f"ICU's CLDR {ICU_CLDR} is not older than Babel's {BABEL_CLDR}")
    assert any(CLDR_CHANGES[key](text) != text for text in texts)
