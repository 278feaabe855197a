"""The messages a market's pages say: their source, budgets, plural forms and where each
translation comes from in the market's fallback chain."""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from pathlib import Path

from chalicelib.i18n.checks import budget_of
from chalicelib.i18n.published import message_key, plural_rule
from chalicelib.i18n.translations import LOCALES_DIR, translations_for
from chalicelib.kernel.markets import Market

TEMPLATE = LOCALES_DIR / "messages.pot"
SOURCE = "msgid"  # where a text comes from when no catalog of the chain has it


@dataclass(frozen=True)
class SourceMessage:
    """One message of the code, as extracted into messages.pot."""

    msgid: str
    plural: str | None
    context: str | None
    budget: int | None
    comments: tuple[str, ...]

    @property
    def key(self) -> str:
        """Its key in overrides and gettext: context, then msgid."""
        return message_key(self.msgid, self.context)


@functools.cache
def source_messages(path: Path = TEMPLATE) -> tuple[SourceMessage, ...]:
    """Every message of the code, in the template's order."""
    from babel.messages.pofile import read_po  # the admin's zip keeps Babel's message tools

    with path.open("rb") as fileobj:
        catalog = read_po(fileobj)
    found = []
    for message in catalog:
        if not message.id:
            continue
        plural = isinstance(message.id, tuple)
        found.append(
            SourceMessage(
                msgid=message.id[0] if plural else message.id,
                plural=message.id[1] if plural else None,
                context=message.context,
                budget=budget_of(message.auto_comments),
                comments=tuple(message.auto_comments),
            )
        )
    return tuple(found)


def by_key() -> dict[str, SourceMessage]:
    """Source messages by their key."""
    return {m.key: m for m in source_messages()}


@dataclass(frozen=True)
class PluralForm:
    """One plural form a language needs, with numbers that use it."""

    index: int
    examples: tuple[int, ...]


def plural_forms(market: Market) -> tuple[PluralForm, ...]:
    """The plural forms of the market's language, each with example numbers."""
    shipped = translations_for(market.translation_chain)
    rule = plural_rule(shipped)
    count = _nplurals(shipped)
    examples: dict[int, list[int]] = {i: [] for i in range(count)}
    for n in [*range(0, 200), 1000, 10**6]:
        index = rule(n)
        if index in examples and len(examples[index]) < 4:
            examples[index].append(n)
    return tuple(PluralForm(i, tuple(examples[i])) for i in range(count))


def _nplurals(translations: gettext.NullTranslations) -> int:
    layer = translations
    while layer is not None:
        info = getattr(layer, "_info", None)
        if info and "plural-forms" in info:
            for part in info["plural-forms"].split(";"):
                name, _, value = part.strip().partition("=")
                if name.strip() == "nplurals":
                    return int(value)
        layer = getattr(layer, "_fallback", None)
    return 2


def _layer_text(name: str, message: SourceMessage, forms: int) -> tuple[str, ...] | None:
    layer = translations_for((name,))
    catalog = getattr(layer, "_catalog", None)
    if catalog is None:
        return None
    if message.plural is None:
        found = catalog.get(message.key)
        return (found,) if found else None
    strings = tuple(catalog.get((message.key, i), "") for i in range(forms))
    return strings if any(strings) else None


def shipped_text(market: Market, message: SourceMessage) -> tuple[tuple[str, ...], str]:
    """What the compiled catalogs make the market say, and which catalog of its chain."""
    forms = len(plural_forms(market)) if message.plural is not None else 1
    for name in market.translation_chain:
        found = _layer_text(name, message, forms)
        if found:
            return found, name
    if message.plural is None:
        return (message.msgid,), SOURCE
    return (message.msgid, *([message.plural] * (forms - 1))), SOURCE
