"""`python tools/package.py STAGE`: a stage's SAM template and pruned zip in build/STAGE/.

`chalice package` ships 29 MB: boto3 and its dependencies (which the Lambda Python 3.11
runtime already has), all 1,148 of Babel's locale files, gettext sources and bytecode. This
keeps what the stage's pages read and rewrites the zip deterministically. docs/package.md
says what is kept and why; `tools/coldstart.py` measures the cold start it gives.
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
    locale_data_needed,
    rendered_markets,
)
from tools.package_prune import LOCALE_DATA, prune  # noqa: E402

STAGES: dict[str, dict] = json.loads((ROOT / "chalicelib" / "kernel" / "stages.json").read_text())
RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six")
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
)


class PackageError(Exception):
    """A package that cannot be built, or that would not run."""


@dataclass
class Package:
    """What one build wrote and what it left out."""

    stage: str
    directory: Path
    zip_path: Path
    template_path: Path
    chalice_size: int
    size: int
    locale_data: list[str]
    catalogs: list[str]
    removed: dict[str, int] = field(default_factory=dict)


# ----------------------------------------------------------------------------- building


def compile_catalogs(names: Iterable[str]) -> list[str]:
    """Compile each catalog whose .mo is missing or older than its .po (as `make compile`)."""
    pybabel = Path(sys.executable).with_name("pybabel")
    compiled = []
    for name in names:
        po = LOCALES_DIR / name / f"{CATALOG}.po"
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
    env = dict(os.environ, AWS_DEFAULT_REGION=STAGES[stage]["region"])
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
    problems = [f"{name} is missing" for name in REQUIRED_ENTRIES if name not in names]
    for catalog in package.catalogs:
        if f"locales/{catalog}/{CATALOG}.mo" not in names:
            problems.append(f"the compiled catalog of {catalog} is missing")
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
        locales = [m.locale for m in rendered_markets(package.stage)]
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
    """Build the stage's package into ``directory`` (build/STAGE) and prune its zip."""
    if stage not in STAGES:
        raise PackageError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    directory = directory or ROOT / "build" / stage
    markets = rendered_markets(stage)
    catalogs = catalogs_needed(markets)
    compile_catalogs(catalogs)
    chalice_package(stage, directory)
    zip_path = directory / "deployment.zip"
    if keep_unpruned:
        shutil.copyfile(zip_path, keep_unpruned)
    chalice_size = zip_path.stat().st_size
    locale_data = locale_data_needed(m.locale for m in markets)
    removed = prune(zip_path, locale_data, catalogs)
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
    )
    check(package)
    return package


def report(package: Package) -> str:
    """What a build wrote, for the terminal."""
    removed = ", ".join(f"{count} {what}" for what, count in sorted(package.removed.items()))
    path = package.zip_path
    return (
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:"
        f" {package.chalice_size / 1e6:.1f} MB from chalice, {package.size / 1e6:.2f} MB pruned\n"
        f"  kept {len(package.locale_data)} Babel locale files ({' '.join(package.locale_data)})\n"
        f"  kept {len(package.catalogs)} catalogs ({' '.join(package.catalogs)})\n"
        f"  removed {removed}"
    )


def unknown_stage(names: list[str]) -> str | None:
    """The error for the first name that is not a stage, or None when all are."""
    unknown = [s for s in names if s not in STAGES]
    return (
        f"error: unknown stage {unknown[0]!r}; stages are {', '.join(STAGES)}" if unknown else None
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: build each stage's package."""
    parser = argparse.ArgumentParser(prog="tools/package.py", description=__doc__.split("\n")[0])
    parser.add_argument("stages", nargs="+", metavar="STAGE", help=", ".join(STAGES))
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
