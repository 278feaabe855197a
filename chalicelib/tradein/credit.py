"""The credit an accepted trade-in brings to the cart of its market (paid after the check)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money
from chalicelib.tradein.forms import credit_cookie_name
from chalicelib.tradein.model import CREDIT_EXPECTED, digest, is_reference
from chalicelib.tradein.repository import TradeInRepository
from chalicelib.web.http import Request
from chalicelib.web.view import View


@dataclass(frozen=True)
class ExpectedCredit:
    """What the cart shows: which device, how much is expected, where to follow it."""

    title: str
    amount: Money
    link: str


def credit_lookup(
    view: View, tradeins: Callable[[], TradeInRepository]
) -> Callable[[Request, Market], ExpectedCredit | None]:
    """The cart's question "does this shopper expect money from a trade-in here?"."""

    def lookup(request: Request, market: Market) -> ExpectedCredit | None:
        reference = request.cookies.get(credit_cookie_name(market.code), "")
        if not market.trade_in or not is_reference(reference):
            return None  # no cookie, no request
        tradein = tradeins().get(digest(reference), market.code)
        if tradein is None or tradein.status not in CREDIT_EXPECTED or tradein.price is None:
            return None
        link = view.links(request, market).tradein("q", reference)
        return ExpectedCredit(tradein.title, tradein.price, link)

    return lookup
