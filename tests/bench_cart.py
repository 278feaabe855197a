"""The cart's figures for `make bench`: requests per action and the cart page's p50."""

from __future__ import annotations

import os
import re
import time

ORIGIN = "https://bench.test"
LINE = re.compile(r'name="line" value="([^"]+)"')
PRODUCTS = ("apple-iphone-13", "samsung-galaxy-s23", "sony-playstation-5")
RUNS = 200


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cart_figures(table, market: str) -> None:
    """A cart of three sellers' offers: each action's DynamoDB requests, the page's p50."""
    import html

    from chalice.test import Client

    from chalicelib.catalog.repository import CatalogRepository
    from chalicelib.composition import Services, create_app
    from chalicelib.i18n.provider import ShippedTranslations
    from tests.browsing import Browser
    from tests.conftest import ROOT, RequestCounter, body

    os.environ["PUBLIC_BASE_URL"] = ORIGIN
    # The shipped wording only: the bench's editor table is not the dev stage's.
    app = create_app(Services(catalog_table=lambda: table, translations=ShippedTranslations()))
    repository = CatalogRepository(table)
    with Client(app, stage_name="dev", project_dir=str(ROOT)) as http:
        shopper = Browser(http, ORIGIN)
        costs: dict[str, list[str]] = {}

        def counted(name: str, call):
            counter = RequestCounter(table)
            try:
                response = call()
            finally:
                counter.close()
            costs.setdefault(name, counter.calls)
            return response

        for product_id in PRODUCTS:
            offer = next(o for o in repository.product(market, product_id).offers if o.stock > 1)
            fields = {
                "product": product_id,
                "storage": "" if offer.storage_gb is None else str(offer.storage_gb),
                "color": offer.color,
                "grade": offer.grade,
                "refurbisher": offer.refurbisher.id,
            }
            response = counted(
                "add", lambda f=fields: shopper.post(f"/{market}/cart/add", f, False)
            )
            assert response.status_code == 303, response.status_code
        page = body(counted("show", lambda: shopper.get(f"/{market}/cart")))
        line = html.unescape(LINE.findall(page)[0])
        counted(
            "update",
            lambda: shopper.post(f"/{market}/cart/update", {"line": line, "quantity": "2"}),
        )
        shopper.get(f"/{market}/cart")
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            response = shopper.get(f"/{market}/cart")
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
        counted("remove", lambda: shopper.post(f"/{market}/cart/remove", {"line": line}))
    print(f"\ncart ({market}, 3 lines from 3 refurbishers, moto over loopback included)")
    for name, calls in costs.items():
        print(f"  {name:<8}{len(calls):>3} requests  {' + '.join(calls)}")
    print(f"  cart page p50 {_pct(times, 0.5) * 1e3:.2f} ms, p95 {_pct(times, 0.95) * 1e3:.2f} ms"
          f" ({RUNS} requests)")  # fmt: skip
