"""Checks of a built package: every entry it must hold, and that it imports and loads its data.

The build (tools/package.py) calls ``check`` on every package; a failure is a PackageError.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from typing import Any

from tools.package_contents import (
    CATALOG,
    legal_files,
    rendered_markets,
    served_markets,
)
from tools.package_locales import NAMES_ENTRY
from tools.package_prune import EDITOR_DOMAIN, EDITOR_FILES, LOCALE_DATA, editor_only, edits
from tools.package_run import RUNTIME_MODULES, import_problem
from tools.stage_config import deployments

DEPLOYMENTS = deployments()

# What the function must import from its own zip.
REQUIRED_ENTRIES = (
    "app.py",
    "chalice/app.py",
    "chalicelib/__init__.py",
    "jinja2/__init__.py",
    "markupsafe/__init__.py",
    "babel/__init__.py",
    "babel/global.dat",
    "templates/base.html",
    "templates_compiled/MANIFEST",
    NAMES_ENTRY,
)
# What the editor also needs: Babel's .po reader and writer, and the list of messages.
EDITOR_ENTRIES = (
    "chalicelib/admin/__init__.py",
    "babel/messages/__init__.py",
    "babel/messages/pofile.py",
    "babel/messages/mofile.py",
    *EDITOR_FILES,
)


class PackageError(Exception):
    """A package that cannot be built, or that would not run."""


def check(package: Any) -> None:
    """Fail if the zip would not run: a missing module, catalog or locale, or a runtime copy."""
    with zipfile.ZipFile(package.zip_path) as zipped:
        names = set(zipped.namelist())
    served = served_markets(DEPLOYMENTS[package.stage].stage.name)
    required = REQUIRED_ENTRIES + (EDITOR_ENTRIES if edits(package.function) else ())
    required += tuple(legal_files(m.code for m in served))
    problems = [
        f"{name} is missing"
        for name in required
        if name not in names and not (name.endswith(".py") and f"{name}c" in names)
    ]
    for catalog in package.catalogs:
        if f"locales/{catalog}/{CATALOG}.mo" not in names:
            problems.append(f"the compiled catalog of {catalog} is missing")
    for catalog in package.editor_catalogs:
        if f"locales/{catalog}/LC_MESSAGES/{EDITOR_DOMAIN}.mo" not in names:
            problems.append(f"the editor's compiled catalog of {catalog} is missing")
    if not edits(package.function) and editor_only(names):
        problems.append(f"the shoppers' zip holds the editor's {editor_only(names)[:3]}")
    shipped = sorted(
        n[len(LOCALE_DATA) : -4] for n in names if n.startswith(LOCALE_DATA) and n.endswith(".dat")
    )
    if shipped != package.locale_data:
        problems.append(f"locale data {shipped} is not the needed {package.locale_data}")
    for module in RUNTIME_MODULES:
        if {f"{module}/__init__.py", f"{module}/__init__.pyc", f"{module}.py"} & names:
            problems.append(f"{module} is in the zip: the Lambda runtime provides it")
    template = json.loads(package.template_path.read_text())
    code_uris = {
        resource["Properties"].get("CodeUri")
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    if code_uris != {"./deployment.zip"}:
        problems.append(f"the SAM template's CodeUri is {code_uris}, not ./deployment.zip")
    function = template["Resources"]["APIHandler"]["Properties"]
    if function.get("Runtime") != package.runtime.python:
        problems.append(f"the SAM template's runtime is {function.get('Runtime')}")
    if function.get("Architectures") != [package.runtime.architecture]:
        problems.append(f"the SAM template's architectures are {function.get('Architectures')}")
    if problems:
        raise PackageError("the pruned package is broken:\n  " + "\n  ".join(problems))
    if package.python is None:  # no Python of the target here: nothing more can be run
        return
    _check_locales_load(package)
    problem = import_problem(
        package.zip_path, package.stage, DEPLOYMENTS[package.stage].stage.region, package.python
    )
    if problem:
        raise PackageError(f"the function cannot import its app from the pruned zip:\n{problem}")


LOAD_LOCALES = """
import json, sys
sys.path.insert(0, sys.argv[1])
from babel import Locale, localedata
from babel.dates import format_skeleton
from babel.numbers import format_currency
for name in sys.argv[2:]:
    locale = Locale.parse(name)
    format_currency(1234.5, "EUR", locale=locale), locale.plural_form(2)
    format_skeleton("MMMMEd", __import__("datetime").date(2026, 12, 3), locale=locale)
print(json.dumps(sorted(localedata._cache)))
"""


def _check_locales_load(package: Any) -> None:
    """Load and use every market's locale from the pruned Babel alone, in a bare Python."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(package.zip_path) as zipped:
        zipped.extractall(tmp, [n for n in zipped.namelist() if n.startswith("babel/")])
        stage = DEPLOYMENTS[package.stage].stage.name
        markets = rendered_markets(stage) if edits(package.function) else served_markets(stage)
        locales = [m.locale for m in markets]
        result = subprocess.run(
            [package.python or sys.executable, "-B", "-S", "-I", "-c", LOAD_LOCALES, tmp, *locales],
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
    if result.returncode != 0:
        raise PackageError(f"Babel cannot load the markets' locales:\n{result.stderr}")
    loaded = json.loads(result.stdout)
    if loaded != package.locale_data:
        raise PackageError(f"Babel loaded {loaded}, the zip has {package.locale_data}")
