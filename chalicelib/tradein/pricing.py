"""The instant offer: the best price any partner's grid pays for the device as described."""

from __future__ import annotations

from chalicelib.catalog.buyback import BuybackDevice
from chalicelib.tradein.condition import Graded
from chalicelib.tradein.model import Offer

# Why there is no offer beyond the answers' own refusals (locked, carrier, water).
TOO_OLD = "too_old"  # no partner prices this model in this market any more
NOT_BOUGHT = "not_bought"  # partners price the model, but none buys it in this condition


def best_offer(found: BuybackDevice, storage_gb: int | None, graded: Graded) -> Offer | str:
    """The highest price among the grids, a tie going to the better-rated partner; else why not."""
    if graded.refusal:
        return graded.refusal
    if not found.grids:
        return TOO_OLD
    priced = [
        (price, grid)
        for grid in found.grids
        if (price := grid.price(storage_gb, graded.tier or "")) is not None
    ]
    if not priced:
        return NOT_BOUGHT
    price, grid = max(priced, key=lambda pair: (pair[0].amount, pair[1].rating, pair[1].name))
    return Offer(price, grid.refurbisher, grid.name, grid.version)
