"""Rules every translation must keep: placeholders, markup, plural forms, length budgets.

`tools/i18n.py check` runs them over the catalogs; the marketing editor runs the same
functions on one message before it saves anything, and shows each problem by its code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel import Locale

if TYPE_CHECKING:  # the function's zip leaves Babel's message tooling out
    from babel.messages.catalog import Catalog, Message

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
# Any tag, whatever its attributes: a translation may hold exactly the source's, in order.
TAG = re.compile(r"<[^<>]*>")
# A comment beside a message, ``{# budget: at most 28 characters fit here #}`` in a template
# (the extractor keeps what follows the tag): the longest text its place can take.
BUDGET = re.compile(r"\bat most (\d+) characters\b")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a translation: a code the editor translates, and its detail."""

    code: str  # fuzzy, plurals, untranslated, placeholders, markup, too_long
    detail: str = ""
    form: int | None = None  # which plural form, when it is one form's problem

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


@functools.cache
def integer_plural_categories(name: str) -> frozenset[str]:
    """The CLDR plural categories whole numbers fall into, e.g. one/many/other for fr."""
    rule = Locale.parse(name).plural_form
    samples = [*range(0, 1001), 10**6, 2 * 10**6, 10**9]
    return frozenset(rule(n) for n in samples)


def budget_of(comments: tuple[str, ...] | list[str]) -> int | None:
    """The length budget declared in a message's extracted comments, or None."""
    for comment in comments:
        found = BUDGET.search(comment)
        if found:
            return int(found.group(1))
    return None


def visible_length(text: str) -> int:
    """How many characters a shopper sees: tags do not count, placeholders as written."""
    return len(TAG.sub("", text))


def stray_percent(string: str) -> bool:
    """Whether a ``%`` is left that is neither a placeholder nor ``%%`` (it breaks formatting)."""
    return "%" in PLACEHOLDER.sub("", string).replace("%%", "")


def markup_problem(source: str, string: str) -> Problem | None:
    """Markup other than the source's (tags added, dropped, reordered or stray brackets)."""
    if TAG.findall(string) != TAG.findall(source) or "<" in TAG.sub("", string).replace("&lt;", ""):
        return Problem("markup", string)
    if ">" in TAG.sub("", string) and ">" not in TAG.sub("", source):
        return Problem("markup", string)
    return None


def translation_problems(
    source: str,
    strings: tuple[str, ...],
    num_plurals: int | None = None,
    budget: int | None = None,
) -> list[Problem]:
    """What is wrong with the translations of one message (one string, or its plural forms)."""
    found = []
    if num_plurals is not None and len([s for s in strings if s]) < num_plurals:
        found.append(Problem("plurals", str(num_plurals)))
    wanted = sorted(PLACEHOLDER.findall(source))
    for form, string in enumerate(strings):
        at = form if num_plurals is not None else None
        if not string.strip():
            found.append(Problem("untranslated", form=at))
            continue
        if sorted(PLACEHOLDER.findall(string)) != wanted or stray_percent(string):
            found.append(Problem("placeholders", repr(string), at))
        markup = markup_problem(source, string)
        if markup is not None:
            found.append(Problem("markup", repr(string), at))
        if budget is not None and visible_length(string) > budget:
            found.append(Problem("too_long", str(budget), at))
    return found


def message_problems(message: Message, num_plurals: int) -> list[Problem]:
    """What is wrong with one catalog entry."""
    plural = isinstance(message.id, tuple)
    source = message.id[-1] if plural else message.id
    strings = tuple(message.string) if plural else (message.string,)
    found = [Problem("fuzzy")] if message.fuzzy else []
    budget = budget_of(message.auto_comments)
    found += translation_problems(source, strings, num_plurals if plural else None, budget)
    return found


def catalog_problems(name: str, catalog: Catalog, template_ids: set, full: bool) -> list[str]:
    """Everything wrong with one catalog, against the messages of the code."""
    found = []
    needed = len(integer_plural_categories(name))
    if catalog.num_plurals < needed:
        found.append(f"{name}: Plural-Forms has {catalog.num_plurals} forms, CLDR needs {needed}")
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        ids.add(message.id)
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        for problem in message_problems(message, catalog.num_plurals):
            where = f"{source!r} -> {problem.detail}" if problem.detail else repr(source)
            found.append(f"{name}: {_CHECK_WORDS.get(problem.code, problem.code)}: {where}")
    if full:
        found += [
            f"{name}: missing message {m!r} (run make i18n-update)" for m in template_ids - ids
        ]
    found += [f"{name}: message no longer in the code: {m!r}" for m in ids - template_ids]
    return found


# How `make i18n-check` words each problem for developers.
_CHECK_WORDS = {
    "plurals": "needs plural forms",
    "placeholders": "placeholders differ",
    "markup": "markup differs",
    "too_long": "longer than its budget",
}
