"""Lambda SnapStart: warm everything before the snapshot; refresh what no copy may share after.

On SnapStart a function initializes once, when a version is published, and each cold start
resumes a copy of that memory. The hooks register with the runtime's ``snapshot_restore_py``
(part of Lambda's Python 3.12+ runtimes; absent on 3.11 and here, where nothing registers).

Before the snapshot (``warm``): every module a page may import late, each served market's Babel
data and shipped catalogs (used once, so that their caches fill), every template the function
renders, and the AWS clients. No DynamoDB or KMS request is made: nothing read then would be
fresh after restore. (Making a client resolves credentials, from Lambda's container endpoint on
SnapStart; botocore refreshes them when they expire, so the copies' shared ones are safe.)

After each restore (``refresh``): ``random`` is reseeded (every copy would draw the same
numbers, such as the cart's retry jitter), the clients' pooled connections are dropped (their
sockets belong to the environment that was snapshotted), and the published wording is expired,
so the first page reads the current release.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import random
from dataclasses import dataclass, field
from typing import Any

from chalicelib.i18n.formatting import Formatter
from chalicelib.i18n.names import country_name, market_name
from chalicelib.kernel import aws
from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.kernel.money import Money

# Code that no function runs (tools' importer), and what only the editor's function imports.
NEVER_WARMED = ("chalicelib.catalog.importer",)
EDITOR_MODULES = ("chalicelib.admin",)
# Libraries a page imports inside a function (the payout checks of trade-in).
LATE_LIBRARIES = {"chalicelib.tradein": ("stdnum.iban", "stdnum.us.rtn", "stdnum.exceptions")}


@dataclass
class Warmed:
    """What ``warm`` loaded, for the test and the log line."""

    modules: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    templates: int = 0


def register(services: Any) -> bool:
    """Register the hooks with the Lambda runtime; False where it has none (no SnapStart)."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(warm, services)
    register_after_restore(refresh, services)
    return True


def _modules(function: str, trade_in: bool) -> list[str]:
    import chalicelib

    skipped = NEVER_WARMED + (() if function in ("all", "admin") else EDITOR_MODULES)
    if not trade_in:
        skipped += ("chalicelib.tradein",)
    names = [
        info.name
        for info in pkgutil.walk_packages(chalicelib.__path__, "chalicelib.")
        if not info.name.startswith(skipped)
    ]
    for package, libraries in LATE_LIBRARIES.items():
        if not package.startswith(skipped):
            names += libraries
    return names


def _use(market: Market, translations: Any) -> None:
    """Format and translate once as a page of the market does, so that Babel's caches fill."""
    fmt = Formatter(market)
    fmt.price(Money(123456, market.currency)), fmt.money(Money(99, market.currency))
    fmt.percent(-0.35), fmt.decimal1(4.7), fmt.storage(128), fmt.storage(1024)
    fmt.unit(6.1, "length-inch", "long"), fmt.unit(174, "mass-gram")
    fmt.date(dt.date(2026, 12, 3)), fmt.date_medium(dt.date(2026, 12, 3)), fmt.relative(2)
    translations.gettext("Go to our shop for %(country)s")


def warm(services: Any) -> Warmed:
    """Import, load and compile what the function's pages use, without a DynamoDB or KMS call."""
    settings = services.settings()
    served = [MARKETS[code] for code in MARKETS if code in settings.served_markets]
    trade_in = any(market.trade_in for market in served)
    warmed = Warmed()
    for name in _modules(settings.function, trade_in):
        importlib.import_module(name)
        warmed.modules.append(name)
    shipped = getattr(services.translations, "source", services.translations)
    for market in served:
        _use(market, shipped.for_market(market))
        warmed.markets.append(market.code)
    for code in MARKETS:  # the switcher names every market
        market_name(code), country_name(code)
    warmed.templates = services.renderer.preload()
    services.catalog_table(), services.admin_table()
    if trade_in:
        aws.kms_client(settings.stage.region, settings.kms_endpoint)
    return warmed


def refresh(services: Any) -> None:
    """After a restore: new random numbers, new connections, the current published wording."""
    random.seed()
    aws.drop_connections()
    published = getattr(services, "published", None)
    if published is not None:
        published.expire()
