"""`python tools/package.py STAGE`: a function's SAM template and pruned zip in build/STAGE/.

STAGE is a Chalice stage: `eu` (the shoppers' function of stage eu), `eu-admin` (its marketing
editor) or `dev` (both). `chalice package` ships 29 MB: boto3 and its dependencies (which
the Lambda Python 3.11 runtime already has), all 1,148 of Babel's locale files, gettext
sources and bytecode. This keeps what the function reads and rewrites the zip
deterministically. docs/package.md says what is kept and why; `tools/coldstart.py` measures
the cold start it gives.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from tools.package_contents import (  # noqa: E402
    CATALOG,
    LOCALES_DIR,
    catalogs_needed,
    editor_catalogs,
    legal_files,
    locale_data_needed,
    rendered_markets,
)
from tools.package_prune import (  # noqa: E402
    EDITOR_CODE,
    EDITOR_DOMAIN,
    EDITOR_FILES,
    LOCALE_DATA,
    editor_only,
    edits,
    prune,
)
from tools.package_run import RUNTIME_MODULES, import_problem  # noqa: E402
from tools.package_templates import compiled_sources, compiled_templates  # noqa: E402
from tools.stage_config import deployments, trades_in  # noqa: E402

STAGES: dict[str, dict] = json.loads((ROOT / "chalicelib" / "kernel" / "stages.json").read_text())
DEPLOYMENTS = deployments()  # the Chalice stages: a package per function
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
    *legal_files(),
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


@dataclass
class Package:
    """What one build wrote and what it left out."""

    stage: str  # the Chalice stage: eu, eu-admin, dev
    directory: Path
    zip_path: Path
    template_path: Path
    chalice_size: int
    size: int
    locale_data: list[str]
    catalogs: list[str]
    removed: dict[str, int] = field(default_factory=dict)
    editor_catalogs: list[str] = field(default_factory=list)

    @property
    def function(self) -> str:
        """FUNCTION of the packaged function: storefront, admin or all."""
        return DEPLOYMENTS[self.stage].function


# ----------------------------------------------------------------------------- building


def compile_catalogs(names: Iterable[str], catalog: str = CATALOG) -> list[str]:
    """Compile each catalog whose .mo is missing or older than its .po (as `make compile`)."""
    pybabel = Path(sys.executable).with_name("pybabel")
    compiled = []
    for name in names:
        po = LOCALES_DIR / name / f"{catalog}.po"
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        command = [str(pybabel), "compile", "-i", str(po), "-o", str(mo)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise PackageError(f"cannot compile {po.relative_to(ROOT)}:\n{result.stderr}")
        compiled.append(name)
    return compiled


def chalice_package(stage: str, directory: Path) -> None:
    """Run `chalice package` for the stage into an emptied directory."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    chalice = Path(sys.executable).with_name("chalice")
    command = [str(chalice), "package", "--stage", stage, "--pkg-format", "cloudformation"]
    command += ["--merge-template", str(ROOT / "infra" / "merge.json")]
    env = dict(os.environ, AWS_DEFAULT_REGION=DEPLOYMENTS[stage].stage.region)
    result = subprocess.run(
        [*command, str(directory)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise PackageError(f"chalice package failed:\n{output}")
    # Chalice only warns when a dependency has no wheel for Lambda, and leaves it out.
    if "Could not install dependencies" in output:
        raise PackageError(f"chalice left dependencies out:\n{output}")


def check(package: Package) -> None:
    """Fail if the zip would not run: a missing module, catalog or locale, or a runtime copy."""
    with zipfile.ZipFile(package.zip_path) as zipped:
        names = set(zipped.namelist())
    required = REQUIRED_ENTRIES + (EDITOR_ENTRIES if edits(package.function) else ())
    problems = [f"{name} is missing" for name in required if name not in names]
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
        if f"{module}/__init__.py" in names or f"{module}.py" in names:
            problems.append(f"{module} is in the zip: the Lambda runtime provides it")
    template = json.loads(package.template_path.read_text())
    code_uris = {
        resource["Properties"].get("CodeUri")
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    if code_uris != {"./deployment.zip"}:
        problems.append(f"the SAM template's CodeUri is {code_uris}, not ./deployment.zip")
    if problems:
        raise PackageError("the pruned package is broken:\n  " + "\n  ".join(problems))
    _check_locales_load(package)
    problem = import_problem(
        package.zip_path, package.stage, DEPLOYMENTS[package.stage].stage.region
    )
    if problem:
        raise PackageError(f"the function cannot import its app from the pruned zip:\n{problem}")


LOAD_LOCALES = """
import json, sys
sys.path.insert(0, sys.argv[1])
from babel import Locale, localedata
from babel.numbers import format_currency
for name in sys.argv[2:]:
    locale = Locale.parse(name)
    locale.get_display_name(locale), locale.territories
    format_currency(1234.5, "EUR", locale=locale)
print(json.dumps(sorted(localedata._cache)))
"""


def _check_locales_load(package: Package) -> None:
    """Load and use every market's locale from the pruned Babel alone, in a bare Python."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(package.zip_path) as zipped:
        zipped.extractall(tmp, [n for n in zipped.namelist() if n.startswith("babel/")])
        locales = [m.locale for m in rendered_markets(DEPLOYMENTS[package.stage].stage.name)]
        result = subprocess.run(
            [sys.executable, "-B", "-S", "-I", "-c", LOAD_LOCALES, tmp, *locales],
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
    if result.returncode != 0:
        raise PackageError(f"Babel cannot load the markets' locales:\n{result.stderr}")
    loaded = json.loads(result.stdout)
    if loaded != package.locale_data:
        raise PackageError(f"Babel loaded {loaded}, the zip has {package.locale_data}")


def build(stage: str, directory: Path | None = None, keep_unpruned: Path | None = None) -> Package:
    """Build the function's package into ``directory`` (build/STAGE) and prune its zip."""
    error = unknown_stage([stage])
    if error:
        raise PackageError(error.removeprefix("error: "))
    function = DEPLOYMENTS[stage].function
    directory = directory or ROOT / "build" / stage
    markets = rendered_markets(DEPLOYMENTS[stage].stage.name)
    catalogs = catalogs_needed(markets)
    compile_catalogs(catalogs)
    editor = editor_catalogs() if edits(function) else []
    compile_catalogs(editor, f"LC_MESSAGES/{EDITOR_DOMAIN}")
    chalice_package(stage, directory)
    zip_path = directory / "deployment.zip"
    if keep_unpruned:
        shutil.copyfile(zip_path, keep_unpruned)
    chalice_size = zip_path.stat().st_size
    locale_data = locale_data_needed(m.locale for m in markets)
    compiled = compiled_templates(edits(function))
    removed = prune(
        zip_path, locale_data, catalogs, function, trades_in(DEPLOYMENTS[stage]), compiled,
        compiled_sources(compiled),
    )  # fmt: skip
    package = Package(
        stage=stage,
        directory=directory,
        zip_path=zip_path,
        template_path=directory / "sam.json",
        chalice_size=chalice_size,
        size=zip_path.stat().st_size,
        locale_data=locale_data,
        catalogs=catalogs,
        removed=removed,
        editor_catalogs=editor,
    )
    check(package)
    return package


def report(package: Package) -> str:
    """What a build wrote, for the terminal."""
    removed = ", ".join(f"{count} {what}" for what, count in sorted(package.removed.items()))
    path = package.zip_path
    lines = [
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:"
        f" {package.chalice_size / 1e6:.1f} MB from chalice, {package.size / 1e6:.2f} MB pruned",
        f"  kept {len(package.locale_data)} Babel locale files ({' '.join(package.locale_data)})",
        f"  kept {len(package.catalogs)} catalogs ({' '.join(package.catalogs)})",
    ]
    if package.editor_catalogs:
        lines.append(f"  kept the editor's catalogs ({' '.join(package.editor_catalogs)})")
    lines.append(f"  removed {removed}")
    if not edits(package.function) and not set(EDITOR_CODE.values()) & set(package.removed):
        lines.append("  kept chalicelib/admin/: a module imports it as it loads (docs/package.md)")
    return "\n".join(lines)


def unknown_stage(names: list[str], known: Iterable[str] = DEPLOYMENTS) -> str | None:
    """The error for the first name that is not a stage, or None when all are."""
    known = list(known)
    unknown = [s for s in names if s not in known]
    return (
        f"error: unknown stage {unknown[0]!r}; stages are {', '.join(known)}" if unknown else None
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: build each stage's package."""
    parser = argparse.ArgumentParser(prog="tools/package.py", description=__doc__.split("\n")[0])
    parser.add_argument("stages", nargs="+", metavar="STAGE", help=", ".join(DEPLOYMENTS))
    args = parser.parse_args(argv)
    error = unknown_stage(args.stages)
    if error:
        print(error, file=sys.stderr)
        return 2
    try:
        for stage in args.stages:
            print(report(build(stage)))
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
