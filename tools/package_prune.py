"""Pruning a zip to what the function runs, deterministically (same input, same bytes)."""

from __future__ import annotations

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
# Code the function never runs: the importer is for tools, Babel's message tooling for pybabel.
NOT_RUN = {
    "chalicelib/catalog/importer/": "modules of the catalog importer",
    "babel/messages/": "modules of Babel's message extraction and compilation",
}
# Text, bytecode and sources the function never reads.
DROPPED_SUFFIXES = (".po", ".pot", ".pyc")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


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


def _why_dropped(
    name: str, runtime: set[str], keep_data: set[str], keep_catalogs: set[str]
) -> str | None:
    if name in runtime:
        return "files of boto3 and its dependencies"
    for prefix, reason in NOT_RUN.items():
        if name.startswith(prefix):
            return reason
    if "__pycache__/" in name or name.endswith(DROPPED_SUFFIXES):
        return "gettext sources and bytecode files"
    if name.startswith(LOCALE_DATA) and name.endswith(".dat"):
        return None if name[len(LOCALE_DATA) : -4] in keep_data else "Babel locale files"
    if name.startswith("locales/") and name.endswith(".mo"):
        return None if name.split("/")[1] in keep_catalogs else "catalogs of no market"
    return None


def prune(zip_path: Path, locale_data: list[str], catalogs: list[str]) -> dict[str, int]:
    """Rewrite the zip with only what the function reads, sorted and with fixed metadata."""
    keep_data, keep_catalogs = set(locale_data), set(catalogs)
    removed: dict[str, int] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(zip_path) as source:
        runtime = _runtime_paths(source)
        entries = sorted((i for i in source.infolist() if not i.is_dir()), key=lambda i: i.filename)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for entry in entries:
                reason = _why_dropped(entry.filename, runtime, keep_data, keep_catalogs)
                if reason:
                    removed[reason] = removed.get(reason, 0) + 1
                    continue
                info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
                info.create_system = 3  # Unix, so that Lambda reads the permissions below
                executable = (entry.external_attr >> 16) & 0o111
                info.external_attr = (0o100755 if executable else 0o100644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(entry), compresslevel=9)
    zip_path.write_bytes(buffer.getvalue())
    return removed
