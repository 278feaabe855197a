"""`make bench`: DynamoDB requests, warm time against a pure Jinja2 render, cold start, HTML size.

A benchmark, not a test: it prints figures and asserts nothing. DynamoDB time is measured
apart (moto's latency says nothing about DynamoDB's) and left out of the warm figures.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
WARM_RUNS = int(os.environ.get("BENCH_RUNS", "200"))
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "7"))
MARKET = os.environ.get("BENCH_MARKET", "fr-fr")


def _event(path: str, query: dict[str, str] | None = None) -> dict:
    from chalice.local import LocalGateway  # noqa: F401  (same event shape API Gateway sends)

    parts = path.strip("/").split("/")
    routes = {1: "/{market}", 3: {"l": "/{market}/l/{category}", "p": "/{market}/p/{product}"}}
    if path == "/":
        resource, params = "/", {}
    elif len(parts) == 1:
        resource, params = "/{market}", {"market": parts[0]}
    elif parts[1] == "search":
        resource, params = "/{market}/search", {"market": parts[0]}
    else:
        resource = routes[3][parts[1]]
        params = {"market": parts[0], ("category" if parts[1] == "l" else "product"): parts[2]}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": "GET",
        "headers": {"accept-language": "fr-FR"},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": params or None,
        "stageVariables": None,
        "requestContext": {"resourcePath": resource, "httpMethod": "GET", "path": path},
        "body": None,
        "isBase64Encoded": False,
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class DynamoTimer:
    """Counts DynamoDB calls and the time spent in them, through botocore's events."""

    def __init__(self, client) -> None:
        self.calls = 0
        self.seconds = 0.0
        self._start = 0.0
        events = client.meta.events
        events.register("before-call.dynamodb", self._before)
        events.register("after-call.dynamodb", self._after)

    def _before(self, **_):
        self.calls += 1
        self._start = time.perf_counter()

    def _after(self, **_):
        self.seconds += time.perf_counter() - self._start


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


def main() -> None:
    from moto.server import ThreadedMotoServer

    from chalicelib import aws, loader, render
    from chalicelib.markets import MARKETS

    env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    env.update(AWS_DEFAULT_REGION="eu-west-3", TABLE_NAME="storefront-bench")
    os.environ.update(env)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per DynamoDB call
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env["DYNAMODB_ENDPOINT_URL"] = os.environ["DYNAMODB_ENDPOINT_URL"] = endpoint
    try:
        table = aws.dynamodb_table("storefront-bench", endpoint_url=endpoint)
        aws.ensure_table(table)
        catalog = json.loads((ROOT / "data" / "demo-catalog.json").read_text(encoding="utf-8"))
        started = time.perf_counter()
        report = loader.load(table, catalog)
        print(
            f"demo catalog: {report.products} products, {report.items_written} items,"
            f" loaded into moto in {time.perf_counter() - started:.1f} s\n"
        )
        product = max(catalog["products"], key=lambda p: p["popularity"])["id"]
        pages = {
            "home": (f"/{MARKET}/", None),
            "listing": (f"/{MARKET}/l/smartphones", None),
            "listing+filters": (
                f"/{MARKET}/l/smartphones",
                {
                    "brand": "apple",
                    "grade": "good",
                    "sort": "price-asc",
                    "min": "100",
                    "max": "900",
                },
            ),
            "product": (f"/{MARKET}/p/{product}", None),
            "search": (f"/{MARKET}/search", {"q": "iphone pro"}),
        }
        from app import app

        timer = DynamoTimer(table.meta.client)
        captured: list[tuple] = []
        real_render = render.render

        def capture(template, request, market, **context):
            captured.append((template, request, market, context))
            return real_render(template, request, market, **context)

        header = (
            f"{'page':<16}{'ddb req':>8}{'p50 ms':>9}{'p95 ms':>9}{'jinja p50':>11}"
            f"{'ratio':>7}{'ddb p50':>9}{'html B':>9}{'gzip B':>8}"
        )
        print(f"warm, in-process, {WARM_RUNS} requests per page, DynamoDB time left out")
        print(header)
        rows = {}
        for name, (path, query) in pages.items():
            event = _event(path, query)
            app(event, None)  # warm up: templates compiled, catalogs loaded
            ours, ddb, calls = [], [], []
            for _ in range(WARM_RUNS):
                calls_before, seconds_before = timer.calls, timer.seconds
                t = time.perf_counter()
                response = app(event, None)
                elapsed = time.perf_counter() - t
                spent = timer.seconds - seconds_before
                ours.append(elapsed - spent)
                ddb.append(spent)
                calls.append(timer.calls - calls_before)
            assert response["statusCode"] == 200, (name, response["statusCode"])
            with mock.patch.object(render, "render", capture):
                captured.clear()
                from chalicelib import pages as page_module

                with mock.patch.object(page_module, "render", capture):
                    app(event, None)
            template_name, request, market, context = captured[-1]
            template = render.environment().get_template(template_name)
            full_context = render.context_for(request, market, **context)
            pure = []
            with render.translated(market):
                for _ in range(WARM_RUNS):
                    t = time.perf_counter()
                    template.render(full_context)
                    pure.append(time.perf_counter() - t)
            html = response["body"].encode("utf-8")
            p50, p95, jinja = _pct(ours, 0.5), _pct(ours, 0.95), _pct(pure, 0.5)
            rows[name] = (max(calls), p50, jinja)
            print(
                f"{name:<16}{max(calls):>8}{p50 * 1e3:>9.2f}{p95 * 1e3:>9.2f}{jinja * 1e3:>11.2f}"
                f"{p50 / jinja:>7.2f}{_pct(ddb, 0.5) * 1e3:>9.2f}{len(html):>9}"
                f"{len(gzip.compress(html)):>8}"
            )
        print(f"\ncold start: import + first request, median of {COLD_RUNS} fresh processes")
        event = json.dumps(_event(*pages["product"]))
        app_times = [_cold(COLD_APP % event, env) for _ in range(COLD_RUNS)]
        boto_times = [_cold(COLD_BOTO, env) for _ in range(COLD_RUNS)]
        app_cold, boto_cold = statistics.median(app_times), statistics.median(boto_times)
        print(f"  app import + first product page  {app_cold * 1e3:8.0f} ms")
        print(f"  import boto3 + DynamoDB client   {boto_cold * 1e3:8.0f} ms")
        print(f"  ratio                            {app_cold / boto_cold:8.2f}")
        print(f"\nmarkets: {len(MARKETS)}; market measured: {MARKET}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
