"""The translation workflow: the check CI runs, the fallback chain, and what it catches."""

import shutil
import subprocess

import pytest

from chalicelib.i18n import checks
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tools import i18n


def test_the_catalogs_pass_the_check(capsys):
    assert i18n.check() == 0, capsys.readouterr().out


def test_every_market_language_has_a_full_catalog():
    for market in MARKETS.values():
        if market.locale != i18n.SOURCE_LOCALE:
            assert market.translation_chain[-1] in i18n.full_catalogs()
            assert i18n.po_path(market.translation_chain[-1]).exists()


@pytest.mark.parametrize(
    "name, categories", [("fr", {"one", "many", "other"}), ("sk", {"one", "few", "other"})]
)
def test_plural_forms_follow_cldr(name, categories):
    assert checks.integer_plural_categories(name) == categories
    assert i18n.read(i18n.po_path(name)).num_plurals >= len(categories)


def test_a_template_the_extractor_cannot_parse_fails(tmp_path):
    shutil.copy(i18n.ROOT / "babel.cfg", tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "broken.html").write_text("{% trans %}Hello{% endtran %}")
    with pytest.raises(subprocess.CalledProcessError):
        i18n.extract(tmp_path / "out.pot", root=tmp_path)


def test_a_check_finds_an_untranslated_entry(tmp_path, monkeypatch):
    broken = tmp_path / "fr" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    text = i18n.po_path("fr").read_text()
    broken.joinpath("messages.po").write_text(text.replace('msgstr "Rechercher"', 'msgstr ""', 1))
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    template = {m.id for m in i18n.read(i18n.TEMPLATE) if m.id}
    assert i18n.problems_of("fr", template, full=True) == ["fr: untranslated: 'Search'"]


@pytest.mark.parametrize("code", list(MARKETS))
def test_every_message_resolves_through_the_chain(code):
    translations = translations_for(MARKETS[code].translation_chain)
    for message in i18n.read(i18n.TEMPLATE):
        if message.id and not isinstance(message.id, tuple):
            assert translations.gettext(message.id).strip()


def test_an_override_wins_and_the_rest_falls_through():
    chain = MARKETS["nl-be"].translation_chain
    overrides = {m.id: m.string for m in i18n.read(i18n.po_path(chain[0])) if m.id}
    parent = {m.id: m.string for m in i18n.read(i18n.po_path(chain[1])) if m.id}
    belgian, dutch = translations_for(chain), translations_for(MARKETS["nl-nl"].translation_chain)
    overridden = next(mid for mid in overrides if isinstance(mid, str))
    assert belgian.gettext(overridden) == overrides[overridden]
    assert dutch.gettext(overridden) == parent[overridden]
    kept = next(mid for mid in parent if isinstance(mid, str) and mid not in overrides)
    assert belgian.gettext(kept) == parent[kept]
