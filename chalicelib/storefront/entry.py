"""Where a visitor without a market lands: sent to theirs, or shown every market."""

from __future__ import annotations

from chalicelib.kernel import stages
from chalicelib.kernel.markets import Market
from chalicelib.web.caching import negotiated
from chalicelib.web.http import Request, Response, redirect
from chalicelib.web.view import View, html


class Entry:
    """``/`` and the market picker."""

    def __init__(self, view: View) -> None:
        self.view = view

    def root(self, request: Request) -> Response:
        """``/``: send the visitor to their market, or show every market to choose from."""
        market = self.view.chosen_market(request)
        if market is None or request.arg("choose") is not None:
            return self.picker(request, self.view.visitor_market(request))
        if market.code not in self.view.settings().served_markets:  # another stage's shop
            other = stages.stage_serving(market.code)
            return redirect(f"{other.public_url}/{market.code}/" if other else f"/{market.code}/")
        return redirect(self.view.links(request, None).path(f"/{market.code}/"))

    def picker(self, request: Request, market: Market, status: int = 200) -> Response:
        """Every market, in the language of ``market``; the visitor's own is suggested."""
        suggested = self.view.chosen_market(request)
        body = self.view.render(
            "storefront/picker.html", request, market, suggested=suggested, status=status
        )
        return html(status, body, market)

    def unknown_market(self, request: Request) -> Response:
        """An address under no market: the picker, as a 404, in the visitor's language."""
        return negotiated(self.picker(request, self.view.visitor_market(request), status=404))
