"""The editor's rules on one message: the i18n checks, per market, and the .po round trip."""

from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po

from chalicelib.admin.catalog import by_key, plural_forms, shipped_text, source_messages
from chalicelib.admin.editor import validate
from chalicelib.admin.po import export_po, read_import
from chalicelib.i18n.checks import integer_plural_categories
from chalicelib.kernel.markets import MARKETS

PLURAL = next(m for m in source_messages() if m.plural is not None and "%(n)s" in m.plural)
HEADLINE = by_key()["Best deals right now"]


@pytest.mark.parametrize("code", MARKETS)
def test_every_market_asks_for_each_plural_form_its_language_needs(code):
    market = MARKETS[code]
    forms = plural_forms(market)
    assert len(forms) >= len(integer_plural_categories(market.locale))
    assert all(form.examples for form in forms)  # each form is shown with numbers that use it
    complete = tuple("%(n)s x" for _ in forms)
    assert validate(market, PLURAL, complete) == []
    if len(forms) > 1:
        codes = [p.code for p in validate(market, PLURAL, complete[:-1])]
        assert "plurals" in codes


@pytest.mark.parametrize("code", MARKETS)
def test_every_market_shows_where_its_text_comes_from(code):
    market = MARKETS[code]
    strings, layer = shipped_text(market, HEADLINE)
    assert layer in (*market.translation_chain, "msgid")
    assert strings and strings[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dès %(price)s", "placeholders"),
        ("<s>Bonnes</s> affaires", "markup"),
        ("x" * 41, "too_long"),
        ("", "untranslated"),
    ],
)
def test_the_checks_refuse_what_make_i18n_check_refuses(text, code):
    assert code in [p.code for p in validate(MARKETS["fr-be"], HEADLINE, (text,))]


def test_markup_must_stay_as_the_source_has_it():
    source = next(m for m in source_messages() if "<s>" in m.msgid)
    market = MARKETS["fr-fr"]
    swapped = source.msgid.replace("<s>", "</s>", 1)
    assert validate(market, source, (source.msgid.replace("new", "neuf"),)) == []
    assert "markup" in [p.code for p in validate(market, source, (swapped,))]
    bold = source.msgid.replace("<s>", "<b>").replace("</s>", "</b>")
    assert "markup" in [p.code for p in validate(market, source, (bold,))]


def test_export_keeps_contexts_plural_forms_and_budgets():
    market = MARKETS["sk-sk"]
    published = {
        PLURAL.key: ("%(n)s deň", "%(n)s dni", "%(n)s dní"),
        HEADLINE.key: ("Najlepšie ponuky",),
    }
    catalog = read_po(io.BytesIO(export_po(market, "sk-sk", published)))
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert entries[PLURAL.msgid].string == ("%(n)s deň", "%(n)s dni", "%(n)s dní")
    assert entries[HEADLINE.msgid].string == "Najlepšie ponuky"
    assert any("40 characters" in c for c in entries[HEADLINE.msgid].auto_comments)
    assert catalog.num_plurals == 3


def test_an_import_is_matched_checked_and_reported():
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Best deals right now"\nmsgstr "Les affaires"\n\n'
        'msgid "Shop by category"\nmsgstr "Dès %(price)s"\n\n'
        'msgid "Not a message of ours"\nmsgstr "x"\n\n'
        '#, fuzzy\nmsgid "Search"\nmsgstr "Chercher"\n'
    )
    report = read_import(MARKETS["fr-be"], po)
    assert [m.source.msgid for m in report.valid] == ["Best deals right now"]
    bad = [m for m in report.messages if m.problems]
    assert [p.code for p in bad[0].problems] == ["placeholders"]
    assert report.unknown == ("Not a message of ours",)
    assert report.skipped == ("Search",)
    assert read_import(MARKETS["fr-be"], 'msgid "unterminated').error is not None
