"""Buy-back grids: what partner refurbishers pay for a used device, per market (trade-in).

A grid is one refurbisher's prices in one market, in minor units of the market's currency,
by device, storage and condition tier. The loader writes, per market, one index item (every
device the market's grids cover, for the trade-in picker) and one item per device holding
every refurbisher's prices for it, so that a quote costs one GetItem (docs/tradein.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.kernel.money import Money

# The condition tiers a grid prices, best first (chalicelib/tradein/condition.py grades a
# device into one of them). A tier a refurbisher leaves out is a tier it does not buy.
TIERS = ("flawless", "good", "fair", "damaged", "faulty")


@dataclass(frozen=True)
class Device:
    """A model shoppers may sell: what the picker lists and the questions depend on."""

    id: str  # e.g. "apple-iphone-12"
    category: str  # a catalog category code ("smartphones", ...)
    brand: str
    model: str  # the model's name, as its maker writes it ("iPhone 12")
    year: int
    storage_gb: tuple[int | None, ...]  # (None,) for devices sold in one size
    battery: bool  # whether it has a battery whose health the shopper can read


@dataclass(frozen=True)
class GridPrices:
    """One refurbisher's prices for one device in one market, by storage and tier."""

    refurbisher: str  # refurbisher id
    name: str  # its name, as shown
    rating: float
    version: str  # the grid's version, as the catalog file names it
    prices: dict[int | None, dict[str, Money]]  # storage -> tier -> price; missing = not bought

    def price(self, storage_gb: int | None, tier: str) -> Money | None:
        """What this refurbisher pays for the device in this storage and tier, if it buys it."""
        return self.prices.get(storage_gb, {}).get(tier)


@dataclass(frozen=True)
class BuybackDevice:
    """A device in one market with every grid that prices it (possibly none: too old)."""

    device: Device
    market: str
    grids: tuple[GridPrices, ...]


@dataclass(frozen=True)
class BuybackIndex:
    """Every device a market's trade-in picker lists, by category then brand then model."""

    market: str
    devices: tuple[Device, ...]

    def device(self, device_id: str) -> Device | None:
        """The device of this id, if the market lists it."""
        return next((d for d in self.devices if d.id == device_id), None)
