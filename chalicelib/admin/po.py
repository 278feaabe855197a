"""Overrides as gettext files: export a target's for developers, import a translator's file.

Exports keep contexts and plural forms, so `locales/` can take them as they are. An import
is read, matched against the code's messages and checked with the editor's rules; what it
would change is shown before anything is saved, and saving makes drafts, never a release.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from chalicelib.admin.catalog import SourceMessage, by_key
from chalicelib.admin.editor import validate
from chalicelib.i18n.checks import Problem
from chalicelib.kernel.markets import Market

Strings = tuple[str, ...]
MAX_PO_BYTES = 1024 * 1024
PLURAL_FORMS_HEADER = re.compile(r"Plural-Forms:[^\"]*", re.IGNORECASE)


def export_po(market: Market, target: str, published: dict[str, Strings]) -> bytes:
    """The published overrides of a target as a .po file in the market's language."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    po = Catalog(locale=market.locale, project="storefront", domain="messages")
    po.add("", "")  # the header
    sources = by_key()
    for key, strings in sorted(published.items()):
        source = sources.get(key)
        if source is None:
            continue
        msgid = (source.msgid, source.plural) if source.plural is not None else source.msgid
        string = tuple(strings) if source.plural is not None else strings[0]
        po.add(msgid, string, context=source.context, auto_comments=source.comments)
    out = io.BytesIO()
    write_po(out, po, width=0, omit_header=False)
    return out.getvalue()


@dataclass(frozen=True)
class Imported:
    """One message of an imported file: what it would become, and what is wrong with it."""

    source: SourceMessage
    strings: Strings
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportReport:
    """What a .po file holds for a market: usable messages, and what is ignored."""

    messages: tuple[Imported, ...]
    unknown: tuple[str, ...]
    skipped: tuple[str, ...]  # fuzzy or empty
    error: str | None = None

    @property
    def valid(self) -> tuple[Imported, ...]:
        """The messages that pass every check."""
        return tuple(m for m in self.messages if not m.problems)


def read_import(market: Market, text: str) -> ImportReport:
    """Match a .po file's messages against the code's and check each for the market."""
    from babel.messages.pofile import PoFileError, read_po

    # The market's own plural rule counts, never the file's: a header claiming millions of
    # forms would make Babel build lists that size.
    text = PLURAL_FORMS_HEADER.sub("", text)
    try:
        po = read_po(io.BytesIO(text.encode("utf-8")), locale=market.locale, abort_invalid=True)
    except (PoFileError, ValueError, IndexError, LookupError, UnicodeError) as error:
        return ImportReport((), (), (), error=str(error)[:200])
    sources = by_key()
    found, unknown, skipped = [], [], []
    for message in po:
        if not message.id:
            continue
        plural = isinstance(message.id, tuple)
        msgid = message.id[0] if plural else message.id
        key = f"{message.context}\x04{msgid}" if message.context else msgid
        source = sources.get(key)
        if source is None or (source.plural is not None) != plural:
            unknown.append(msgid[:120])
            continue
        strings = tuple(message.string) if plural else (message.string,)
        if len(strings) > 6:  # no language has more plural forms
            unknown.append(msgid[:120])
            continue
        if message.fuzzy or not any(strings):
            skipped.append(msgid[:120])
            continue
        strings = tuple(s.strip() for s in strings)
        found.append(Imported(source, strings, tuple(validate(market, source, strings))))
    return ImportReport(tuple(found), tuple(unknown), tuple(skipped))
