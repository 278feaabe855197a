"""What a stage's zip must hold: the markets it renders, their locale data and catalogs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from chalicelib.kernel.markets import MARKETS, Market, for_stage

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "locales"
CATALOG = "LC_MESSAGES/messages"


def served_markets(stage: str) -> list[Market]:
    """Markets whose pages the stage answers; dev answers every market."""
    return for_stage(stage) or list(MARKETS.values())


def rendered_markets(stage: str) -> list[Market]:
    """Markets whose locale data and catalogs the marketing editor's pages may speak.

    Its pages are in any market's language that the marketer picks. The shoppers' pages name
    other markets from market_names.json (tools/package_locales.py) and read only the data of
    the markets they serve.
    """
    served = served_markets(stage)
    return served + [m for m in MARKETS.values() if m not in served]


def babel_parent(name: str) -> str | None:
    """The locale Babel merges ``name``'s data onto, as ``babel.localedata.load`` does."""
    from babel.core import get_global
    from babel.localedata import _is_non_likely_script

    if name == "root":
        return None
    parent = get_global("parent_exceptions").get(name)
    if parent:
        return parent
    if _is_non_likely_script(name):
        return "root"
    parts = name.split("_")
    return "root" if len(parts) == 1 else "_".join(parts[:-1])


def locale_data_needed(locales: Iterable[str]) -> list[str]:
    """Each locale and every locale it inherits from, up to root: the .dat files to keep."""
    needed: dict[str, None] = {}
    for name in locales:
        current: str | None = name
        while current is not None:
            needed.setdefault(current, None)
            current = babel_parent(current)
    return sorted(needed)


def catalogs_needed(markets: Iterable[Market]) -> list[str]:
    """The gettext catalogs of the markets' chains that exist (a chain may name none)."""
    names = {name for m in markets for name in m.translation_chain}
    return sorted(n for n in names if (LOCALES_DIR / n / f"{CATALOG}.po").exists())


def editor_catalogs() -> list[str]:
    """The locales of the marketing editor's own pages (the ``admin`` domain's catalogs)."""
    return sorted(p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/admin.po"))


def legal_files(codes: Iterable[str] = MARKETS) -> list[str]:
    """The markets' legal pages (legal/<market>.json), shipped through vendor/legal."""
    return [f"legal/{code}.json" for code in codes]
