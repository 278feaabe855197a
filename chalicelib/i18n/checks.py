"""Rules every translation must keep: placeholders, plural forms, nothing empty or fuzzy.

`tools/i18n.py check` runs them over the catalogs; an editor can run them on one message.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from babel import Locale

if TYPE_CHECKING:  # the function's zip leaves Babel's message tooling out
    from babel.messages.catalog import Catalog, Message

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|</?[a-z]+>")


@functools.cache
def integer_plural_categories(name: str) -> frozenset[str]:
    """The CLDR plural categories whole numbers fall into, e.g. one/many/other for fr."""
    rule = Locale.parse(name).plural_form
    samples = [*range(0, 1001), 10**6, 2 * 10**6, 10**9]
    return frozenset(rule(n) for n in samples)


def translation_problems(
    source: str, strings: tuple[str, ...], num_plurals: int | None = None
) -> list[str]:
    """What is wrong with the translations of one message (one string, or its plural forms)."""
    found = []
    if num_plurals is not None and len([s for s in strings if s]) < num_plurals:
        found.append(f"needs {num_plurals} plural forms")
    wanted = sorted(PLACEHOLDER.findall(source))
    for string in strings:
        if not string:
            found.append("untranslated")
            break
        if sorted(PLACEHOLDER.findall(string)) != wanted:
            found.append(f"placeholders differ: {string!r}")
    return found


def message_problems(message: Message, num_plurals: int) -> list[str]:
    """What is wrong with one catalog entry."""
    plural = isinstance(message.id, tuple)
    source = message.id[-1] if plural else message.id
    strings = tuple(message.string) if plural else (message.string,)
    found = ["fuzzy"] if message.fuzzy else []
    found += translation_problems(source, strings, num_plurals if plural else None)
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
            kind, _, detail = problem.partition(": ")
            where = f"{source!r} -> {detail}" if detail else repr(source)
            found.append(f"{name}: {kind}: {where}")
    if full:
        found += [
            f"{name}: missing message {m!r} (run make i18n-update)" for m in template_ids - ids
        ]
    found += [f"{name}: message no longer in the code: {m!r}" for m in ids - template_ids]
    return found
