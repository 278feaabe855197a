"""Legal and trust pages: one data file per market (legal/<market>.json), one template.

The files are shipped beside templates/ (vendor/legal -> ../legal) and read once per process,
so a legal page and the footer that links every page cost no DynamoDB request. What a file must
hold is checked by ``problems``; docs/legal.md says where the facts come from.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.web.errors import NotFound
from chalicelib.web.http import Request, Response
from chalicelib.web.view import View

LEGAL_DIR = Path(__file__).resolve().parent.parent.parent / "legal"
# Every market's pages, in the footer's order, by their stable English slugs.
PAGES = ("terms", "notice", "privacy", "cookies", "warranty", "returns", "delivery", "contact")
# Japan's 特定商取引法に基づく表記 (Act on Specified Commercial Transactions, art. 11).
MARKET_PAGES = {"ja-jp": ("tokushoho",)}
OPERATOR_FIELDS = (
    "name",
    "legal_form",
    "address",
    "register",
    "registration_number",
    "vat_id",
    "representatives",
    "dispute_body",
    "email",
    "phone",
    "hours",
    "timezone",
)
# Each country's legal notice names more than the common fields (docs/legal.md).
COUNTRY_FIELDS = {"FR": ("publication_director", "share_capital", "host"), "JP": ("manager",)}
# §5 DDG (Germany) and §5 ECG with §14 UGB (Austria): what an Impressum states.
IMPRESSUM_FIELDS = (
    "name",
    "legal_form",
    "address",
    "representatives",
    "register",
    "registration_number",
    "vat_id",
    "email",
    "phone",
)
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class LegalDataError(Exception):
    """A market's legal file that is missing or breaks the rules of ``problems``."""


@dataclass(frozen=True)
class Section:
    """A heading, its paragraphs (plain text) and label/value rows (a facts table)."""

    heading: str
    paragraphs: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Page:
    """One legal page of a market, in its language."""

    slug: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Legal:
    """A market's operator facts and legal pages, facts filled into the text."""

    market: str
    lang: str
    updated: dt.date
    operator: dict[str, Any]
    pages: dict[str, Page]

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """Slug and title of every page, in the footer's order."""
        return tuple((slug, page.title) for slug, page in self.pages.items())


def page_slugs(code: str) -> tuple[str, ...]:
    """The slugs a market's file must hold, and the only ones it may hold."""
    return PAGES[:2] + MARKET_PAGES.get(code, ()) + PAGES[2:]


def path_of(code: str) -> Path:
    """Where a market's legal file lives."""
    return LEGAL_DIR / f"{code}.json"


def read(code: str) -> dict[str, Any]:
    """A market's legal file as JSON."""
    try:
        return json.loads(path_of(code).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LegalDataError(f"legal/{code}.json cannot be read: {error}") from None


@functools.cache
def legal_for(code: str) -> Legal:
    """A market's checked legal data, read once per process."""
    raw = read(code)
    found = problems(MARKETS[code], raw)
    if found:
        raise LegalDataError(f"legal/{code}.json: " + "; ".join(found))
    operator = raw["operator"]
    pages = {slug: _page(slug, raw["pages"][slug], operator) for slug in page_slugs(code)}
    return Legal(code, raw["lang"], dt.date.fromisoformat(raw["updated"]), operator, pages)


def footer_links(code: str) -> tuple[tuple[str, str], ...]:
    """Slug and localized title of each of a market's legal pages (templates/base.html)."""
    return legal_for(code).links


def fill(text: str, operator: dict[str, Any]) -> str:
    """Text with each ``{field}`` replaced by the operator's fact (lists joined by commas)."""

    def value(match: re.Match) -> str:
        fact = operator[match.group(1)]
        return ", ".join(fact) if isinstance(fact, list) else str(fact)

    return PLACEHOLDER.sub(value, text)


def _page(slug: str, raw: dict[str, Any], operator: dict[str, Any]) -> Page:
    sections = tuple(
        Section(
            fill(s["heading"], operator),
            tuple(fill(p, operator) for p in s.get("paragraphs", ())),
            tuple((fill(k, operator), fill(v, operator)) for k, v in s.get("rows", ())),
        )
        for s in raw["sections"]
    )
    return Page(slug, fill(raw["title"], operator), sections)


def problems(market: Market, raw: Any) -> list[str]:
    """What is wrong with a market's legal file: missing facts or pages, empty text."""
    if not isinstance(raw, dict):
        return ["is not an object"]
    found = []
    if raw.get("market") != market.code:
        found.append(f"market is {raw.get('market')!r}, not {market.code!r}")
    if raw.get("lang") != market.html_lang:
        found.append(f"lang is {raw.get('lang')!r}, not the market's {market.html_lang!r}")
    try:
        dt.date.fromisoformat(raw.get("updated", ""))
    except (TypeError, ValueError):
        found.append("updated is not an ISO date")
    operator = raw.get("operator")
    if not isinstance(operator, dict):
        return [*found, "operator is missing"]
    needed = OPERATOR_FIELDS + COUNTRY_FIELDS.get(market.country, ())
    found += [f"operator.{k} is missing or empty" for k in needed if not _text(operator.get(k))]
    if operator.get("timezone") != market.timezone:
        found.append(f"operator.timezone is not the market's {market.timezone}")
    pages = raw.get("pages")
    if not isinstance(pages, dict):
        return [*found, "pages is missing"]
    wanted = page_slugs(market.code)
    found += [f"page {slug} is missing" for slug in wanted if slug not in pages]
    found += [f"page {slug} is not a page of {market.code}" for slug in pages if slug not in wanted]
    for slug, page in pages.items():
        found += [f"{slug}: {p}" for p in _page_problems(page, operator)]
    if market.language == "de" and isinstance(pages.get("notice"), dict):
        named = set(PLACEHOLDER.findall(json.dumps(pages["notice"], ensure_ascii=False)))
        found += [
            f"notice: the Impressum names no {{{f}}}" for f in IMPRESSUM_FIELDS if f not in named
        ]
    return found


def _page_problems(page: Any, operator: dict[str, Any]) -> list[str]:
    if not isinstance(page, dict) or not _text(page.get("title")):
        return ["has no title"]
    sections = page.get("sections")
    if not isinstance(sections, list) or not sections:
        return ["has no sections"]
    found = []
    for i, section in enumerate(sections):
        if not isinstance(section, dict):
            found.append(f"section {i} is not an object")
            continue
        texts = [section.get("heading"), *section.get("paragraphs", ())]
        rows = section.get("rows", [])
        texts += [cell for row in rows for cell in row]
        if not _text(section.get("heading")) or not (section.get("paragraphs") or rows):
            found.append(f"section {i} has no heading or no text")
        if not all(_text(t) for t in texts) or any(len(row) != 2 for row in rows):
            found.append(f"section {i} has an empty text or a row that is not a pair")
        names = {n for t in texts if isinstance(t, str) for n in PLACEHOLDER.findall(t)}
        found += [f"section {i} names no fact {{{n}}}" for n in sorted(names - operator.keys())]
    return found


def _text(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_text(v) for v in value)
    return isinstance(value, str) and bool(value.strip())


class LegalPages:
    """``/{market}/legal/{page}``: a market's legal and trust pages."""

    def __init__(self, view: View) -> None:
        self.view = view

    def page(self, request: Request, market: Market, slug: str) -> Response:
        """A legal page in the market's language; an unknown slug is the market's 404."""
        legal = legal_for(market.code)
        page = legal.pages.get(slug)
        if page is None:
            raise NotFound()
        links = self.view.links(request, market)
        seo = links.seo(f"/legal/{slug}", (market.code,))
        return self.view.page(
            "storefront/legal.html", request, market, legal=legal, page=page, seo=seo, links=links
        )
