"""`python tools/package.py STAGE`: a stage's SAM template and pruned zip in build/STAGE/.

`chalice package` ships 29 MB: boto3 and its dependencies (which the Lambda Python 3.11
runtime already has), all 1,148 of Babel's locale files, gettext sources and bytecode. This
keeps what the stage's pages read and rewrites the zip deterministically. docs/package.md
says what is kept and why; `--measure` prints the sizes and cold import times it reports.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.markets import MARKETS, Market, for_stage  # noqa: E402

STAGES: dict[str, dict] = json.loads((ROOT / "chalicelib" / "stages.json").read_text())
LOCALES_DIR = ROOT / "locales"
LOCALE_DATA = "babel/locale-data/"
CATALOG = "LC_MESSAGES/messages"
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
# Text, bytecode and sources the function never reads.
DROPPED_SUFFIXES = (".po", ".pot", ".pyc")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


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


# ----------------------------------------------------------------------------- what is kept


def served_markets(stage: str) -> list[Market]:
    """Markets whose pages the stage answers; dev answers every market."""
    return for_stage(stage) or list(MARKETS.values())


def rendered_markets(stage: str) -> list[Market]:
    """Markets whose locale data and catalogs the stage's pages read.

    Every page's market switcher (templates/base.html) and the picker list all markets, each
    named in its own language with Babel's data for its locale (``country_name``,
    ``market_name``) and invited in with its own catalogs (``market_offer``). So every stage
    reads the data of every market, not only of those it serves.
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
    names = {name for m in markets for name in m.catalog_chain}
    return sorted(n for n in names if (LOCALES_DIR / n / f"{CATALOG}.po").exists())


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


# ----------------------------------------------------------------------------- running it


def unpack(zip_path: Path, directory: Path) -> Path:
    """Extract a zip as Lambda does into /var/task."""
    with zipfile.ZipFile(zip_path) as zipped:
        zipped.extractall(directory)
    return directory


def runtime_site(directory: Path) -> Path:
    """A folder holding only what the Lambda runtime adds to the path: boto3 and its deps."""
    import importlib.util

    directory.mkdir(parents=True, exist_ok=True)
    for module in RUNTIME_MODULES:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise PackageError(f"{module} is not installed here")
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        link = directory / source.name
        if not link.exists():
            link.symlink_to(source)
    return directory


def api_event(path: str, market: Market) -> dict:
    """An API Gateway proxy event for a GET of ``path``, from a shopper of the market."""
    parts = path.strip("/").split("/")
    if len(parts) == 1:
        resource, params = "/{market}", {"market": parts[0]}
    else:
        resource, params = "/{market}/p/{product}", {"market": parts[0], "product": parts[2]}
    headers = {"host": "shop.example", "accept-language": market.html_lang}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": params,
        "stageVariables": None,
        "requestContext": {"resourcePath": resource, "httpMethod": "GET", "path": path},
        "body": None,
        "isBase64Encoded": False,
    }


# Runs in `python -S -I`: the standard library only, then the package and the runtime's
# packages, in the order Lambda puts /var/task and /var/runtime on the path.
RUN_APP = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
events = json.load(sys.stdin)
started = time.perf_counter()
from app import app
responses = [app(event, None) for event in events[:1]]
first = time.perf_counter() - started
responses += [app(event, None) for event in events[1:]]
import babel.localedata
modules = {
    name: getattr(module, "__file__", None)
    for name, module in sorted(sys.modules.items())
    if getattr(module, "__file__", None)
}
print(json.dumps({
    "seconds": first,
    "responses": [
        {"status": r["statusCode"], "body": r["body"], "headers": r["headers"]} for r in responses
    ],
    "locales_loaded": sorted(babel.localedata._cache),
    "modules": modules,
}))
"""


def stage_environment(stage: str, table: str, endpoint: str) -> dict[str, str]:
    """The function's environment on Lambda, with the test table and fake credentials."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"}
    env.update(config.get("environment_variables", {}))
    env.update(config["stages"].get(stage, {}).get("environment_variables", {}))
    env.update(
        TABLE_NAME=table,
        DYNAMODB_ENDPOINT_URL=endpoint,
        AWS_DEFAULT_REGION=STAGES[stage]["region"],
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    return env


def run_app(task: Path, runtime: Path, events: list[dict], env: dict[str, str]) -> dict:
    """Import the app from an unpacked package in a bare Python and answer the events."""
    result = subprocess.run(
        [sys.executable, "-B", "-S", "-I", "-c", RUN_APP, str(task), str(runtime)],
        input=json.dumps(events),
        capture_output=True,
        text=True,
        env=env,
        cwd=task,
        timeout=120,
    )
    if result.returncode != 0:
        raise PackageError(f"the unpacked package failed:\n{result.stderr}")
    # The app logs to stdout too (as on Lambda): the result is the last line.
    lines = result.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        raise PackageError(f"the unpacked package printed no result:\n{result.stdout}") from None


def sample_catalog(stage: str, count: int = 2) -> dict:
    """The first products of the demo catalog sold in every market of the stage, only there."""
    catalog = json.loads((ROOT / "data" / "demo-catalog.json").read_text(encoding="utf-8"))
    codes = [m.code for m in served_markets(stage)]
    products = []
    for product in catalog["products"]:
        if all(code in product["markets"] for code in codes):
            markets = {code: product["markets"][code] for code in codes}
            products.append({**product, "markets": markets})
        if len(products) == count:
            break
    return {**catalog, "products": products}


def start_moto():
    """A moto server on a free loopback port, in this process."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def load_table(endpoint: str, region: str, name: str, catalog: dict) -> None:
    """Create a storefront table in the moto server and load a catalog with our loader."""
    from chalicelib import aws, loader

    table = aws.dynamodb_table(name, region=region, endpoint_url=endpoint)
    aws.ensure_table(table)
    report = loader.load(table, catalog)
    if report.rejections:
        raise PackageError(f"sample catalog rejected: {[str(r) for r in report.rejections]}")


def _variants(package: Package, chalice_zip: Path, directory: Path) -> dict[str, Path]:
    """The zips compared by --measure: chalice's, without runtime packages only, ours."""
    no_runtime = directory / "no-runtime.zip"
    shutil.copyfile(chalice_zip, no_runtime)
    with zipfile.ZipFile(chalice_zip) as zipped:
        every_locale = [
            n[len(LOCALE_DATA) : -4]
            for n in zipped.namelist()
            if n.startswith(LOCALE_DATA) and n.endswith(".dat")
        ]
    prune(no_runtime, every_locale, package.catalogs)
    return {
        "chalice package": chalice_zip,
        "boto3 & deps removed only": no_runtime,
        "pruned (shipped)": package.zip_path,
        "pruned + .pyc (not shipped)": package.zip_path,
    }


def _compile_unchecked(directory: Path) -> None:
    """Byte-compile a tree as a build could ship it: hash-based .pyc that are never checked."""
    import compileall
    import py_compile

    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
    compileall.compile_dir(str(directory), quiet=2, invalidation_mode=mode)


def measure(stages: list[str], runs: int) -> None:
    """Zip sizes, unzip time and cold import + first request of each variant, interleaved."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server, endpoint = start_moto()
    print(
        "cold: `import app` + first product page in a fresh `python -B -S -I` over a freshly"
        f" unpacked zip;\nmedians of {runs} runs, the variants alternating in each round\n"
    )
    print(f"{'stage':<7}{'variant':<30}{'zip':>9}{'files':>7}{'unzip':>10}{'cold':>9}")
    try:
        for stage in stages:
            with tempfile.TemporaryDirectory(prefix=f"package-{stage}-") as tmp:
                tmp_path = Path(tmp)
                chalice_zip = tmp_path / "chalice.zip"
                package = build(stage, tmp_path / "build", keep_unpruned=chalice_zip)
                variants = _variants(package, chalice_zip, tmp_path)
                runtime = runtime_site(tmp_path / "runtime")
                catalog = sample_catalog(stage)
                load_table(endpoint, STAGES[stage]["region"], f"measure-{stage}", catalog)
                market = served_markets(stage)[0]
                event = api_event(f"/{market.code}/p/{catalog['products'][0]['id']}", market)
                env = stage_environment(stage, f"measure-{stage}", endpoint)
                cold: dict[str, list[float]] = {name: [] for name in variants}
                unzip: dict[str, list[float]] = {name: [] for name in variants}
                for run in range(runs):
                    for index, (name, zip_path) in enumerate(variants.items()):
                        task = tmp_path / f"task-{index}-{run}"
                        started = time.perf_counter()
                        unpack(zip_path, task)
                        unzip[name].append(time.perf_counter() - started)
                        if name.startswith("pruned + .pyc"):
                            _compile_unchecked(task)
                        result = run_app(task, runtime, [event], env)
                        if result["responses"][0]["status"] != 200:
                            raise PackageError(f"{name} {stage}: {result['responses'][0]}")
                        cold[name].append(result["seconds"])
                        shutil.rmtree(task)
                for name, zip_path in variants.items():
                    with zipfile.ZipFile(zip_path) as zipped:
                        files = len(zipped.namelist())
                    print(
                        f"{stage:<7}{name:<30}{zip_path.stat().st_size / 1e6:>6.2f} MB{files:>7}"
                        f"{statistics.median(unzip[name]) * 1e3:>7.0f} ms"
                        f"{statistics.median(cold[name]) * 1e3:>6.0f} ms",
                        flush=True,
                    )
    finally:
        server.stop()


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


def main(argv: list[str] | None = None) -> int:
    """Command line: build one stage's package, or measure stages."""
    parser = argparse.ArgumentParser(prog="tools/package.py", description=__doc__.split("\n")[0])
    parser.add_argument("stages", nargs="+", metavar="STAGE", help=", ".join(STAGES))
    parser.add_argument("--measure", action="store_true", help="compare with chalice's zip")
    parser.add_argument("--runs", type=int, default=5, help="cold starts per figure (5)")
    args = parser.parse_args(argv)
    unknown = [s for s in args.stages if s not in STAGES]
    if unknown:
        print(
            f"error: unknown stage {unknown[0]!r}; stages are {', '.join(STAGES)}", file=sys.stderr
        )
        return 2
    try:
        if args.measure:
            measure(args.stages, args.runs)
        else:
            for stage in args.stages:
                print(report(build(stage)))
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
