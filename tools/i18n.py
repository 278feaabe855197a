"""The translation workflow: update, check and report the gettext catalogs.

    python tools/i18n.py extract  write locales/<domain>.pot from the code
    python tools/i18n.py update   merge locales/<domain>.pot into the full catalogs
    python tools/i18n.py check    fail on anything a shopper would see untranslated or broken
    python tools/i18n.py report   coverage and fallback chain of every market

Full catalogs (one per language, and pt_PT, en_GB) hold every message. Override catalogs
(fr_BE, nl_BE, de_AT, en_IE, en_AU, en_US) hold only what their country says differently;
everything else falls through to the next catalog of the market's chain.

Two domains: ``messages`` (what shoppers read, and what marketing may override) and
``admin`` (the marketing editor's own pages, from templates/admin and chalicelib/admin).
"""

from __future__ import annotations

import os
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
# Each domain: its template and the extraction mapping that feeds it.
DOMAINS = {"messages": "babel.cfg", "admin": "babel-admin.cfg"}
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


def po_path(name: str, domain: str = "messages") -> Path:
    return LOCALES / name / "LC_MESSAGES" / f"{domain}.po"


def template_of(domain: str) -> Path:
    return LOCALES / f"{domain}.pot"


def read(path: Path):
    with path.open("rb") as fileobj:
        return read_po(fileobj)


def extract(output: Path, root: Path = ROOT, domain: str = "messages") -> None:
    """Extract every message; a template the extractor cannot parse is an error, not silence."""
    subprocess.run(
        [PYBABEL, "extract", "-F", DOMAINS[domain], "-k", "N_", "-o", str(output),
         "--no-location", "--add-comments=budget:", "--sort-output", "--project=storefront",
         "--copyright-holder=storefront", "."],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},  # babel.cfg's JSON extractor is in tools/
    )  # fmt: skip


def extract_all() -> int:
    """Write each domain's template from the code."""
    for domain in DOMAINS:
        extract(template_of(domain), domain=domain)
    print(f"extracted {', '.join(str(template_of(d).relative_to(ROOT)) for d in DOMAINS)}")
    return 0


def update() -> int:
    """Extract, then merge each template into the full catalogs only."""
    for domain in DOMAINS:
        template = template_of(domain)
        extract(template, domain=domain)
        for name in full_catalogs():
            po = po_path(name, domain)
            if not po.exists():
                subprocess.run(
                    [PYBABEL, "init", "-i", str(template), "-o", str(po), "-l", name,
                     "--no-wrap"],
                    check=True,
                    capture_output=True,
                )  # fmt: skip
                continue
            subprocess.run(
                [PYBABEL, "update", "-i", str(template), "-o", str(po), "-l", name,
                 "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching"],
                check=True,
                capture_output=True,
            )  # fmt: skip
    print(f"updated {', '.join(full_catalogs())}; overrides are edited by hand")
    return 0


def problems_of(name: str, template_ids: set, full: bool, domain: str = "messages") -> list[str]:
    """Everything wrong with one catalog."""
    path = po_path(name, domain)
    if not path.exists():
        return [f"{name}: missing catalog {path.relative_to(ROOT)}"]
    return checks.catalog_problems(name, read(path), template_ids, full)


def check_domain(domain: str) -> list[str] | None:
    """The problems of one domain's catalogs; None when its extraction fails."""
    problems = []
    template = template_of(domain)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / template.name
        try:
            extract(fresh, domain=domain)
        except subprocess.CalledProcessError as error:
            print(error.stderr.strip().splitlines()[-1] if error.stderr else error)
            print("i18n check: extraction failed (a template or module the extractor cannot parse)")
            return None
        fresh_catalog = {m.id: m for m in read(fresh) if m.id}
    template_catalog = {m.id: m for m in read(template) if m.id}
    template_ids = set(template_catalog)
    stale_comments = [
        i for i in template_ids & set(fresh_catalog)
        if fresh_catalog[i].auto_comments != template_catalog[i].auto_comments
    ]  # fmt: skip
    if set(fresh_catalog) != template_ids or stale_comments:
        new, gone = set(fresh_catalog) - template_ids, template_ids - set(fresh_catalog)
        problems.append(
            f"{template.name} is stale: {len(new)} new, {len(gone)} gone, "
            f"{len(stale_comments)} budgets changed (make i18n-update)"
        )
    names = {n for n in override_catalogs() if po_path(n, domain).exists()}
    for name in full_catalogs():
        problems += problems_of(name, template_ids, True, domain)
    for name in sorted(names):
        problems += problems_of(name, template_ids, False, domain)
    return problems


def check() -> int:
    """Fail on stale, untranslated, fuzzy, short-of-plurals or placeholder-breaking entries."""
    problems: list[str] = []
    for domain in DOMAINS:
        found = check_domain(domain)
        if found is None:
            return 1
        problems += [f"[{domain}] {line}" for line in found]
    for line in problems:
        print(line)
    catalogs = f"{len(full_catalogs())} full and {len(override_catalogs())} override catalogs"
    print(f"i18n check: {len(problems)} problems in {len(DOMAINS)} domains, {catalogs}")
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
    commands = {"extract": extract_all, "update": update, "check": check, "report": report}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
