"""The catalog's model: grades, categories, colours, products, offers, listings."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from chalicelib.catalog.categories import (  # noqa: F401  (where pages import them from)
    CATEGORIES,
    CATEGORY_BY_CODE,
    Category,
)
from chalicelib.catalog.images import CardImage, Images
from chalicelib.i18n import N_
from chalicelib.kernel.money import Money


@dataclass(frozen=True)
class Grade:
    """A cosmetic condition grade; functionally every grade works as new."""

    code: str
    label: str
    definition: str


GRADES: tuple[Grade, ...] = (
    Grade(
        "fair",
        N_("Fair"),
        N_(
            "Visible scratches and small dents on the body; the screen may have light "
            "scratches that do not show when it is on. Fully tested, works perfectly."
        ),
    ),
    Grade(
        "good",
        N_("Good"),
        N_(
            "Light scratches on the body, invisible from 20 cm; the screen has no scratches "
            "you can see when it is on. Fully tested, works perfectly."
        ),
    ),
    Grade(
        "excellent",
        N_("Excellent"),
        N_(
            "Hardly any signs of use: at most a few micro-scratches on the body, none on the "
            "screen. Fully tested, works perfectly."
        ),
    ),
    Grade(
        "premium",
        N_("Premium"),
        N_(
            "Looks like new, with no visible marks, and a battery at %(percent)s of its "
            "original capacity or more. Fully tested, works perfectly."
        ),
    ),
)
GRADE_BY_CODE = {g.code: g for g in GRADES}
PREMIUM_BATTERY = 0.9  # the %(percent)s in the Premium definition
GRADE_ORDER = {g.code: i for i, g in enumerate(GRADES)}


COLORS: dict[str, str] = {
    "black": N_("Black"),
    "white": N_("White"),
    "silver": N_("Silver"),
    "space-grey": N_("Space Gray"),
    "graphite": N_("Graphite"),
    "gold": N_("Gold"),
    "rose-gold": N_("Rose Gold"),
    "blue": N_("Blue"),
    "midnight": N_("Midnight"),
    "starlight": N_("Starlight"),
    "green": N_("Green"),
    "red": N_("Red"),
    "pink": N_("Pink"),
    "purple": N_("Purple"),
    "yellow": N_("Yellow"),
}

SORTS = ("popular", "price-asc", "price-desc")


@dataclass(frozen=True)
class Shipping:
    """How one refurbisher delivers in one market."""

    days: tuple[int, int]  # working days, min and max
    price: Money  # 0 minor units = free
    free_from: Money | None = None  # subtotal from which it is free

    def cost_for(self, subtotal: Money) -> Money:
        """What shipping costs for an order of this subtotal from this refurbisher."""
        if subtotal.currency != self.price.currency:
            raise ValueError(f"a {subtotal.currency} subtotal for {self.price.currency} shipping")
        if self.free_from is not None and subtotal.amount >= self.free_from.amount:
            return Money(0, self.price.currency)
        return self.price


@dataclass(slots=True)
class Refurbisher:
    """A certified seller of refurbished devices."""

    id: str
    name: str
    country: str
    rating: float
    reviews: int
    shipping: Shipping | None = None  # in the market of the product it was read with


@dataclass(slots=True)  # not frozen: a product page builds dozens, and frozen init is slow
class Offer:
    """One refurbisher's offer of one variant in one grade, in one market."""

    refurbisher: Refurbisher
    storage_gb: int | None
    color: str
    grade: str
    price: Money
    stock: int
    warranty_months: int
    battery_health: int | None

    @property
    def variant(self) -> tuple[int | None, str]:
        """The (storage, colour) pair this offer sells."""
        return (self.storage_gb, self.color)


@dataclass(frozen=True)
class Co2e:
    """Emissions avoided by buying refurbished rather than new, with the source."""

    kg_avoided: int
    source: str


@dataclass(frozen=True)
class Product:
    """A model as sold in one market: its text, variants, new prices and offers."""

    id: str
    category: str
    brand: str
    model: str
    title: str
    description: str
    year: int
    colors: tuple[str, ...]
    storage_gb: tuple[int, ...]
    new_prices: dict[int | None, Money]
    offers: tuple[Offer, ...]
    co2e: Co2e
    screen_in: float | None = None
    weight_g: int | None = None
    markets: tuple[str, ...] = ()
    images: Images = field(default_factory=dict)  # pictures per colour


@dataclass(slots=True)  # not frozen: a listing page builds a dozen, and frozen init is slow
class ListingEntry:
    """A product as a card in a listing, search result or deal strip."""

    product_id: str
    title: str
    brand: str
    category: str
    price: Money
    grade: str
    new_price: Money
    offers: int
    image: CardImage | None = None  # None: the category's illustration

    @property
    def saving(self) -> Money:
        """How much less than new."""
        return self.new_price - self.price

    @property
    def saving_ratio(self) -> float:
        """The saving as a negative ratio of the new price, for ``-35 %``."""
        return -self.saving.amount / self.new_price.amount if self.new_price.amount else 0.0


@dataclass(frozen=True)
class Facets:
    """Counts that let a shopper narrow a listing."""

    brands: dict[str, int]
    grades: dict[str, int]
    prices: tuple[int, ...]
    brand_names: dict[str, str] = field(default_factory=dict)

    def count_in_range(self, low: int | None, high: int | None) -> int:
        """How many entries have a price between low and high minor units, inclusive."""
        start = bisect_left(self.prices, low) if low is not None else 0
        end = bisect_right(self.prices, high) if high is not None else len(self.prices)
        return max(0, end - start)


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing, with the total and the cursor to the next page."""

    entries: list[ListingEntry]
    total: int
    next_cursor: str | None
    facets: Facets | None = None
    offset: int = 0
    # A search counts only what it has read: its total is exact on its last page alone.
    total_exact: bool = True


@dataclass(frozen=True)
class HomeCategory:
    """A category tile on the home page."""

    code: str
    count: int
    from_price: Money | None


@dataclass(frozen=True)
class Home:
    """What the market home page shows."""

    categories: list[HomeCategory]
    deals: list[ListingEntry]


@dataclass
class Selection:
    """The variant and grade a shopper picked on a product page, resolved to offers."""

    storage_gb: int | None
    color: str
    grade: str
    best: Offer | None
    others: list[Offer] = field(default_factory=list)
    best_by_grade: dict[str, Offer] = field(default_factory=dict)
    # Why ``best`` is first (catalog/offers.py): only, cheapest, warranty, battery, rating,
    # reviews or tie; None when nothing is in stock.
    reason: str | None = None
