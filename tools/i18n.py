"""The translation workflow: update, check and report the gettext catalogs.

    python tools/i18n.py update   merge locales/messages.pot into the full catalogs
    python tools/i18n.py check    fail on anything a shopper would see untranslated or broken
    python tools/i18n.py report   coverage and fallback chain of every market

Full catalogs (one per language, and pt_PT, en_GB) hold every message. Override catalogs
(fr_BE, nl_BE, de_AT, en_IE, en_AU, en_US) hold only what their country says differently;
everything else falls through to the next catalog of the market's chain.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.i18n import checks  # noqa: E402
from chalicelib.kernel.markets import MARKETS  # noqa: E402

LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
SOURCE_LOCALE = "en_US"  # the msgids


def full_catalogs() -> list[str]:
    """Catalogs that must translate every message: the last of each market's chain."""
    names = {m.translation_chain[-1] for m in MARKETS.values()} - {SOURCE_LOCALE}
    return sorted(names)


def override_catalogs() -> list[str]:
    """Catalogs that hold only a country's own wording; a market may have none."""
    names = {n for m in MARKETS.values() for n in m.translation_chain}
    return sorted(n for n in names - set(full_catalogs()) if po_path(n).exists())


def po_path(name: str) -> Path:
    return LOCALES / name / "LC_MESSAGES" / "messages.po"


def read(path: Path):
    with path.open("rb") as fileobj:
        return read_po(fileobj)


def extract(output: Path, root: Path = ROOT) -> None:
    """Extract every message; a template the extractor cannot parse is an error, not silence."""
    subprocess.run(
        [PYBABEL, "extract", "-F", "babel.cfg", "-k", "N_", "-o", str(output), "--no-location",
         "--sort-output", "--project=storefront", "--copyright-holder=storefront", "."],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip


def update() -> int:
    """Extract, then merge the template into the full catalogs only."""
    extract(TEMPLATE)
    for name in full_catalogs():
        subprocess.run(
            [PYBABEL, "update", "-i", str(TEMPLATE), "-o", str(po_path(name)), "-l", name,
             "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching"],
            check=True,
            capture_output=True,
        )  # fmt: skip
    print(f"updated {', '.join(full_catalogs())}; overrides are edited by hand")
    return 0


def problems_of(name: str, template_ids: set, full: bool) -> list[str]:
    """Everything wrong with one catalog."""
    path = po_path(name)
    if not path.exists():
        return [f"{name}: missing catalog {path.relative_to(ROOT)}"]
    return checks.catalog_problems(name, read(path), template_ids, full)


def check() -> int:
    """Fail on stale, untranslated, fuzzy, short-of-plurals or placeholder-breaking entries."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        try:
            extract(fresh)
        except subprocess.CalledProcessError as error:
            print(error.stderr.strip().splitlines()[-1] if error.stderr else error)
            print("i18n check: extraction failed (a template or module the extractor cannot parse)")
            return 1
        fresh_ids = {m.id for m in read(fresh) if m.id}
    template_ids = {m.id for m in read(TEMPLATE) if m.id}
    if fresh_ids != template_ids:
        new, gone = fresh_ids - template_ids, template_ids - fresh_ids
        problems.append(
            f"messages.pot is stale: {len(new)} new, {len(gone)} gone (make i18n-update)"
        )
    for name in full_catalogs():
        problems += problems_of(name, template_ids, full=True)
    for name in override_catalogs():
        problems += problems_of(name, template_ids, full=False)
    for line in problems:
        print(line)
    print(f"i18n check: {len(problems)} problems in {len(full_catalogs())} full and "
          f"{len(override_catalogs())} override catalogs")  # fmt: skip
    return 1 if problems else 0


def report() -> int:
    """Per market: its chain, which catalogs exist, and how much of the UI each covers."""
    template_ids = {m.id for m in read(TEMPLATE) if m.id}
    total = len(template_ids)
    translated: dict[str, set] = {}
    for name in {n for m in MARKETS.values() for n in m.translation_chain}:
        path = po_path(name)
        catalog = read(path) if path.exists() else []
        translated[name] = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    print(f"{total} messages\n")
    print(f"{'market':<7} {'chain':<28} {'own':>5} {'covered':>8}")
    for code, market in MARKETS.items():
        covered = set()
        parts = []
        for name in market.translation_chain:
            own = translated[name] & template_ids
            covered |= own
            parts.append(f"{name}({len(own)})")
        chain = " > ".join(parts + ["msgid"])
        if market.locale == SOURCE_LOCALE:
            covered = template_ids
        first = len(translated[market.translation_chain[0]] & template_ids)
        print(f"{code:<7} {chain:<28} {first:>5} {100 * len(covered) / total:>7.1f}%")
    return 0


def main() -> int:
    commands = {"update": update, "check": check, "report": report}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
