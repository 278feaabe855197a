"""Validated catalog records, typed, on their way from the catalog file to table items."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.catalog.images import Images
from chalicelib.kernel.markets import Market


@dataclass(frozen=True)
class ShippingRecord:
    """How a refurbisher delivers in one market; amounts in the market's minor units."""

    days: tuple[int, int]
    price: int
    free_from: int | None = None


@dataclass(frozen=True)
class RefurbisherRecord:
    """A refurbisher as the catalog file declares it."""

    id: str
    name: str
    country: str
    rating: float
    reviews: int
    stages: tuple[str, ...]
    shipping: dict[str, ShippingRecord] = field(default_factory=dict)  # by market code


@dataclass(frozen=True)
class OfferRecord:
    """One validated offer of one variant in one grade."""

    refurbisher: str
    color: str
    grade: str
    price: int
    stock: int
    warranty_months: int
    storage_gb: int | None = None
    battery_health: int | None = None


@dataclass(frozen=True)
class ProductRecord:
    """A validated product as sold in one market, ready to become items."""

    market: Market
    id: str
    category: str
    brand: str
    model: str
    title: str
    description: str
    year: int
    popularity: int
    colors: tuple[str, ...]
    storage_gb: tuple[int, ...]
    new_prices: dict[str, int]
    offers: tuple[OfferRecord, ...]
    refurbishers: dict[str, RefurbisherRecord]
    co2e_kg: int
    co2e_source: str
    screen_in: float | None = None
    weight_g: int | None = None
    images: Images = field(default_factory=dict)  # pictures per colour

    def in_stock(self, grade: str | None = None) -> list[OfferRecord]:
        """Offers with stock, of one grade or all."""
        return [o for o in self.offers if o.stock > 0 and (grade is None or o.grade == grade)]

    def new_price_for(self, storage: int | None) -> int:
        """The new price of a storage size (``base`` for products without one)."""
        return self.new_prices[new_price_key(storage)]


def new_price_key(storage: int | None) -> str:
    """How new prices are keyed: the size in GB, or ``base``."""
    return str(storage) if storage is not None else "base"


@dataclass(frozen=True)
class GridRecord:
    """One refurbisher's validated buy-back grid in one market, in its minor units."""

    refurbisher: str
    market: str
    version: str
    # (device id, storage) -> tier -> price; a tier left out is one the refurbisher does not buy
    prices: dict[tuple[str, int | None], dict[str, int]]
