"""Every page type in every market reads well without sight: headings, names, labels.

Each rendered page is parsed into a small tree and checked as assistive technology reads it:
one h1 and no heading level skipped; every form control labelled; every link and button
named; an element whose name is set apart from its text (aria-label) names it with the
words a shopper sees first, so that "click France · FR" works with voice control.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from chalicelib.kernel.markets import MARKETS
from tests.page_types import PAGE_TYPES, rendered_pages

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HEADING = re.compile(r"h([1-6])")
CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def text(self, visible_only: bool = False) -> str:
        """The element's text, as read aloud, or only as seen (without visually hidden text)."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (visible_only and "vh" in child.attrs.get("class", "").split()):
                parts.append(child.attrs.get("alt", "") if child.tag == "img" else "")
                parts.append(child.text(visible_only))
        return " ".join(" ".join(parts).split())

    def hidden(self) -> bool:
        node = self
        while node:
            if "hidden" in node.attrs or node.attrs.get("aria-hidden") == "true":
                return True
            node = node.parent
        return False

    def inside(self, tag: str) -> bool:
        node = self.parent
        while node and node.tag != tag:
            node = node.parent
        return node is not None


class Tree(HTMLParser):
    """A page as a tree of elements, tolerant of the end tags HTML lets one omit."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        if self.current.tag not in ("script", "style"):
            self.current.children.append(data)


@pytest.fixture(scope="module")
def pages(shop_table, shop_catalog) -> dict[tuple[str, str], Tree]:
    """Every page type of every market, parsed, by market and page type."""
    return {
        (code, kind.name): Tree(html)
        for code, kind, _, html in rendered_pages(shop_table, shop_catalog, MARKETS)
    }


def _each(pages, code):
    return [(kind.name, pages[code, kind.name]) for kind in PAGE_TYPES]


@pytest.mark.parametrize("code", MARKETS)
def test_headings_start_at_one_h1_and_skip_no_level(pages, code):
    for name, page in _each(pages, code):
        levels = [
            int(found.group(1))
            for node in page.root.walk()
            if (found := HEADING.fullmatch(node.tag)) and not node.hidden()
        ]
        assert levels[:1] == [1] and levels.count(1) == 1, (name, levels)
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not skips, (name, levels)
        empty = [n.tag for n in page.root.walk() if HEADING.fullmatch(n.tag) and not n.text()]
        assert not empty, name


@pytest.mark.parametrize("code", MARKETS)
def test_every_form_control_has_a_label(pages, code):
    for name, page in _each(pages, code):
        nodes = list(page.root.walk())
        labelled = {n.attrs["for"] for n in nodes if n.tag == "label" and "for" in n.attrs}
        controls = [
            n for n in nodes if n.tag in CONTROLS and n.attrs.get("type") not in UNLABELLED_INPUTS
        ]
        unnamed = [
            c.attrs
            for c in controls
            if not (
                c.inside("label")
                or c.attrs.get("id") in labelled
                or c.attrs.get("aria-label", "").strip()
                or c.attrs.get("aria-labelledby")
            )
        ]
        assert not unnamed, (name, unnamed)
    listing = pages[code, "listing"].root.walk()
    assert any(n.tag == "select" and n.attrs.get("name") == "sort" for n in listing)


@pytest.mark.parametrize("code", MARKETS)
def test_links_and_buttons_are_named_with_the_words_they_show(pages, code):
    for name, page in _each(pages, code):
        for node in page.root.walk():
            if node.tag not in ("a", "button", "summary") or node.hidden():
                continue
            shown, spoken = node.text(visible_only=True), node.attrs.get("aria-label")
            assert (spoken or node.text()).strip(), (name, node.tag, node.attrs)
            if spoken and re.search(r"\w", shown):
                assert spoken.casefold().startswith(shown.casefold()), (name, shown, spoken)
        ids = [n.attrs["id"] for n in page.root.walk() if "id" in n.attrs]
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))
        images = [n for n in page.root.walk() if n.tag == "img"]
        assert all("alt" in n.attrs for n in images), (name, [n.attrs for n in images])


@pytest.mark.parametrize("code", MARKETS)
def test_the_market_switcher_is_named_by_the_country_it_shows(pages, code):
    """Its name starts with what it shows ("France · FR"), then says what it does."""
    for name, page in _each(pages, code):
        menus = [n for n in page.root.walk() if "switch" in n.attrs.get("class", "").split()]
        switcher = next(n for n in menus[0].walk() if n.tag == "summary")
        shown = switcher.text(visible_only=True)
        assert shown.endswith(f"· {MARKETS[code].language.upper()}") or name == "picker", shown
        spoken = switcher.attrs.get("aria-label") or switcher.text()
        assert spoken.startswith(shown) and len(spoken) > len(shown), (name, shown, spoken)
