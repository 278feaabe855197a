"""`make bench`, the editor's figures: sign-in time, override reads per minute, publish to live."""

from __future__ import annotations

import re
import statistics
import time
from typing import Any

from tests.conftest import ROOT

EMAIL, PASSWORD = "editor@example.com", "belgian waffles and fries"
HEADLINE = "Best deals right now"


class Clock:
    """Seconds that the benchmark moves by hand (for the reads-per-minute figure)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _client(services: Any):
    from chalice.test import Client

    from chalicelib.composition import create_app

    return Client(create_app(services), stage_name="dev", project_dir=str(ROOT))


def _form(http, path: str, fields: dict, jar: dict) -> Any:
    from urllib.parse import urlencode

    page = http.http.get(path.split("?")[0] if "login" in path else path, headers=_headers(jar))
    _keep(page, jar)
    token = re.search(r'name="csrf" value="([^"]*)"', page.body.decode()).group(1)
    headers = _headers(jar) | {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "https://bench.example",
    }
    answer = http.http.post(path, headers=headers, body=urlencode({**fields, "csrf": token}))
    _keep(answer, jar)
    return answer


def _headers(jar: dict) -> dict:
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    return {"Host": "bench.example", "X-Forwarded-Proto": "https"} | (
        {"Cookie": cookie} if cookie else {}
    )


def _keep(response: Any, jar: dict) -> None:
    from tests.admin.conftest import set_cookies

    for name, cookie in set_cookies(response).items():
        if cookie.get("max-age") == "0":
            jar.pop(name, None)
        else:
            jar[name] = cookie["value"]


def admin_figures(catalog_table: Any, dynamodb: Any) -> None:
    """Print the editor's figures, measured over the bench's moto."""
    import os

    from chalicelib.admin.accounts import AccountRepository
    from chalicelib.admin.audit import AuditLog
    from chalicelib.admin.keys import table_definition
    from chalicelib.admin.people import People
    from chalicelib.composition import TRANSLATIONS_TTL_SECONDS, Services
    from chalicelib.kernel.markets import MARKETS

    os.environ.setdefault("ADMIN_SIGNING_SECRET", "bench-secret-" + "x" * 40)
    dynamodb.meta.client.create_table(**table_definition("storefront-admin-editor"))
    admin = dynamodb.Table("storefront-admin-editor")
    People(AccountRepository(admin), AuditLog(admin)).create(
        "bench", EMAIL, "editor", ["fr-be", "nl-be"], PASSWORD
    )
    print("\nmarketing editor (passwords at the deployed cost: scrypt N=2**15, r=8, p=1)")
    os.environ["FUNCTION"] = "all"  # the editor's routes, and the shop pages it previews
    os.environ["PUBLIC_BASE_URL"] = "https://bench.example"  # the origin its forms come from
    services = Services(catalog_table=lambda: catalog_table, admin_table=lambda: admin)
    with _client(services) as http:
        timings = []
        for _ in range(7):
            jar: dict = {}
            http.http.get("/admin/login", headers=_headers(jar))
            started = time.perf_counter()
            answer = _form(http, "/admin/login", {"email": EMAIL, "password": PASSWORD}, jar)
            timings.append(time.perf_counter() - started)
            assert answer.status_code == 303, answer.status_code
        print(
            f"  sign-in (GET form + POST), median of 7   {statistics.median(timings) * 1e3:6.0f} ms"
        )

        clock = Clock()
        counted = Services(
            catalog_table=lambda: catalog_table, admin_table=lambda: admin, clock=clock
        )
        with _client(counted) as shop:
            codes = list(MARKETS)
            for i in range(600):  # ten pages a second for a minute, every market in turn
                shop.http.get(f"/{codes[i % len(codes)]}/")
                clock.now += 0.1
            reads = counted.published.reads
        print(f"  override reads by a warm function in 60 s, 600 pages   {reads:3d} Query")
        print(f"  refresh window of the function            {TRANSLATIONS_TTL_SECONDS:6.0f} s")

        jar = {}
        _form(http, "/admin/login", {"email": EMAIL, "password": PASSWORD}, jar)
        page = http.http.get(
            "/admin/fr-be/messages/edit?msgid=Best+deals+right+now", headers=_headers(jar)
        )
        revision = re.search(r'name="revision" value="(\d+)"', page.body.decode()).group(1)
        text = f"Bench {int(time.time())}"
        fields = {"msgid": HEADLINE, "revision": revision, "target": "fr-be", "text": text}
        _form(
            http,
            "/admin/fr-be/messages/edit?msgid=Best+deals+right+now",
            {**fields, "action": "save"},
            jar,
        )
        http.http.get("/fr-be/")  # the function has just read the overrides: the worst case
        _form(http, "/admin/fr-be/publish", {}, jar)
        published = time.perf_counter()
        while text not in http.http.get("/fr-be/").body.decode():
            time.sleep(0.25)
        waited = time.perf_counter() - published
        print(f"  publish to live page (no CDN), worst case    {waited:6.1f} s")
        print("  + CloudFront s-maxage of catalog pages       30 s  (within 60 s in all)")
