"""The composition root: builds the services once and hands them to each package's routes.

Nothing else creates clients or reads the environment for wiring: tests call
``create_app(Services(...))`` with their own moto tables, ``app.py`` calls it with none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice import Chalice

from chalicelib import snapstart
from chalicelib.cart import routes as cart
from chalicelib.cart.repository import CartRepository
from chalicelib.catalog import model
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n.provider import ShippedTranslations, TranslationProvider
from chalicelib.i18n.published import Overridden, PublishedOverrides
from chalicelib.kernel import aws, logs
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.settings import Settings, log_level
from chalicelib.storefront import routes as storefront
from chalicelib.storefront.legal import footer_links
from chalicelib.web.render import Renderer
from chalicelib.web.view import View

APP_NAME = "storefront"
# Marketing's published wording is read at most once per this many seconds per function; with
# the CDN's 30 s (web/caching.py) a published change is on every page within 60 s.
TRANSLATIONS_TTL_SECONDS = 30.0
# Names every template may use, whichever package renders it (the layout lists categories).
TEMPLATE_GLOBALS = {
    "GRADES": model.GRADES,
    "GRADE_BY_CODE": model.GRADE_BY_CODE,
    "CATEGORIES": model.CATEGORIES,
    "CATEGORY_BY_CODE": model.CATEGORY_BY_CODE,
    "COLORS": model.COLORS,
    "PREMIUM_BATTERY": model.PREMIUM_BATTERY,
    # The footer links every legal page of the page's market, titled from legal/<market>.json.
    "legal_pages": footer_links,
}


def stage_catalog_table(settings: Callable[[], Settings] = Settings.from_env) -> Any:
    """The catalog table of the stage this process serves, created on first use."""
    current = settings()
    return aws.dynamodb_table(current.table_name, endpoint_url=current.dynamodb_endpoint)


def stage_admin_table(settings: Callable[[], Settings] = Settings.from_env) -> Any:
    """The admin table of the stage (accounts, sessions, overrides), created on first use."""
    current = settings()
    return aws.dynamodb_table(current.admin_table_name, endpoint_url=current.dynamodb_endpoint)


@dataclass
class Services:
    """Everything the packages are built with; each field can be replaced in a test."""

    settings: Callable[[], Settings] = Settings.from_env
    catalog_table: Callable[[], Any] = stage_catalog_table
    admin_table: Callable[[], Any] = stage_admin_table
    # None: the shipped catalogs under the published overrides of the admin table.
    translations: TranslationProvider | None = None
    clock: Callable[[], float] = time.time
    # The admin's password hashing cost (None: passwords.DEFAULT_COST); tests make it cheap.
    password_cost: Any = None
    renderer: Renderer = field(
        default_factory=lambda: Renderer(
            TEMPLATE_GLOBALS, auto_reload=Settings.from_env().templates_auto_reload
        )
    )

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._repositories: dict[int, CatalogRepository] = {}
        if self.translations is None:
            self.published = PublishedOverrides(
                self.admin_table, TRANSLATIONS_TTL_SECONDS, clock=self.clock
            )
            self.translations = Overridden(ShippedTranslations(), self.published)

    def catalog(self) -> CatalogRepository:
        """The catalog repository over the table of this request."""
        table = self.catalog_table()
        repository = self._repositories.get(id(table))
        if repository is None or repository.table is not table:
            with self._lock:
                repository = self._repositories[id(table)] = CatalogRepository(
                    table, cursor_key=lambda: self.settings().cursor_key
                )
        return repository

    def carts(self) -> CartRepository:
        """Shoppers' carts, in the catalog table of this request."""
        return CartRepository(self.catalog_table(), self.clock)

    def tradeins(self) -> Any:
        """Shoppers' trade-ins, in the catalog table of this request."""
        from chalicelib.tradein.repository import TradeInRepository

        return TradeInRepository(self.catalog_table(), self.clock)

    def sealer(self) -> Any:
        """Seals sellers' details under the stage's trade-in KMS key."""
        from chalicelib.tradein.sealed import Sealer

        settings = self.settings
        return Sealer(
            lambda: aws.kms_client(settings().stage.region, settings().kms_endpoint),
            lambda: settings().tradein_key,
        )

    def view(self) -> View:
        """The view every package renders through."""
        return View(self.renderer, self.translations, self.settings)


def create_app(services: Services | None = None) -> Chalice:
    """The Chalice app with every package's routes, built over ``services``."""
    if services is None:  # the deployed function: warmed before a SnapStart snapshot
        services = Services()
        snapstart.register(services)
    # A function's environment is fixed for its life: LOG_LEVEL is read once, here.
    logs.configure(log_level())
    app = Chalice(app_name=APP_NAME)
    view = services.view()
    function = services.settings().function
    if function in ("all", "storefront"):
        app.register_blueprint(storefront.blueprint(view, services.catalog))
        # A stage without a trade-in market loads none of it (nor its libraries: docs/package.md).
        trade_in = any(MARKETS[code].trade_in for code in services.settings().served_markets)
        credit = tradein_credit(services, view) if trade_in else None
        carts = cart.blueprint(view, services.carts, services.catalog, services.clock, credit)
        app.register_blueprint(carts)
        if trade_in:
            app.register_blueprint(tradein_blueprint(services, view))
    if function in ("all", "admin"):
        app.register_blueprint(admin_blueprint(services, view, alone=function == "admin"))
    return app


def tradein_credit(services: Services, view: View) -> Any:
    """What the cart asks about a shopper's accepted trade-in in its market."""
    from chalicelib.tradein.credit import credit_lookup

    return credit_lookup(view, services.tradeins)


def tradein_blueprint(services: Services, view: View) -> Any:
    """The trade-in routes, over the same table as carts."""
    from chalicelib.tradein import routes as tradein
    from chalicelib.tradein.pages import TradeInServices

    return tradein.blueprint(
        TradeInServices(view, services.tradeins, services.catalog, services.sealer, services.clock)
    )


def admin_blueprint(services: Services, view: View, alone: bool = False) -> Any:
    """The marketing editor's routes; imported only by a function that serves them."""
    from chalicelib.admin import routes as admin
    from chalicelib.admin.passwords import DEFAULT_COST
    from chalicelib.admin.secret import Signer

    adminservices = admin.AdminServices(
        table=services.admin_table,
        signer=Signer(services.settings),
        page_for=lambda preview: storefront.page_for(preview, services.catalog),
        clock=services.clock,
        cost=services.password_cost or DEFAULT_COST,
    )
    served = lambda: services.settings().served_markets  # noqa: E731
    return admin.blueprint(view, adminservices, served, alone=alone)
