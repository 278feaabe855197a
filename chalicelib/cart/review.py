"""A cart checked against the catalog as it is now: prices, stock, sellers, shipping, totals.

Nothing the cart holds is trusted beyond which offer and how many: the price, the stock and
the seller come from the product items read for this view. The totals are computed from
the lines shown, in one pass, so that they cannot disagree with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chalicelib.cart.model import MAX_PER_LINE, Cart, CartLine, OfferRef
from chalicelib.catalog.delivery import delivery_window
from chalicelib.catalog.model import Offer, Product, Refurbisher
from chalicelib.kernel.markets import Market
from chalicelib.kernel.money import Money

# What happened to a line since it was added, as the cart page says it.
OK, PRICE_DOWN, PRICE_UP, REDUCED, SOLD_OUT, GONE = (
    "ok", "price_down", "price_up", "reduced", "sold_out", "gone",
)  # fmt: skip


def find_offer(product: Product | None, ref: OfferRef) -> Offer | None:
    """The product's offer a cart line names, if the catalog still has it."""
    if product is None:
        return None
    for offer in product.offers:
        if (
            offer.refurbisher.id == ref.refurbisher
            and offer.storage_gb == ref.storage_gb
            and offer.color == ref.color
            and offer.grade == ref.grade
        ):
            return offer
    return None


def quantity_cap(offer: Offer) -> int:
    """The most of one offer a cart may hold: its stock, and never more than the line cap."""
    return max(0, min(offer.stock, MAX_PER_LINE))


@dataclass(frozen=True)
class LineView:
    """A line as the cart page shows it, checked against the catalog."""

    line: CartLine
    product: Product | None
    offer: Offer | None
    status: str
    quantity: int  # what is counted: the saved quantity, lowered to the stock
    unit: Money | None  # today's price
    was: Money | None  # the price when added, if it changed

    @property
    def total(self) -> Money | None:
        """Unit price times quantity; None when nothing is counted."""
        if self.unit is None or not self.counted:
            return None
        return Money(self.unit.amount * self.quantity, self.unit.currency)

    @property
    def counted(self) -> bool:
        """Whether the line is in the total (a sold-out or vanished offer is not)."""
        return self.status not in (SOLD_OUT, GONE) and self.quantity > 0

    @property
    def most(self) -> int:
        """The largest quantity the shopper may choose for this line."""
        return quantity_cap(self.offer) if self.offer else 0


@dataclass(frozen=True)
class SellerGroup:
    """The lines one refurbisher ships, with its delivery window and shipping cost."""

    refurbisher: Refurbisher | None
    lines: list[LineView]
    subtotal: Money
    shipping: Money | None  # None: nothing of this group is counted
    delivery: tuple[dt.date, dt.date] | None

    @property
    def free_shipping(self) -> bool:
        """Whether this refurbisher ships this group for free."""
        return self.shipping is not None and self.shipping.amount == 0


@dataclass(frozen=True)
class CartReview:
    """The whole cart page: groups by refurbisher and the totals of what is counted."""

    cart: Cart
    groups: list[SellerGroup] = field(default_factory=list)
    items: Money | None = None
    shipping: Money | None = None
    total: Money | None = None

    @property
    def count(self) -> int:
        """Items counted in the total."""
        return sum(v.quantity for g in self.groups for v in g.lines if v.counted)


def view_line(line: CartLine, product: Product | None, currency: str) -> LineView:
    """One line against its product as read now."""
    offer = find_offer(product, line.offer)
    if offer is None:
        # A product item holds only offers in stock: an offer missing from a product still
        # sold is sold out; a product missing altogether is no longer sold.
        return LineView(line, product, None, GONE if product is None else SOLD_OUT, 0, None, None)
    unit = offer.price
    was = Money(line.price, currency) if line.price != unit.amount else None
    if offer.stock <= 0:
        return LineView(line, product, offer, SOLD_OUT, 0, unit, was)
    quantity = min(line.quantity, quantity_cap(offer))
    if quantity < line.quantity:
        status = REDUCED
    elif was is not None:
        status = PRICE_DOWN if unit.amount < line.price else PRICE_UP
    else:
        status = OK
    return LineView(line, product, offer, status, quantity, unit, was)


def review(cart: Cart, products: dict[str, Product], market: Market, today: dt.date) -> CartReview:
    """The cart as its page shows it, every figure from ``products``."""
    currency = market.currency
    zero = Money(0, currency)
    by_seller: dict[str, list[LineView]] = {}
    for line in cart.lines:
        shown = view_line(line, products.get(line.offer.product), currency)
        by_seller.setdefault(line.offer.refurbisher, []).append(shown)
    groups = [_group(lines, market, today, zero) for lines in by_seller.values()]
    if not any(v.counted for g in groups for v in g.lines):
        return CartReview(cart, groups)
    items = sum((g.subtotal.amount for g in groups), 0)
    shipping = sum((g.shipping.amount for g in groups if g.shipping is not None), 0)
    return CartReview(
        cart, groups, Money(items, currency), Money(shipping, currency),
        Money(items + shipping, currency),
    )  # fmt: skip


def _group(lines: list[LineView], market: Market, today: dt.date, zero: Money) -> SellerGroup:
    seller = _seller_of(lines)
    subtotal = Money(sum(v.total.amount for v in lines if v.total), zero.currency)
    if not any(v.counted for v in lines):
        return SellerGroup(seller, lines, subtotal, None, None)
    terms = seller.shipping if seller else None
    if terms is None:  # the loader refuses an offer without terms: only items older than it
        window = delivery_window(today, market.delivery_days)
        return SellerGroup(seller, lines, subtotal, zero, window)
    return SellerGroup(
        seller, lines, subtotal, terms.cost_for(subtotal), delivery_window(today, terms.days)
    )


def _seller_of(lines: list[LineView]) -> Refurbisher | None:
    """The refurbisher of a group: from an offer of its lines, or of the same product."""
    for view in lines:
        if view.offer:
            return view.offer.refurbisher
    wanted = lines[0].line.offer.refurbisher
    for view in lines:
        for offer in view.product.offers if view.product else ():
            if offer.refurbisher.id == wanted:
                return offer.refurbisher
    return None
