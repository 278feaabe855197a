"""The cart's routes: every answer private and never stored, every change a POST."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Blueprint

from chalicelib.cart.pages import CartPages, CreditLookup
from chalicelib.cart.repository import CartRepository
from chalicelib.catalog.failures import as_http_error
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import Market
from chalicelib.web.caching import PRIVATE
from chalicelib.web.errors import NotFound
from chalicelib.web.guard import MarketGuard
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from chalicelib.web.security import shop_headers
from chalicelib.web.view import View

WRITE = ("POST",)


def blueprint(
    view: View,
    carts: Callable[[], CartRepository],
    catalog: Callable[[], CatalogRepository],
    clock: Callable[[], float],
    credit: CreditLookup | None = None,
) -> Blueprint:
    """The cart page and its changes, under ``/{market}/cart``."""
    pages = CartPages(view, carts, catalog, clock, credit)
    guard = MarketGuard(view, translators=[as_http_error])
    routes = Routes("cart", guard.fallback, shop_headers(), every_method=True)
    show, add = guard(pages.show), guard(pages.add)
    update, remove = guard(pages.update), guard(pages.remove)

    @routes.route("/{market}/cart", PRIVATE)
    def cart_page(request: Request, market: str) -> Response:
        return show(request, market)

    @routes.route("/{market}/cart/add", PRIVATE, methods=WRITE)
    def cart_add(request: Request, market: str) -> Response:
        return add(request, market)

    @routes.route("/{market}/cart/update", PRIVATE, methods=WRITE)
    def cart_update(request: Request, market: str) -> Response:
        return update(request, market)

    @routes.route("/{market}/cart/remove", PRIVATE, methods=WRITE)
    def cart_remove(request: Request, market: str) -> Response:
        return remove(request, market)

    def _unknown(request: Request, market: Market) -> Response:
        raise NotFound()

    unknown = guard(_unknown)

    def cart_not_found(request: Request, **params: str) -> Response:
        return unknown(request, params["market"])

    routes.complete(cart_not_found, PRIVATE, under="/{market}/cart")
    return routes.blueprint
