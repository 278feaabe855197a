"""Trade-in routes under ``/{market}/trade-in``: private, never stored, only where it is open."""

from __future__ import annotations

import logging
from collections.abc import Callable

from chalice import Blueprint

from chalicelib.catalog.failures import as_http_error
from chalicelib.kernel import aws
from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.tradein.accept import AcceptPages
from chalicelib.tradein.pages import QuotePages, TradeInServices
from chalicelib.tradein.sealed import SealUnavailable
from chalicelib.web.caching import PRIVATE
from chalicelib.web.errors import HttpError, NotFound, Unavailable
from chalicelib.web.guard import MarketGuard
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from chalicelib.web.security import shop_headers

log = logging.getLogger(__name__)
WRITE = ("POST",)
BOTH = ("GET", "HEAD", "POST")


def _unsealable(error: Exception) -> HttpError | None:
    """KMS unable to seal: the 503 page, and nothing saved (the details are not kept)."""
    if isinstance(error, SealUnavailable):
        log.log(aws.failure_level(error.code), "trade-in details could not be sealed",
                extra={"code": error.code, "status": 503})  # fmt: skip
        return Unavailable()
    return None


def blueprint(services: TradeInServices) -> Blueprint:
    """The trade-in flow; in a market without trade-in every address is its 404."""
    quotes, accepts = QuotePages(services), AcceptPages(services)
    guard = MarketGuard(services.view, translators=[as_http_error, _unsealable])
    routes = Routes("tradein", guard.fallback, shop_headers(), every_method=True)

    def _closed(request: Request, market: Market, *args: str) -> Response:
        raise NotFound()

    def open_only(handler: Callable[..., Response]) -> Callable[..., Response]:
        guarded = guard(handler)

        def run(request: Request, code: str, *args: str) -> Response:
            market = MARKETS.get(code)
            if market is not None and not market.trade_in:
                # Before the guard's stage check: no 404 here links to another stage's 404.
                return services.view.error(request, market, NotFound())
            return guarded(request, code, *args)

        return run

    start, describe = open_only(quotes.start), open_only(quotes.device)
    quote, show = open_only(quotes.quote), open_only(quotes.show)
    accept_form, accept = open_only(accepts.form), open_only(accepts.accept)
    counter = open_only(accepts.counter)

    @routes.route("/{market}/trade-in", PRIVATE)
    def tradein_start(request: Request, market: str) -> Response:
        return start(request, market)

    @routes.route("/{market}/trade-in/d/{device}", PRIVATE)
    def tradein_device(request: Request, market: str, device: str) -> Response:
        return describe(request, market, device)

    @routes.route("/{market}/trade-in/quote", PRIVATE, methods=WRITE)
    def tradein_quote(request: Request, market: str) -> Response:
        return quote(request, market)

    @routes.route("/{market}/trade-in/q/{reference}", PRIVATE)
    def tradein_show(request: Request, market: str, reference: str) -> Response:
        return show(request, market, reference)

    @routes.route("/{market}/trade-in/q/{reference}/accept", PRIVATE, methods=BOTH)
    def tradein_accept(request: Request, market: str, reference: str) -> Response:
        if request.method == "POST":
            return accept(request, market, reference)
        return accept_form(request, market, reference)

    @routes.route("/{market}/trade-in/q/{reference}/counter", PRIVATE, methods=WRITE)
    def tradein_counter(request: Request, market: str, reference: str) -> Response:
        return counter(request, market, reference)

    not_found = open_only(_closed)

    def tradein_not_found(request: Request, **params: str) -> Response:
        return not_found(request, params["market"])

    routes.complete(tradein_not_found, PRIVATE, under="/{market}/trade-in")
    return routes.blueprint
