"""The compiled gettext translations shipped with the code, stacked along a market's chain."""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent.parent / "locales"
DOMAIN = "messages"  # what shoppers read, and what marketing may override
ADMIN_DOMAIN = "admin"  # the marketing editor's own pages


def catalog_path(name: str, root: Path = LOCALES_DIR, domain: str = DOMAIN) -> Path:
    """Where the compiled catalog of one locale lives."""
    return root / name / "LC_MESSAGES" / f"{domain}.mo"


# The .mo files are part of the deployed code and never change while it runs, so a chain
# is read once; what may change at run time is layered on top by a provider (provider.py).
@functools.cache
def translations_for(chain: tuple[str, ...], domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalogs of a chain stacked so each falls back to the next, then to the msgid."""
    head: gettext.NullTranslations = gettext.NullTranslations()
    for name in reversed(chain):
        path = catalog_path(name, domain=domain)
        if not path.exists():
            continue
        with path.open("rb") as fileobj:
            layer = Translations(fileobj, domain=domain)
        layer.add_fallback(head)
        head = layer
    return head


def loaded_chain(chain: tuple[str, ...]) -> list[str]:
    """The names in a chain that have a compiled catalog, for reports and checks."""
    return [name for name in chain if catalog_path(name).exists()]
