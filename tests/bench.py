"""`make bench`: offer update writes, DynamoDB requests, warm time vs pure render, cold start.

A benchmark, not a test: it prints figures and asserts nothing. DynamoDB time is measured
apart (moto's latency says nothing about DynamoDB's) and left out of the warm figures.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_RUNS = int(os.environ.get("BENCH_RUNS", "300"))
DDB_RUNS = int(os.environ.get("BENCH_DDB_RUNS", "10"))
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "7"))
MARKET = os.environ.get("BENCH_MARKET", "fr-fr")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class DynamoCounter:
    """Counts DynamoDB API calls through botocore's event hooks."""

    def __init__(self, client) -> None:
        self.calls = 0
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, **_):
        self.calls += 1


class RecordingTable:
    """Passes reads to the real table and times them, or replays the last answer.

    Every page makes one read, so replaying the last answer takes DynamoDB (and moto, and
    boto3's parsing of the answer) out of the warm figure, which then measures only our code.
    """

    def __init__(self, table) -> None:
        self.table = table
        self.replay = False
        self.seconds: list[float] = []
        self._answer: dict | None = None

    def __getattr__(self, name):
        return getattr(self.table, name)

    def _read(self, method: str, **kwargs):
        if self.replay:
            return self._answer
        t = time.perf_counter()
        self._answer = getattr(self.table, method)(**kwargs)
        self.seconds.append(time.perf_counter() - t)
        return self._answer

    def get_item(self, **kwargs):
        return self._read("get_item", **kwargs)

    def query(self, **kwargs):
        return self._read("query", **kwargs)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start")


def _cold(code: str, env: dict) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


COLD_APP = """
import time, json
t = time.perf_counter()
from app import app
event = json.loads(%r)
response = app(event, None)
assert response["statusCode"] == 200, response["statusCode"]
print(time.perf_counter() - t)
"""

COLD_BOTO = """
import time
t = time.perf_counter()
import boto3
boto3.client("dynamodb", region_name="eu-west-3")
print(time.perf_counter() - t)
"""


class WriteCounter:
    """Counts the write requests a client sends, through botocore's event hooks."""

    WRITES = ("PutItem", "DeleteItem", "BatchWriteItem", "UpdateItem")

    def __init__(self, client) -> None:
        self.requests = 0
        self.events = client.meta.events
        self.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_):
        self.requests += model.name in self.WRITES

    def close(self) -> None:
        self.events.unregister("before-call.dynamodb", self._count)


def writes_of_update(table, catalog: dict, product: str) -> None:
    """One offer's new price against a full reload of the demo: write requests, items, time."""
    from chalicelib.catalog.importer.load import load
    from chalicelib.catalog.importer.offers import update_offers, validate_feed

    offer = catalog_offer(catalog, product, MARKET)
    row = {"product": product, "market": MARKET, **offer, "price": offer["price"] - 100}
    counter = WriteCounter(table.meta.client)
    started = time.perf_counter()
    report = update_offers(table, validate_feed([row])[0])
    update = (counter.requests, report.items_written + report.items_deleted)
    update_seconds = time.perf_counter() - started
    counter.requests = 0
    started = time.perf_counter()
    reload = load(table, catalog)
    reload_seconds = time.perf_counter() - started
    counter.close()
    print("writes: one offer's new price against a full reload of the demo catalog")
    print(f"{'':<26}{'requests':>9}{'items':>9}{'seconds':>9}")
    print(
        f"{'offer update (' + MARKET + ')':<26}{update[0]:>9}{update[1]:>9}{update_seconds:>9.2f}"
    )
    items = reload.items_written + reload.items_deleted
    print(f"{'full reload':<26}{counter.requests:>9}{items:>9}{reload_seconds:>9.2f}\n")


def catalog_offer(catalog: dict, product: str, market: str) -> dict:
    """The first in-stock offer of a product in a market, as a feed row names it."""
    raw = next(p for p in catalog["products"] if p["id"] == product)
    offer = next(o for o in raw["markets"][market]["offers"] if o["stock"] > 0)
    names = ("refurbisher", "storage_gb", "color", "grade", "price", "stock")
    return {name: offer[name] for name in names}


def main() -> None:
    from chalicelib.catalog.importer.load import load
    from chalicelib.catalog.importer.table import ensure_table
    from chalicelib.composition import Services, create_app
    from chalicelib.kernel import aws
    from chalicelib.kernel.markets import MARKETS
    from chalicelib.web.render import Renderer, translated
    from tests import events

    env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    # The shoppers' function as deployed: its routes only (the editor is another function).
    env.update(AWS_DEFAULT_REGION="eu-west-3", TABLE_NAME="storefront-bench")
    env.update(FUNCTION="storefront", ADMIN_TABLE_NAME="storefront-admin-bench")
    os.environ.update(env)
    # moto in its own process: its 25,000 items would otherwise sit in this heap and make
    # every garbage collection of the measured requests slower than on Lambda.
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    _wait_for(port)
    env["DYNAMODB_ENDPOINT_URL"] = os.environ["DYNAMODB_ENDPOINT_URL"] = endpoint
    try:
        # Loads ride out a slow moto; pages read through a client with the page budget.
        loading = aws.dynamodb_table(
            "storefront-bench", endpoint_url=endpoint, budget=aws.LOAD_BUDGET
        )
        table = aws.dynamodb_table("storefront-bench", endpoint_url=endpoint)
        ensure_table(loading)
        from chalicelib.admin.keys import table_definition

        loading.meta.client.create_table(**table_definition("storefront-admin-bench"))
        catalog = json.loads((ROOT / "data" / "demo-catalog.json").read_text(encoding="utf-8"))
        started = time.perf_counter()
        report = load(loading, catalog)
        print(
            f"demo catalog: {report.products} products, {report.items_written} items,"
            f" loaded into moto in {time.perf_counter() - started:.1f} s\n"
        )
        product = max(catalog["products"], key=lambda p: p["popularity"])["id"]
        writes_of_update(loading, catalog, product)
        del catalog
        pages = {
            "home": events.load("home", market=MARKET),
            "listing": events.load("listing", market=MARKET),
            "listing+filters": events.load("listing-filtered", market=MARKET),
            "product": events.load("product", market=MARKET, product=product),
            "search": events.load("search", market=MARKET),
        }
        counter = DynamoCounter(table.meta.client)
        recorder = RecordingTable(table)
        captured: list[tuple] = []

        class CapturingRenderer(Renderer):
            """Keeps what each page rendered, so the bench can render it again alone."""

            def render(self, name, translations, context):
                captured.append((name, translations, context))
                return super().render(name, translations, context)

        renderer = CapturingRenderer(Services().renderer.globals)
        app = create_app(Services(catalog_table=lambda: recorder, renderer=renderer))

        header = (
            f"{'page':<16}{'ddb req':>8}{'p50 ms':>9}{'p95 ms':>9}{'jinja p50':>11}"
            f"{'ratio':>7}{'moto p50':>10}{'html B':>9}{'gzip B':>8}"
        )
        print(f"warm, in-process, {WARM_RUNS} requests per page, DynamoDB answers replayed")
        print(header)
        for name, event in pages.items():
            recorder.replay = False
            recorder.seconds.clear()
            calls = []
            for _ in range(DDB_RUNS):
                before = counter.calls
                response = app(event, None)
                calls.append(counter.calls - before)
            recorder.replay = True
            response = app(event, None)
            assert response["statusCode"] == 200, (name, response["statusCode"])
            ddb = recorder.seconds
            captured.clear()
            app(event, None)
            template_name, translations, context = captured[-1]
            template = renderer.template(template_name)

            def pure_render(template=template, context=context, translations=translations):
                with translated(translations):
                    template.render(context)

            # Interleaved, so that both series see the same machine: it is shared and noisy.
            ours, pure = [], []
            for _ in range(WARM_RUNS):
                t = time.perf_counter()
                response = app(event, None)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                pure_render()
                pure.append(time.perf_counter() - t)
            html = response["body"].encode("utf-8")
            p50, p95, jinja = _pct(ours, 0.5), _pct(ours, 0.95), _pct(pure, 0.5)
            print(
                f"{name:<16}{max(calls):>8}{p50 * 1e3:>9.2f}{p95 * 1e3:>9.2f}{jinja * 1e3:>11.2f}"
                f"{p50 / jinja:>7.2f}{_pct(ddb, 0.5) * 1e3:>10.1f}{len(html):>9}"
                f"{len(gzip.compress(html)):>8}"
            )
        print(f"\ncold start: import + first request, median of {COLD_RUNS} fresh processes")
        event = json.dumps(pages["product"])
        app_times = [_cold(COLD_APP % event, env) for _ in range(COLD_RUNS)]
        boto_times = [_cold(COLD_BOTO, env) for _ in range(COLD_RUNS)]
        app_cold, boto_cold = statistics.median(app_times), statistics.median(boto_times)
        print(f"  app import + first product page  {app_cold * 1e3:8.0f} ms")
        print(f"  import boto3 + DynamoDB client   {boto_cold * 1e3:8.0f} ms")
        print(f"  ratio                            {app_cold / boto_cold:8.2f}")
        print(f"\nmarkets: {len(MARKETS)}; market measured: {MARKET}")
        import boto3

        from tests.bench_admin import admin_figures
        from tests.bench_cart import cart_figures

        cart_figures(table, MARKET)
        admin_figures(table, boto3.resource("dynamodb", endpoint_url=endpoint))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
