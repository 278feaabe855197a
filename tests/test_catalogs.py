"""The gettext catalogs: complete, with every plural form and the msgid's placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from chalicelib.markets import MARKETS

LOCALES = Path(__file__).resolve().parent.parent / "locales"
CATALOGS = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|</?[a-z]+>")


def test_every_market_language_has_a_catalog():
    needed = {m.catalog_chain[-1] for m in MARKETS.values() if m.locale != "en_US"}
    assert needed <= set(CATALOGS), needed - set(CATALOGS)


@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_is_complete_and_keeps_placeholders(name):
    with (LOCALES / name / "LC_MESSAGES" / "messages.po").open("rb") as fileobj:
        catalog = read_po(fileobj)
    template = {m.id for m in read_po((LOCALES / "messages.pot").open("rb")) if m.id}
    problems = []
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        ids.add(message.id)
        plural = isinstance(message.id, tuple)
        source = message.id[-1] if plural else message.id
        strings = message.string if plural else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(source))
        if message.fuzzy:
            problems.append(f"fuzzy: {source!r}")
        if plural and len([s for s in strings if s]) < catalog.num_plurals:
            problems.append(f"{catalog.num_plurals} plural forms needed: {source!r}")
        for string in strings:
            if not string:
                problems.append(f"untranslated: {source!r}")
            elif sorted(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {source!r} -> {string!r}")
    assert not problems, problems
    assert ids == template, {"missing": template - ids, "obsolete": ids - template}
