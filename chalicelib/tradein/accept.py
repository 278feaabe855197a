"""Accepting a quote with the seller's details, and answering a counter-offer (PRG each)."""

from __future__ import annotations

from chalicelib.kernel.markets import Market
from chalicelib.tradein import forms, terms
from chalicelib.tradein.collect import MESSAGES, DetailsRefused, read_details
from chalicelib.tradein.model import (
    COUNTER_ACCEPTED,
    COUNTER_REFUSED,
    COUNTERED,
    QUOTED,
    TradeIn,
)
from chalicelib.tradein.pages import TradeInServices
from chalicelib.tradein.repository import MoveRefused
from chalicelib.web.cookies import SetCookie
from chalicelib.web.errors import BadRequest
from chalicelib.web.http import Request, Response, redirect

CREDIT_DAYS = 60  # how long a market's cart remembers an accepted trade-in
# Fields typed back into the form after a refusal: never the account or document numbers.
NOT_ECHOED = ("iban", "routing", "account", "id_number")


class AcceptPages:
    """The acceptance form, its POST, and the shopper's answer to a counter-offer."""

    def __init__(self, services: TradeInServices) -> None:
        self.s = services

    def form(self, request: Request, market: Market, reference: str) -> Response:
        """The acceptance form of a quote that can still be accepted; its page otherwise."""
        tradein = self.s.tradein(market, reference)
        if not self._open(tradein):
            return self._back(request, market, reference, "expired")
        return self._page(request, market, reference, tradein, {}, {}, 200)

    def accept(self, request: Request, market: Market, reference: str) -> Response:
        """Check the details, seal them, accept the quote; 303 to its page."""
        forms.check_post(request, self.s.origin(request), self.s.key(), reference)
        tradein = self.s.tradein(market, reference)
        if not self._open(tradein):
            return self._back(request, market, reference, "expired")
        today = forms.local_date(market, self.s.clock())
        try:
            details = read_details(market.code, request.form, today)
        except DetailsRefused as refused:
            typed = {k: v for k, v in request.form.fields if k not in NOT_ECHOED and len(v) <= 200}
            return self._page(request, market, reference, tradein, typed, refused.problems, 400)
        sealer = self.s.sealer()
        context = {"tradein": tradein.digest, "market": market.code}
        sealed = {
            "identity": sealer.seal(details.identity, {**context, "part": "identity"}),
            "payout": sealer.seal(details.payout.fields, {**context, "part": "payout"}),
        }
        try:
            self.s.tradeins().accept(tradein, sealed, details.shown)
        except MoveRefused:
            return self._back(request, market, reference, "taken")
        response = self._back(request, market, reference, "accepted")
        cookie = SetCookie(forms.credit_cookie_name(market.code), reference,
                           max_age=CREDIT_DAYS * 86400)  # fmt: skip
        return response.set_cookie(cookie)

    def counter(self, request: Request, market: Market, reference: str) -> Response:
        """The shopper takes the counter-offer (paid) or refuses it (device sent back free)."""
        forms.check_post(request, self.s.origin(request), self.s.key(), reference)
        tradein = self.s.tradein(market, reference)
        decision = request.form.get("decision")
        to = {"accept": COUNTER_ACCEPTED, "refuse": COUNTER_REFUSED}.get(decision or "")
        if to is None:
            raise BadRequest()
        if tradein.status != COUNTERED:
            return self._back(request, market, reference, "taken")
        try:
            self.s.tradeins().move(tradein, to)
        except MoveRefused:
            return self._back(request, market, reference, "taken")
        return self._back(request, market, reference, to)

    # ------------------------------------------------------------------------- helpers

    def _open(self, tradein: TradeIn) -> bool:
        return tradein.status == QUOTED and tradein.valid_until > self.s.clock()

    def _back(self, request: Request, market: Market, reference: str, done: str) -> Response:
        return redirect(self.s.view.links(request, market).tradein("q", reference, done=done),
                        status=303)  # fmt: skip

    def _page(
        self,
        request: Request,
        market: Market,
        reference: str,
        tradein: TradeIn,
        typed: dict[str, str],
        problems: dict[str, str],
        status: int,
    ) -> Response:
        state = typed.get("state", "")
        return self.s.page(
            "tradein/accept.html",
            request,
            market,
            reference,
            status,
            tradein=tradein,
            rules=terms.TERMS[market.code],
            typed=typed,
            problems=problems,
            messages=MESSAGES,
            adult_age=terms.adult_age(market.code, state),
            id_kinds=terms.ID_KINDS,
            us_states=terms.US_STATES,
            declarations=terms.DECLARATIONS,
            **self.s.dates(market, tradein),
        )
