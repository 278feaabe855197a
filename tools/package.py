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
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.kernel.markets import Market  # noqa: E402
from tools.package_check import PackageError, check  # noqa: E402
from tools.package_contents import (  # noqa: E402
    CATALOG,
    LOCALES_DIR,
    catalogs_needed,
    editor_catalogs,
    locale_data_needed,
    rendered_markets,
    served_markets,
)
from tools.package_locales import (  # noqa: E402
    GLOBAL_ENTRY,
    NAMES_ENTRY,
    market_names,
    trimmed_global,
    trimmed_locale_file,
)
from tools.package_prune import (  # noqa: E402
    EDITOR_CODE,
    EDITOR_DOMAIN,
    LOCALE_DATA,
    edits,
    prune,
)
from tools.package_runtime import (  # noqa: E402
    TARGET,
    Runtime,
    chalice_command,
    compile_sources,
    interpreter,
)
from tools.package_templates import compiled_sources, compiled_templates  # noqa: E402
from tools.stage_config import deployments, trades_in  # noqa: E402

STAGES: dict[str, dict] = json.loads((ROOT / "chalicelib" / "kernel" / "stages.json").read_text())
DEPLOYMENTS = deployments()  # the Chalice stages: a package per function


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
    runtime: Runtime = TARGET
    sources_zip: Path | None = None  # the zip before its modules were compiled
    python: str | None = None  # the target's Python that compiled and checked it, if any
    compiled: int = 0  # modules shipped as bytecode

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


def chalice_package(stage: str, directory: Path, runtime: Runtime = TARGET) -> None:
    """Run `chalice package` for the stage and runtime into an emptied directory."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    chalice, runtime_env = chalice_command(runtime)
    command = [*chalice, "package", "--stage", stage, "--pkg-format", "cloudformation"]
    command += ["--merge-template", str(ROOT / "infra" / "merge.json")]
    env = dict(os.environ, AWS_DEFAULT_REGION=DEPLOYMENTS[stage].stage.region, **runtime_env)
    result = subprocess.run(
        [*command, str(directory)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise PackageError(f"chalice package failed:\n{output}")
    # Chalice only warns when a dependency has no wheel for Lambda, and leaves it out.
    if "Could not install dependencies" in output:
        raise PackageError(f"chalice left dependencies out:\n{output}")
    template_path = directory / "sam.json"
    template = json.loads(template_path.read_text())
    template_path.write_text(json.dumps(invoke_alias(template), indent=2) + "\n")


def invoke_alias(template: dict) -> dict:
    """API Gateway invokes the function's published alias: SnapStart applies to versions only.

    merge.json gives every function ``AutoPublishAlias: live``, for which SAM creates the alias
    ``APIHandlerAliaslive``; Chalice's API and its permission name the unqualified function.
    """
    alias = template["Globals"]["Function"]["AutoPublishAlias"]
    logical = f"APIHandlerAlias{alias}"
    resources = template["Resources"]
    if "RestAPI" in resources:
        text = json.dumps(resources["RestAPI"])
        resources["RestAPI"] = json.loads(text.replace("${APIHandler.Arn}", f"${{{logical}}}"))
    permission = resources.get("APIHandlerInvokePermission")
    if permission:
        permission["Properties"]["FunctionName"] = {"Ref": logical}
    return template


def _trimmed_locale_data(zip_path: Path, names: list[str], markets: list[Market]) -> dict:
    """The zip's Babel locale files, trimmed to what the shoppers' pages read."""
    currencies = {m.currency for m in markets}
    with zipfile.ZipFile(zip_path) as zipped:
        files = {
            f"{LOCALE_DATA}{name}.dat": trimmed_locale_file(
                zipped.read(f"{LOCALE_DATA}{name}.dat"), currencies
            )
            for name in names
        }
        files[GLOBAL_ENTRY] = trimmed_global(zipped.read(GLOBAL_ENTRY))
    return files


def build(
    stage: str,
    directory: Path | None = None,
    keep_unpruned: Path | None = None,
    runtime: Runtime = TARGET,
) -> Package:
    """Build the function's package for a runtime into ``directory`` (build/STAGE), pruned."""
    error = unknown_stage([stage])
    if error:
        raise PackageError(error.removeprefix("error: "))
    function = DEPLOYMENTS[stage].function
    directory = directory or ROOT / "build" / stage
    served = served_markets(DEPLOYMENTS[stage].stage.name)
    # The editor's pages speak any market's language; the shoppers' pages only their stage's.
    markets = rendered_markets(DEPLOYMENTS[stage].stage.name) if edits(function) else served
    catalogs = catalogs_needed(markets)
    compile_catalogs(catalogs_needed(rendered_markets("dev")))  # for the other markets' offers
    editor = editor_catalogs() if edits(function) else []
    compile_catalogs(editor, f"LC_MESSAGES/{EDITOR_DOMAIN}")
    chalice_package(stage, directory, runtime)
    zip_path = directory / "deployment.zip"
    if keep_unpruned:
        shutil.copyfile(zip_path, keep_unpruned)
    chalice_size = zip_path.stat().st_size
    locale_data = locale_data_needed(m.locale for m in markets)
    compiled = compiled_templates(edits(function))
    extra = {**compiled, NAMES_ENTRY: market_names(served)}
    if not edits(function):
        extra.update(_trimmed_locale_data(zip_path, locale_data, markets))
    removed = prune(
        zip_path, locale_data, catalogs, function, trades_in(DEPLOYMENTS[stage]), extra,
        compiled_sources(compiled), frozenset(m.code for m in served),
    )  # fmt: skip
    sources_zip = directory / "deployment-sources.zip"  # the same, before bytecode
    shutil.copyfile(zip_path, sources_zip)
    python = interpreter(runtime)
    compiled_modules = compile_sources(zip_path, python) if python else 0
    package = Package(
        runtime=runtime,
        python=python,
        sources_zip=sources_zip,
        compiled=compiled_modules,
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
    lines.append(
        f"  for {package.runtime.python} on {package.runtime.architecture}: "
        + (
            f"{package.compiled} modules as bytecode, checked with {package.python}"
            if package.python
            else f"no {package.runtime.python} here: sources shipped and not run"
        )
    )
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
