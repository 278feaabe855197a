"""`python tools/coldstart.py STAGE…`: run a stage's zip as Lambda would, and time its cold start.

Unpacks the zip into an empty folder and imports it in a `python -B -S -I` that sees only the
standard library, the zip and boto3 with its dependencies (what the Lambda runtime adds),
against a moto server on loopback. The package test runs pages this way; the command
compares the cold start of chalice's zip with ours (docs/package.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.kernel.markets import Market  # noqa: E402
from chalicelib.web.render import COMPILED_DIR_NAME  # noqa: E402
from tests import events  # noqa: E402
from tools import package_run  # noqa: E402
from tools.package import (  # noqa: E402
    DEPLOYMENTS,
    STAGES,
    Package,
    PackageError,
    build,
    unknown_stage,
)
from tools.package_contents import served_markets  # noqa: E402
from tools.package_prune import LOCALE_DATA, prune  # noqa: E402
from tools.package_runtime import compile_sources, local  # noqa: E402
from tools.stage_config import trades_in  # noqa: E402

RUNTIME_MODULES = package_run.RUNTIME_MODULES  # what the Lambda runtime adds to the path
RUN_APP, RUN_SNAPSTART = package_run.RUN_APP, package_run.RUN_SNAPSTART
run_app = package_run.run_app
RESTORED = "shipped, restored (SnapStart)"


def unpack(zip_path: Path, directory: Path) -> Path:
    """Extract a zip as Lambda does into /var/task."""
    with zipfile.ZipFile(zip_path) as zipped:
        zipped.extractall(directory)
    return directory


def runtime_site(directory: Path) -> Path:
    """A folder holding only what the Lambda runtime adds to the path: boto3 and its deps."""
    try:
        return package_run.runtime_site(directory)
    except FileNotFoundError as error:
        raise PackageError(str(error)) from None


def page_events(markets: list[Market], product: str) -> list[tuple[str, Market, dict]]:
    """The home and a product page of each market, as canned API Gateway events."""
    found = []
    for market in markets:
        headers = {"host": "shop.example", "accept-language": market.html_lang}
        found.append(("home", market, events.load("home", market=market.code, headers=headers)))
        found.append(
            (
                "product",
                market,
                events.load("product", market=market.code, product=product, headers=headers),
            )
        )
    return found


def stage_environment(stage: str, table: str, endpoint: str) -> dict[str, str]:
    """The function's environment on Lambda, with the test table and fake credentials."""
    env = package_run.function_environment(stage, DEPLOYMENTS[stage].stage.region)
    env.update(TABLE_NAME=table, DYNAMODB_ENDPOINT_URL=endpoint)
    return env


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
    from chalicelib.catalog.importer.load import load
    from chalicelib.catalog.importer.table import ensure_table
    from chalicelib.kernel import aws

    table = aws.dynamodb_table(name, region, endpoint, budget=aws.LOAD_BUDGET)
    ensure_table(table)
    report = load(table, catalog)
    if report.rejections:
        raise PackageError(f"sample catalog rejected: {[str(r) for r in report.rejections]}")


def _variants(package: Package, chalice_zip: Path, directory: Path) -> dict[str, Path]:
    """The zips compared: chalice's, ours as sources, ours parsing templates at start, ours."""
    no_runtime = directory / "no-runtime.zip"
    shutil.copyfile(chalice_zip, no_runtime)
    with zipfile.ZipFile(chalice_zip) as zipped:
        every_locale = [
            n[len(LOCALE_DATA) : -4]
            for n in zipped.namelist()
            if n.startswith(LOCALE_DATA) and n.endswith(".dat")
        ]
        templates = {n: zipped.read(n) for n in zipped.namelist() if n.startswith("templates/")}
    prune(no_runtime, every_locale, package.catalogs)
    # The shipped zip as its sources: what a Python with no bytecode for it compiles at start.
    sources = directory / "sources.zip"
    shutil.copyfile(package.sources_zip, sources)
    # The shipped zip, its templates parsed and compiled at start instead of at package time.
    at_start = directory / "templates-at-start.zip"
    shutil.copyfile(package.sources_zip, at_start)
    with zipfile.ZipFile(at_start) as zipped:
        names = [n for n in zipped.namelist() if n.startswith(f"{COMPILED_DIR_NAME}/")]
    prune(at_start, package.locale_data, package.catalogs, package.function,
          trades_in(DEPLOYMENTS[package.stage]), templates, frozenset(names))  # fmt: skip
    if package.python:
        compile_sources(at_start, package.python)
    return {
        "chalice package": chalice_zip,
        "boto3 & deps removed only": no_runtime,
        "shipped as sources": sources,
        "shipped, templates at start": at_start,
        "shipped": package.zip_path,
        # The same zip on SnapStart: the hooks' restore, then the first page (no import).
        RESTORED: package.zip_path,
    }


def measure(stages: list[str], runs: int) -> None:
    """Zip sizes, unzip time and cold import + first request of each variant, interleaved."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server, endpoint = start_moto()
    print(
        "cold: `import app` + first product page in a fresh `python -B -S -I` over a freshly"
        f" unpacked zip;\nmedians of {runs} runs, the variants alternating in each round\n"
    )
    print(f"{'stage':<7}{'variant':<30}{'zip':>9}{'files':>7}{'unzip':>10}{'cold':>9}{'ratio':>7}")
    try:
        for stage in stages:
            with tempfile.TemporaryDirectory(prefix=f"package-{stage}-") as tmp:
                tmp_path = Path(tmp)
                chalice_zip = tmp_path / "chalice.zip"
                # For this machine's Python, which runs it; the deployed zip differs in its
                # bytecode's version and its wheels' platform (docs/package.md).
                package = build(
                    stage, tmp_path / "build", keep_unpruned=chalice_zip, runtime=local()
                )
                variants = _variants(package, chalice_zip, tmp_path)
                runtime = runtime_site(tmp_path / "runtime")
                catalog = sample_catalog(stage)
                load_table(endpoint, STAGES[stage]["region"], f"measure-{stage}", catalog)
                market = served_markets(stage)[0]
                event = page_events([market], catalog["products"][0]["id"])[1][2]
                env = stage_environment(stage, f"measure-{stage}", endpoint)
                cold: dict[str, list[float]] = {name: [] for name in variants}
                unzip: dict[str, list[float]] = {name: [] for name in variants}
                floor: list[float] = []
                floor_read: list[float] = []  # the floor with the one request a page makes
                for run in range(runs):
                    floor.append(package_run.run_boto(runtime, env))
                    read_env = dict(env, AWS_ENDPOINT_URL_DYNAMODB=endpoint)
                    floor_read.append(package_run.run_boto(runtime, read_env, f"measure-{stage}"))
                    for index, (name, zip_path) in enumerate(variants.items()):
                        task = tmp_path / f"task-{index}-{run}"
                        started = time.perf_counter()
                        unpack(zip_path, task)
                        unzip[name].append(time.perf_counter() - started)
                        script = RUN_SNAPSTART if name == RESTORED else RUN_APP
                        result = run_app(task, runtime, [event], env, script)
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
                        f"{statistics.median(cold[name]) * 1e3:>6.0f} ms"
                        f"{statistics.median(cold[name]) / statistics.median(floor):>7.2f}",
                        flush=True,
                    )
                floor_ms = statistics.median(floor) * 1e3
                label = "import boto3 + client (floor)"
                print(f"{stage:<7}{label:<30}{'':>26}{floor_ms:>6.0f} ms{1:>7.2f}", flush=True)
                read_ms = statistics.median(floor_read) * 1e3
                label, ratio = "  + one GetItem", read_ms / floor_ms
                print(f"{stage:<7}{label:<30}{'':>26}{read_ms:>6.0f} ms{ratio:>7.2f}", flush=True)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """Command line: compare the cold starts of chalice's zip and ours for some stages."""
    parser = argparse.ArgumentParser(prog="tools/coldstart.py", description=__doc__.split("\n")[0])
    parser.add_argument("stages", nargs="+", metavar="STAGE", help=", ".join(STAGES))
    parser.add_argument("--runs", type=int, default=5, help="cold starts per figure (5)")
    args = parser.parse_args(argv)
    error = unknown_stage(args.stages, STAGES)  # the shoppers' functions: they serve pages
    if error:
        print(error, file=sys.stderr)
        return 2
    try:
        measure(args.stages, args.runs)
    except (PackageError, package_run.RunFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
