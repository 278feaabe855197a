"""Trade-in pages: pick the device, describe it, read the instant offer (PRG on every POST)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.catalog.buyback import BuybackDevice, Device
from chalicelib.catalog.repository import CatalogRepository
from chalicelib.i18n import N_
from chalicelib.kernel.markets import Market
from chalicelib.tradein import forms
from chalicelib.tradein.condition import Unanswered, grade, read_answers
from chalicelib.tradein.model import (
    DECLINED,
    QUOTED,
    Offer,
    TradeIn,
    digest,
    is_reference,
    new_reference,
)
from chalicelib.tradein.pricing import best_offer
from chalicelib.tradein.questions import questions_for
from chalicelib.tradein.repository import TradeInRepository
from chalicelib.tradein.sealed import Sealer
from chalicelib.tradein.terms import CHECK_BUSINESS_DAYS, QUOTE_DAYS, TERMS
from chalicelib.web.cookies import SetCookie
from chalicelib.web.errors import BadRequest, NotFound
from chalicelib.web.http import Request, Response, redirect
from chalicelib.web.view import View

DECLINED_DAYS = 1  # an honest "no" is kept a day, for the shopper to read again
NOTICES = frozenset(("accepted", "counter_accepted", "counter_refused", "expired", "taken"))


class BadDevice(BadRequest):
    """A quote request that names no device or size the market's grids know."""

    title = N_("We could not read what you sent")
    message = N_("We could not tell which device you described. Choose it again from the list.")


@dataclass
class TradeInServices:
    """What the trade-in pages are built with."""

    view: View
    tradeins: Callable[[], TradeInRepository]
    catalog: Callable[[], CatalogRepository]
    sealer: Callable[[], Sealer]
    clock: Callable[[], float]

    def key(self) -> bytes:
        """The key of the forms' tokens."""
        return self.view.settings().cursor_key

    def origin(self, request: Request) -> str:
        """Our origin, as the browser must send it on a POST."""
        return self.view.links(request, None).origin

    def tradein(self, market: Market, reference: str) -> TradeIn:
        """The trade-in of a reference in this market; NotFound for any other."""
        found = (
            self.tradeins().get(digest(reference), market.code) if is_reference(reference) else None
        )
        if found is None:
            raise NotFound()
        return found

    def page(
        self,
        template: str,
        request: Request,
        market: Market,
        reference: str = "",
        status: int = 200,
        **context: Any,
    ) -> Response:
        """A trade-in page whose forms carry this browser's token (made on its first page)."""
        cookies: list[SetCookie] = []
        csrf = forms.form_token(request, cookies, self.key(), reference)
        response = self.view.page(
            template, request, market, status, csrf=csrf, reference=reference, **context
        )
        return forms.with_cookies(response, cookies)

    def dates(self, market: Market, tradein: TradeIn) -> dict[str, Any]:
        """The dates a trade-in's page shows, in the market's time zone."""
        day = lambda epoch: forms.local_date(market, epoch) if epoch else None  # noqa: E731
        received = tradein.when("received")
        return {
            "expires_on": day(tradein.valid_until),
            # Before acceptance: the date the device would be due if accepted now.
            "ship_by_on": day(tradein.ship_by)
            or (
                day(self.clock() + TERMS[market.code].ship_days * 86400) if tradein.offer else None
            ),
            "check_by_on": forms.business_days_after(day(received), CHECK_BUSINESS_DAYS)
            if received
            else None,
            "expired": tradein.valid_until <= self.clock(),
        }


class QuotePages:
    """The start page, the device's questions, and the quote they give."""

    def __init__(self, services: TradeInServices) -> None:
        self.s = services

    def start(self, request: Request, market: Market) -> Response:
        """Every device the market's partners buy, by category and brand: one GetItem."""
        index = self.s.catalog().buyback_index(market.code, market.currency)
        devices = index.devices if index else ()
        groups: dict[str, dict[str, list[Device]]] = {}
        for device in sorted(devices, key=lambda d: (d.brand, -d.year, d.model)):
            groups.setdefault(device.category, {}).setdefault(device.brand, []).append(device)
        return self.s.view.page(
            "tradein/start.html",
            request,
            market,
            groups=groups,
            terms=TERMS[market.code],
            check_days=CHECK_BUSINESS_DAYS,
        )

    def device(self, request: Request, market: Market, device_id: str) -> Response:
        """The questions about one device: one GetItem."""
        found = self._found(market, device_id)
        if found is None:
            raise NotFound()
        return self._describe(request, market, found, {}, [], _storage(None, found.device), 200)

    def quote(self, request: Request, market: Market) -> Response:
        """Price the device as described and save the quote; 303 to its page."""
        forms.check_post(request, self.s.origin(request), self.s.key())
        form = request.form
        found = self._found(market, form.get("device") or "")
        if found is None:
            raise BadDevice()
        device = found.device
        storage = _storage(form.get("storage"), device)
        questions = questions_for(device)
        try:
            answers = read_answers(questions, form)
            missing: list[str] = []
        except Unanswered as error:
            answers = {q.code: form.get(f"q_{q.code}") or "" for q in questions}
            missing = error.missing
        if storage is False or missing:
            if storage is False:
                missing = ["storage", *missing]
            return self._describe(request, market, found, answers, missing, storage, 400)
        graded = grade(questions, answers)
        result = best_offer(found, storage, graded)
        offer = result if isinstance(result, Offer) else None
        now = int(self.s.clock())
        reference = new_reference()
        days = QUOTE_DAYS if offer else DECLINED_DAYS
        self.s.tradeins().create(
            TradeIn(
                digest=digest(reference),
                market=market.code,
                device=device.id,
                title=f"{device.brand} {device.model}",
                storage_gb=storage,
                answers=answers,
                tier=graded.tier,
                offer=offer,
                refusal=None if offer else str(result),
                status=QUOTED if offer else DECLINED,
                created_at=now,
                valid_until=now + days * 86400,
            )
        )
        return redirect(self.s.view.links(request, market).tradein("q", reference), status=303)

    def show(self, request: Request, market: Market, reference: str) -> Response:
        """The quote and, once accepted, where the trade-in stands: one GetItem."""
        tradein = self.s.tradein(market, reference)
        done = request.arg("done")
        return self.s.page(
            "tradein/quote.html",
            request,
            market,
            reference,
            tradein=tradein,
            done=done if done in NOTICES else None,
            **self.s.dates(market, tradein),
        )

    # ------------------------------------------------------------------------- helpers

    def _found(self, market: Market, device_id: str) -> BuybackDevice | None:
        if not device_id or len(device_id) > 80:
            return None
        return self.s.catalog().buyback_device(market.code, device_id, market.currency)

    def _describe(
        self,
        request: Request,
        market: Market,
        found: BuybackDevice,
        answers: dict[str, str],
        missing: list[str],
        storage: int | None | bool,
        status: int,
    ) -> Response:
        return self.s.page(
            "tradein/device.html",
            request,
            market,
            status=status,
            device=found.device,
            questions=questions_for(found.device),
            answers=answers,
            missing=missing,
            storage=storage,
        )


def _storage(text: str | None, device: Device) -> int | None | bool:
    """The size chosen among the device's (None for a one-size device); False if none fits."""
    sizes = device.storage_gb
    if sizes == (None,):
        return None
    if text and text.isascii() and text.isdigit() and int(text) in sizes:
        return int(text)
    return False
