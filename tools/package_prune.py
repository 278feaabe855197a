"""Pruning a zip to what the function runs, deterministically (same input, same bytes).

What a function runs depends on which it is (FUNCTION): the shoppers' pages (`storefront`),
the marketing editor (`admin`), or both (`all`, the dev stage).
"""

from __future__ import annotations

import ast
import csv
import io
import zipfile
from pathlib import Path

LOCALE_DATA = "babel/locale-data/"
# Distributions the Lambda Python 3.11 runtime provides (boto3 and what it depends on):
# the function imports the runtime's copies, so the zip does not carry its own.
RUNTIME_DISTRIBUTIONS = {
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "urllib3",
    "python_dateutil",
    "six",
}
# Code no function runs: the importer is for tools.
NOT_RUN = {
    "chalicelib/catalog/importer/": "modules of the catalog importer",
}
# What only the editor runs: it reads and writes .po files with Babel's message tooling
# (pybabel's own modules, for the shoppers' function) and lists every message from the
# template of the shoppers' domain.
EDITOR_TOOLING = {"babel/messages/": "modules of Babel's message extraction and compilation"}
EDITOR_FILES = ("locales/messages.pot",)
EDITOR_DOMAIN = "admin"  # locales/*/LC_MESSAGES/admin.mo: the editor's own pages
EDITOR_MO = f"/LC_MESSAGES/{EDITOR_DOMAIN}.mo"
# The editor's code and templates: left out of the shoppers' zip when nothing there imports
# it at module level (composition imports it only for FUNCTION=admin or all).
EDITOR_CODE = {
    "chalicelib/admin/": "modules of the marketing editor",
    "templates/admin/": "templates of the marketing editor",
}
EDITOR_PACKAGE = "chalicelib.admin"
# What only trade-in runs: the payout checks (python-stdnum). A function without a trade-in
# market leaves them out.
TRADEIN_LIBRARIES = ("stdnum/",)
TRADEIN_DISTRIBUTIONS = ("python_stdnum-",)
# Of python-stdnum, trade-in reads the IBAN check (with the countries that add their own rules:
# be, es, me, no), the ISO 7064 checksums it rests on, and US routing numbers; the other 250
# number formats and their data (1.1 MB compressed) are left out.
STDNUM_KEPT = (
    "stdnum/__init__.py", "stdnum/exceptions.py", "stdnum/numdb.py", "stdnum/util.py",
    "stdnum/iban.py", "stdnum/iban.dat", "stdnum/py.typed", "stdnum/iso7064/", "stdnum/us/",
    "stdnum/be/", "stdnum/es/", "stdnum/me/", "stdnum/no/",
)  # fmt: skip
# Text, bytecode and sources the function never reads.
# Catalog sources, C sources and type stubs; and __pycache__/: bytecode is built for the target.
DROPPED_SUFFIXES = (".po", ".pot", ".c", ".h", ".pyi")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def edits(function: str) -> bool:
    """Whether a function serves the marketing editor."""
    return function in ("admin", "all")


def editor_only(names: set[str]) -> list[str]:
    """The entries of a zip that only the editor reads (code kept for an importer aside)."""
    return sorted(
        n
        for n in names
        if n.startswith(tuple(EDITOR_TOOLING)) or n in EDITOR_FILES or n.endswith(EDITOR_MO)
    )


def _runtime_paths(source: zipfile.ZipFile) -> set[str]:
    """Every entry of the runtime's distributions, from their dist-info RECORD files."""
    paths = set()
    for name in source.namelist():
        top, _, rest = name.partition("/")
        if rest != "RECORD" or not top.endswith(".dist-info"):
            continue
        if top.split("-")[0].lower() not in RUNTIME_DISTRIBUTIONS:
            continue
        record = source.read(name).decode("utf-8")
        paths.update(row[0] for row in csv.reader(io.StringIO(record)) if row)
        paths.update(n for n in source.namelist() if n.startswith(top + "/"))
    return paths


def _module_level_imports(tree: ast.AST) -> set[str]:
    """Modules imported when a module is imported: not inside a function's body."""
    found: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        found |= _module_level_imports(node)
    return found


def editor_importers(source: zipfile.ZipFile) -> list[str]:
    """The app's modules outside the editor that import it as they load."""
    importers = []
    for name in sorted(source.namelist()):
        is_app = name == "app.py" or name.startswith("chalicelib/")
        if not is_app or not name.endswith(".py") or name.startswith(tuple(EDITOR_CODE)):
            continue
        imported = _module_level_imports(ast.parse(source.read(name)))
        if any(m == EDITOR_PACKAGE or m.startswith(EDITOR_PACKAGE + ".") for m in imported):
            importers.append(name)
    return importers


def _why_dropped(
    name: str,
    runtime: set[str],
    keep_data: set[str],
    keep_catalogs: set[str],
    function: str,
    drop_editor: bool,
    tradein: bool = True,
    markets: frozenset[str] | None = None,
) -> str | None:
    if name in runtime:
        return "files of boto3 and its dependencies"
    if name.startswith(TRADEIN_LIBRARIES + TRADEIN_DISTRIBUTIONS) and not tradein:
        return "libraries only trade-in uses"
    if name.startswith("stdnum/") and not name.startswith(STDNUM_KEPT):
        return "number formats trade-in does not check"
    editor = edits(function)
    not_run = {
        **NOT_RUN,
        **({} if editor else EDITOR_TOOLING),
        **(EDITOR_CODE if drop_editor else {}),
    }
    for prefix, reason in not_run.items():
        if name.startswith(prefix):
            return reason
    if editor and name in EDITOR_FILES:
        return None
    if "__pycache__/" in name or name.endswith(DROPPED_SUFFIXES):
        return "gettext sources and bytecode files"
    if ".dist-info/" in name:  # nothing reads a distribution's metadata at run time
        return "distributions' metadata"
    if name.startswith("legal/") and markets is not None and name[6:-5] not in markets:
        return "legal pages of other stages' markets"
    if name.startswith(LOCALE_DATA) and name.endswith(".dat"):
        return None if name[len(LOCALE_DATA) : -4] in keep_data else "Babel locale files"
    if name.startswith("locales/") and name.endswith(EDITOR_MO):
        return None if editor else "catalogs of the marketing editor"
    if name.startswith("locales/") and name.endswith(".mo"):
        return None if name.split("/")[1] in keep_catalogs else "catalogs of no market"
    return None


def write_entry(target: zipfile.ZipFile, name: str, data: bytes, executable: bool) -> None:
    """Write an entry as every package writes it: fixed date, Unix modes, deflated."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.create_system = 3  # Unix, so that Lambda reads the permissions below
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    target.writestr(info, data, compresslevel=9)


def prune(
    zip_path: Path,
    locale_data: list[str],
    catalogs: list[str],
    function: str = "storefront",
    tradein: bool = True,
    extra: dict[str, bytes] | None = None,
    compiled: frozenset[str] = frozenset(),
    markets: frozenset[str] | None = None,
) -> dict[str, int]:
    """Rewrite the zip with only what the function reads, sorted, fixed dates.

    ``extra`` adds entries or replaces those of the same name; ``markets``, when given, are the
    markets whose legal pages the function serves.
    """
    extra = extra or {}
    keep_data, keep_catalogs = set(locale_data), set(catalogs)
    removed: dict[str, int] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(zip_path) as source:
        runtime = _runtime_paths(source)
        drop_editor = not edits(function) and not editor_importers(source)
        entries = sorted((i for i in source.infolist() if not i.is_dir()), key=lambda i: i.filename)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for entry in entries:
                reason = _why_dropped(
                    entry.filename, runtime, keep_data, keep_catalogs, function, drop_editor,
                    tradein, markets,
                )  # fmt: skip
                if not reason and entry.filename in compiled:
                    reason = "template sources compiled to modules"
                if not reason and entry.filename in extra:
                    continue  # written below, as given
                if reason:
                    removed[reason] = removed.get(reason, 0) + 1
                    continue
                executable = bool((entry.external_attr >> 16) & 0o111)
                write_entry(target, entry.filename, source.read(entry), executable)
            for name, data in sorted(extra.items()):
                write_entry(target, name, data, False)
    zip_path.write_bytes(buffer.getvalue())
    return removed
