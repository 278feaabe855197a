"""The market guard: a page of a market this stage serves, or the right error page.

Every failure of a page becomes a page in the shopper's language with its status: an
unknown market, another spelling of one (301), a market another stage serves (404 with a
link there), a domain error the package translates, or a bug (500, logged, no trace shown).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.i18n import N_
from chalicelib.kernel import stages
from chalicelib.kernel.markets import MARKETS, Market, canonical_code
from chalicelib.web.caching import negotiated
from chalicelib.web.errors import FormRejected, HttpError, NotFound, Redirect
from chalicelib.web.forms import FormError
from chalicelib.web.http import Request, Response, escaped_path, redirect
from chalicelib.web.view import View

log = logging.getLogger(__name__)

MarketHandler = Callable[..., Response]
# Turns a domain exception into the error a shopper sees, or None if it is not its kind.
ErrorTranslator = Callable[[Exception], HttpError | None]


class ServedElsewhere(HttpError):
    """A market that another stage (another region's deployment) serves."""

    status = 404
    title = N_("This shop is served from another address")
    message = N_("Prices, stock and delivery for this country come from its own shop.")

    def __init__(self, request: Request, market: Market, invitation: str) -> None:
        super().__init__()
        other = stages.stage_serving(market.code)
        rest = escaped_path(request.rest)
        self.link = (other.public_url if other else "") + f"/{market.code}/{rest}"
        self.link_text = invitation
        self.link_lang = market.html_lang


class MarketGuard:
    """Wraps page handlers of one package: ``handler(request, market, *args)``."""

    def __init__(
        self,
        view: View,
        translators: Sequence[ErrorTranslator] = (),
        unknown_market: Callable[[Request], Response] | None = None,
    ) -> None:
        self.view = view
        self.translators = translators
        self.unknown_market = unknown_market or self._not_found

    def __call__(self, handler: MarketHandler) -> Callable[..., Response]:
        """The handler, taking a market code instead of a market, failing as pages."""

        @functools.wraps(handler)
        def guarded(request: Request, code: str, *args: Any) -> Response:
            market = MARKETS.get(code)
            try:
                if market is None:
                    return self._other_spelling(request, code)
                if market.code not in self.view.settings().served_markets:
                    # The page speaks the market's stand-in (View.error): this stage holds no
                    # other market's data.
                    raise ServedElsewhere(request, market, self.view.offer(market.code))
                return handler(request, market, *args)
            except Redirect as move:
                return redirect(move.location, status=301)
            except HttpError as error:
                return self.view.error(request, market or self.view.visitor_market(request), error)
            except FormError as error:
                rejected = FormRejected(error.status)
                return self.view.error(
                    request, market or self.view.visitor_market(request), rejected
                )
            except Exception as error:
                return self.failure(request, market, error)

        return guarded

    def failure(self, request: Request, market: Market | None, error: Exception) -> Response:
        """A domain error as its page, anything else as a logged 500."""
        market = market or self.view.visitor_market(request)
        if isinstance(error, HttpError):
            return self.view.error(request, market, error)
        for translate in self.translators:
            known = translate(error)
            if known is not None:
                return self.view.error(request, market, known)
        log.error("unhandled error", exc_info=error, extra={"code": type(error).__name__})
        return self.view.error(request, market, HttpError())

    def fallback(self, request: Request, error: Exception) -> Response:
        """A failure outside a handler (caching, the response) as a page in the path's market."""
        segments = request.path.split("/", 2)
        return self.failure(request, MARKETS.get(segments[1]) if len(segments) > 1 else None, error)

    def _other_spelling(self, request: Request, code: str) -> Response:
        canonical = canonical_code(code)
        if canonical is None:
            return self.unknown_market(request)
        # The path is sent on as it came (API Gateway's path keeps its escapes), the query as
        # parsed: a second hop gives the same address, never %2520 for %20.
        pairs = request.pairs()
        query = f"?{urlencode(pairs, quote_via=quote)}" if pairs else ""
        path = self.view.links(request, None).path(f"/{canonical}/{escaped_path(request.rest)}")
        return redirect(path + query, status=301)

    def _not_found(self, request: Request) -> Response:
        market = self.view.visitor_market(request)
        return negotiated(self.view.error(request, market, NotFound()))
