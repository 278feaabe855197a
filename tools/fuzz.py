"""`make fuzz`: malformed requests to the storefront, in process, and what they got back.

    python tools/fuzz.py [--count 10000] [--seed 10]

The app runs as the tests run it (chalice.test.Client over an in-process moto loaded with
the demo catalog): nothing listens on a port and nothing leaves the process. Requests are
drawn with a fixed seed: paths of 0 to 10 segments under every market and other spellings
of it, every parameter with odd values (long, NUL and other controls, bidi overrides, emoji,
invalid UTF-8 escapes, huge and negative numbers, repeated, forged cursors), odd methods and
odd headers (Accept-Language, If-None-Match, Host, X-Forwarded-Proto, Cookie). Exit status
1 when any answer is a 5xx, is not one of our types, lacks the security headers, echoes a
control character or the forged Host, or is not in the language of the path's market.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.kernel.markets import MARKETS  # noqa: E402

EVIL_HOST = "evil.example"
TYPES = {
    "text/html; charset=utf-8",
    "application/xml",
    "text/plain",
    "image/svg+xml",
    "image/x-icon",
    "application/manifest+json",
}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
)
EMPTY_STATUSES = {301, 302, 303, 304}
# Controls and bidi characters that no page may echo (tab, LF and CR are the page's own).
ECHOED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_BODY = 200_000  # far above any page (20 KB gzipped, ~100 KB raw): an echo amplifies
METHODS = ["GET"] * 36 + ["HEAD"] * 8 + ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Real pages, so that their parameters are read, besides paths of random segments.
PAGES = ["", "l/smartphones", "l/laptops", "l/tablets", "p/apple-iphone-13", "search"]
PAGES += ["legal/terms", "legal/returns", "sitemap.xml", "manifest.webmanifest"]
SEGMENTS = ["l", "p", "search", "legal", "sitemap.xml", "manifest.webmanifest", "terms"]
SEGMENTS += ["smartphones", "laptops", "apple-iphone-13", "..", ".", "", "%2e%2e", "%2F"]
WORDS = [
    "",
    "-",
    "0",
    "-1",
    "1e400",
    "99999999999999999999999999",
    "-99999999999999999999",
    "3.14",
    "NaN",
    "null",
    "🙂",
    "👩‍👩‍👧",
    "日本語",
    "téléphone",
    "%00",
    "a%00b",
    "%01%02%1f",
    "%7f",
    "%c2%80%c2%9f",
    "a%E2%80%AEb",
    "%E2%81%A6x%E2%81%A9",
    "%ff",
    "%c0%af",
    "%ed%a0%80",
    "%",
    "%zz",
    "%2F%2F",
    "<script>alert(1)</script>",
    "\"'><img src=x>",
    "price_asc",
    "price-desc",
    "excellent",
    "apple",
    "FR-fr",
]
PARAMS = ["q", "brand", "grade", "sort", "min", "max", "cursor", "storage", "color", "choose"]
PARAMS += ["page", "utm_source", "q[]", ""]
ODD_HEADERS = {
    "Accept-Language": ["*", "xx", "fr-FR;q=2", "de;q=abc,,,", "el-GR", "ja" * 500, "🙂"],
    "If-None-Match": ["*", "W/", '"', 'W/"x", "y"', "garbage", '"' + "a" * 9000 + '"', ","],
    "Host": [EVIL_HOST, "", "a" * 300, "日本.example", "evil.example:0", "[::1]"],
    "X-Forwarded-Proto": ["http", "gopher", "", "https, http"],
    "Cookie": ["a=%00", "=", "x" * 5000, "__Host-cart=\x7f"],
    "CloudFront-Viewer-Country": ["JP", "XX", "", "🙂"],
    "Content-Type": ["application/x-www-form-urlencoded", "multipart/form-data", "a/b; c"],
}


@dataclass
class Report:
    """What the requests got: counts by status, problems found, and how long it took."""

    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """The histogram, the 5xx count and the time, in a few lines."""
        total = sum(self.statuses.values())
        lines = [f"{total} requests in {self.seconds:.1f} s ({total / self.seconds:.0f}/s)"]
        lines += [f"  {status}: {n}" for status, n in sorted(self.statuses.items())]
        fives = sum(n for status, n in self.statuses.items() if status >= 500)
        lines.append(f"5xx: {fives}; problems: {len(self.problems)}")
        return "\n".join(lines + [f"  - {p}" for p in self.problems[:20]])


def _word(rng: random.Random, cursors: list[str]) -> str:
    roll = rng.random()
    if roll < 0.05:
        return "x" * rng.choice([101, 5000, 60_000])
    if roll < 0.15 and cursors:
        return _forged(rng, rng.choice(cursors))
    return rng.choice(WORDS)


def _forged(rng: random.Random, cursor: str) -> str:
    """A cursor the shop handed out, edited: a count of a billion, a flipped character."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        data[rng.choice(["n", "o"])] = rng.choice([10**9, 10**30, -1, True, 2.5])
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    except ValueError:
        return cursor[::-1]


def _path(rng: random.Random) -> str:
    market = rng.choice([*MARKETS, *MARKETS, "FR-FR", "fr_FR", "xx-yy", "fr", "%66r-fr", ".."])
    if rng.random() < 0.04:
        return rng.choice(["/", "/robots.txt", "/sitemap.xml", "/favicon.ico", "/x/y/z/"])
    if rng.random() < 0.5:
        return f"/{market}/{rng.choice(PAGES)}"
    depth = rng.choice([0, 1, 2, 2, 3, 4, 5, 6, 10])
    segments = [
        rng.choice(SEGMENTS) if rng.random() < 0.5 else _word(rng, []) for _ in range(depth)
    ]
    path = "/" + "/".join([market, *(quote(s, safe="%") for s in segments)])
    return path + ("/" if rng.random() < 0.15 else "")


def _query(rng: random.Random, cursors: list[str]) -> str:
    pairs = [(rng.choice(PARAMS), _word(rng, cursors)) for _ in range(rng.choice([0, 1, 2, 4]))]
    if pairs and rng.random() < 0.1:
        pairs += pairs  # repeated parameters
    return "&".join(f"{quote(k, safe='%')}={quote(v, safe='%')}" for k, v in pairs)


def probes(seed: int, count: int, cursors: list[str]) -> Iterator[tuple[str, str, dict, str]]:
    """``count`` requests (method, url, headers, body) drawn with a fixed seed."""
    rng = random.Random(seed)
    for _ in range(count):
        query = _query(rng, cursors)
        url = _path(rng) + (f"?{query}" if query else "")
        headers = {
            name: rng.choice(values) for name, values in ODD_HEADERS.items() if rng.random() < 0.3
        }
        method = rng.choice(METHODS)
        body = "" if method in ("GET", "HEAD") else rng.choice(["", "a=1&b", "\x00" * 10, "{}"])
        yield method, url, headers, body


def _market_of(url: str) -> str | None:
    first = url.split("?")[0].split("/")[1]
    return first if first in MARKETS else None


def problems_of(method: str, url: str, response: Any) -> list[str]:
    """What is wrong with one answer, as short lines naming the request."""
    status, headers = response.status_code, response.headers
    body = response.body if isinstance(response.body, bytes) else response.body.encode()
    where = f"{method} {url[:120]} -> {status}"
    found = []
    if status >= 500:
        found.append(f"{where}: a server error")
    kind = headers.get("Content-Type")
    if kind not in TYPES and status not in EMPTY_STATUSES:
        found.append(f"{where}: Content-Type {kind!r}")
    missing = [h for h in SECURITY_HEADERS if h not in headers]
    if missing:
        found.append(f"{where}: no {', '.join(missing)}")
    if len(body) > MAX_BODY:
        found.append(f"{where}: a body of {len(body)} bytes")
    if kind != "image/x-icon":
        text = body.decode("utf-8", "replace")
        if ECHOED.search(text):
            found.append(f"{where}: a control or bidi character in the body")
        if EVIL_HOST in text or EVIL_HOST in headers.get("Location", ""):
            found.append(f"{where}: the forged Host in the answer")
        code = _market_of(url)
        html = kind == "text/html; charset=utf-8" and method != "HEAD"
        if code and html and f'<html lang="{MARKETS[code].html_lang}">' not in text:
            found.append(f"{where}: not in {code}'s language")
    return found


def run(http: Any, count: int, seed: int, cursors: list[str] | None = None) -> Report:
    """Send ``count`` fuzzed requests through a chalice.test.Client's ``http``."""
    report = Report()
    cursors = list(cursors or [])
    for code in list(MARKETS)[:6]:  # real cursors to edit, from listings with a next page
        page = http.get(f"/{code}/l/smartphones").body.decode()
        cursors += re.findall(r"cursor=([A-Za-z0-9_-]+)", page)
    started = time.monotonic()
    for method, url, headers, body in probes(seed, count, cursors):
        response = http.request(method, url, headers=headers, body=body.encode())
        report.statuses[response.status_code] += 1
        report.problems += problems_of(method, url, response)
    report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/fuzz.py", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args(argv)
    import os

    os.environ.update(AWS_ACCESS_KEY_ID="fuzz", AWS_SECRET_ACCESS_KEY="fuzz")
    os.environ.update(AWS_DEFAULT_REGION="eu-west-3", LOG_LEVEL="CRITICAL")
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from chalicelib.admin.keys import table_definition
    from chalicelib.catalog.importer.load import load
    from chalicelib.catalog.importer.table import ensure_table
    from chalicelib.composition import Services, create_app
    from tools import local_gateway

    local_gateway.install()
    with mock_aws():
        dynamodb = boto3.resource("dynamodb", region_name="eu-west-3")
        table = dynamodb.Table("storefront-dev")
        ensure_table(table)
        started = time.monotonic()
        load(table, json.loads((ROOT / "data" / "demo-catalog.json").read_text(encoding="utf-8")))
        print(f"demo catalog loaded into moto in {time.monotonic() - started:.0f} s", flush=True)
        admin = dynamodb.create_table(**table_definition("storefront-admin-dev"))
        services = Services(catalog_table=lambda: table, admin_table=lambda: admin)
        with Client(create_app(services), stage_name="dev", project_dir=str(ROOT)) as client:
            report = run(client.http, args.count, args.seed)
    print(f"fuzz (seed {args.seed}): {report.summary()}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
