"""legal/<market>.json: every market's operator facts and legal pages, checked as data."""

import copy
import re
import unicodedata

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.storefront import legal

CODES = list(MARKETS)
# Words frequent in one language and rare in the others: enough to tell which language a page
# is written in (the lead reviews the wording itself).
MARKERS = {
    "en": {"the", "and", "of", "to", "you", "is", "we", "your", "for", "it"},
    "fr": {"le", "les", "et", "vous", "est", "une", "pour", "du", "des", "au"},
    "nl": {"het", "een", "en", "van", "u", "is", "niet", "voor", "we", "dat"},
    "de": {"der", "die", "das", "und", "sie", "ist", "nicht", "den", "ein", "wir"},
    "es": {"el", "los", "las", "y", "su", "del", "es", "lo", "se", "le"},
    "it": {"il", "di", "che", "e", "per", "non", "gli", "della", "è", "lei"},
    "pt": {"o", "os", "não", "um", "uma", "ao", "do", "da", "é", "à"},
    "fi": {"ja", "on", "tai", "ei", "sinun", "voit", "kun", "jos", "sen", "että"},
    "sv": {"och", "att", "är", "det", "du", "inte", "för", "som", "på", "vi"},
    "sk": {"a", "je", "na", "sa", "alebo", "nie", "pre", "od", "sú", "ako"},
}
WORD = re.compile(r"[^\W\d_]+")
TOKUSHOHO_LABELS = (
    "販売業者",
    "運営統括責任者",
    "所在地",
    "電話番号",
    "メールアドレス",
    "販売価格",
    "商品代金以外の必要料金",
    "支払方法",
    "支払時期",
    "引渡時期",
    "返品・交換（返品特約）",
)


def texts(page: legal.Page) -> list[str]:
    """Everything a page says: title, headings, paragraphs and table cells."""
    found = [page.title]
    for section in page.sections:
        found += [section.heading, *section.paragraphs, *(c for row in section.rows for c in row)]
    return found


def language_of(text: str) -> str:
    """The language whose marker words the text uses most, or its script's language."""
    letters = [c for c in text if c.isalpha()]
    scripts = {unicodedata.name(c, "").split()[0] for c in letters}
    kana = sum(unicodedata.name(c, "").startswith(("HIRAGANA", "KATAKANA")) for c in letters)
    if kana > len(letters) / 10:
        return "ja"
    if sum(unicodedata.name(c, "").startswith("GREEK") for c in letters) > len(letters) / 2:
        return "el"
    assert scripts, text
    words = [w.lower() for w in WORD.findall(text)]
    return max(MARKERS, key=lambda lang: sum(w in MARKERS[lang] for w in words))


@pytest.mark.parametrize("code", CODES)
def test_every_market_has_a_legal_file_that_passes_the_check(code):
    raw = legal.read(code)
    assert legal.problems(MARKETS[code], raw) == []
    assert legal.path_of(code).stat().st_size < 16_000  # a few KB: read once per process


@pytest.mark.parametrize("code", CODES)
def test_every_page_is_written_in_the_markets_language(code):
    market = MARKETS[code]
    data = legal.legal_for(code)
    assert data.lang == market.html_lang
    for slug, page in data.pages.items():
        assert language_of(" ".join(texts(page))) == market.language, (code, slug)


@pytest.mark.parametrize("code", CODES)
def test_every_market_has_every_page_with_a_title_and_sections(code):
    data = legal.legal_for(code)
    assert list(data.pages) == list(legal.page_slugs(code))
    assert set(legal.PAGES) <= set(data.pages)
    titles = [page.title for page in data.pages.values()]
    assert len(set(titles)) == len(titles), titles  # the footer tells them apart
    for page in data.pages.values():
        assert page.sections and all(t.strip() for t in texts(page))
        assert not [t for t in texts(page) if "{" in t or "}" in t], "a fact left unfilled"


def test_only_japan_has_the_tokushoho_page_and_it_states_article_11():
    assert [c for c in CODES if "tokushoho" in legal.legal_for(c).pages] == ["ja-jp"]
    page = legal.legal_for("ja-jp").pages["tokushoho"]
    labels = [label for section in page.sections for label, _ in section.rows]
    assert [label for label in TOKUSHOHO_LABELS if label not in labels] == []
    price = dict(row for section in page.sections for row in section.rows)["販売価格"]
    assert "税込" in price or "消費税込み" in price


@pytest.mark.parametrize("code", [c for c in CODES if MARKETS[c].language == "de"])
def test_the_impressum_states_the_fields_of_section_5(code):
    data = legal.legal_for(code)
    shown = " ".join(texts(data.pages["notice"]))
    for field in legal.IMPRESSUM_FIELDS:
        fact = data.operator[field]
        for value in fact if isinstance(fact, list) else [fact]:
            assert value in shown, (code, field)


def test_the_french_legal_notice_names_the_publication_director_capital_and_host():
    data = legal.legal_for("fr-fr")
    shown = " ".join(texts(data.pages["notice"]))
    for field in ("publication_director", "share_capital", "host", "dispute_body"):
        assert data.operator[field] in shown, field


@pytest.mark.parametrize("code", CODES)
def test_pages_state_the_markets_own_figures(code):
    """Warranty, returns and delivery pages say what the market's registry says."""
    market = MARKETS[code]
    pages = legal.legal_for(code).pages
    assert str(market.warranty_months) in " ".join(texts(pages["warranty"]))
    assert str(market.return_days) in " ".join(texts(pages["returns"]))
    delivery = " ".join(texts(pages["delivery"]))
    first, last = market.delivery_days
    assert re.search(rf"(?<!\d){first}(?!\d).{{1,12}}(?<!\d){last}(?!\d)", delivery), delivery


@pytest.mark.parametrize("code", CODES)
def test_the_operator_is_a_fictitious_company_with_example_addresses(code):
    operator = legal.legal_for(code).operator
    assert "Example" in operator["name"] or "エグザンプル" in operator["name"]
    assert operator["email"].endswith("@example.com")
    assert operator["timezone"] == MARKETS[code].timezone


@pytest.mark.parametrize(
    "breakage, problem",
    [
        (lambda d: d.update(lang="en-GB"), "lang is 'en-GB'"),
        (lambda d: d["pages"].pop("tokushoho"), "page tokushoho is missing"),
        (lambda d: d["pages"]["warranty"]["sections"][0].update(paragraphs=[" "]), "empty text"),
        (lambda d: d["pages"]["terms"].update(sections=[]), "terms: has no sections"),
        (lambda d: d["operator"].pop("manager"), "operator.manager is missing"),
        (lambda d: d["pages"]["notice"]["sections"][1]["rows"].append(["x", "{nope}"]), "{nope}"),
    ],
)
def test_a_broken_file_is_refused(breakage, problem):
    raw = copy.deepcopy(legal.read("ja-jp"))
    breakage(raw)
    found = legal.problems(MARKETS["ja-jp"], raw)
    assert any(problem in p for p in found), found


def test_an_impressum_without_the_vat_id_is_refused():
    raw = copy.deepcopy(legal.read("de-de"))
    rows = raw["pages"]["notice"]["sections"][1]["rows"]
    rows[:] = [row for row in rows if "{vat_id}" not in row[1]]
    assert "notice: the Impressum names no {vat_id}" in legal.problems(MARKETS["de-de"], raw)


def test_a_page_in_the_wrong_language_is_caught():
    english = legal.legal_for("en-gb").pages["warranty"]
    assert language_of(" ".join(texts(english))) == "en"
    assert language_of(" ".join(texts(legal.legal_for("nl-be").pages["warranty"]))) == "nl"
