"""Which offer a product page shows for what the shopper picked, and in which order offers rank."""

from __future__ import annotations

from chalicelib.catalog.model import GRADE_BY_CODE, Offer, Product, Selection
from chalicelib.catalog.records import OfferRecord, RefurbisherRecord

# Why the first offer of a condition was chosen (Selection.reason): the template says it in words.
ONLY, CHEAPEST, TIE = "only", "cheapest", "tie"
# What decided between offers of one price, in the order ``rank`` weighs them.
TIE_BREAKS = ("warranty", "battery", "rating", "reviews")


def rank(
    price: int,
    warranty_months: int,
    battery_health: int | None,
    rating: float,
    reviews: int,
    refurbisher: str,
) -> tuple:
    """The one order of offers, best for the shopper first.

    Lowest price; at one price the longer warranty, then the healthier battery (unknown
    last), then the refurbisher's higher rating, then more reviews, then its id (stable).
    """
    battery = (battery_health is None, -(battery_health or 0))
    return (price, -warranty_months, battery, -rating, -reviews, refurbisher)


def offer_rank(offer: Offer) -> tuple:
    """The rank of an offer as a page holds it."""
    shop = offer.refurbisher
    return rank(
        offer.price.amount,
        offer.warranty_months,
        offer.battery_health,
        shop.rating,
        shop.reviews,
        shop.id,
    )


def record_rank(offer: OfferRecord, shop: RefurbisherRecord) -> tuple:
    """The rank of an offer as the loader holds it, for the card of a listing."""
    return rank(
        offer.price, offer.warranty_months, offer.battery_health, shop.rating, shop.reviews, shop.id
    )


def select_offer(
    product: Product, storage_gb: int | None, color: str | None, grade: str | None
) -> Selection:
    """Resolve a shopper's picks to the best offer, falling back to what is in stock."""
    in_stock = [o for o in product.offers if o.stock > 0]
    if storage_gb not in product.storage_gb:
        storage_gb = None
    if color not in product.colors:
        color = None
    if grade not in GRADE_BY_CODE:
        grade = None
    # What the shopper did not pick follows from the best offer that keeps what they did
    # pick, giving up the grade first, then the colour.
    tries = ((storage_gb, color, grade), (storage_gb, color, None), (storage_gb, None, grade))
    tries += ((storage_gb, None, None), (None, color, grade), (None, color, None))
    pool = next((m for t in tries if (m := _matching(in_stock, *t))), in_stock)
    first = min(pool, key=offer_rank, default=None)
    if storage_gb is None and product.storage_gb:
        storage_gb = first.storage_gb if first else product.storage_gb[0]
    if color is None:
        same = [o for o in pool if o.storage_gb == storage_gb]
        same = same or [o for o in in_stock if o.storage_gb == storage_gb]
        best_variant = min(same, key=offer_rank, default=None)
        color = best_variant.color if best_variant else product.colors[0]
    variant = (storage_gb, color)
    variant_offers = sorted((o for o in in_stock if o.variant == variant), key=offer_rank)
    best_by_grade: dict[str, Offer] = {}
    for offer in variant_offers:
        best_by_grade.setdefault(offer.grade, offer)
    if grade is None or grade not in best_by_grade:
        grade = _default_grade(best_by_grade, grade)
    best = best_by_grade.get(grade) if grade else None
    others = [o for o in variant_offers if o.grade == grade and o is not best]
    reason = choice_reason(best, others[0] if others else None)
    return Selection(storage_gb, color, grade or "good", best, others, best_by_grade, reason)


def choice_reason(best: Offer | None, runner_up: Offer | None) -> str | None:
    """Why ``best`` comes before the next offer of its condition: a code of ``Selection.reason``."""
    if best is None:
        return None
    if runner_up is None:
        return ONLY
    if best.price.amount < runner_up.price.amount:
        return CHEAPEST
    # The first term of the rank after the price that tells the two apart.
    ours, theirs = offer_rank(best)[1:5], offer_rank(runner_up)[1:5]
    return next((code for code, a, b in zip(TIE_BREAKS, ours, theirs, strict=True) if a != b), TIE)


def _matching(
    offers: list[Offer], storage_gb: int | None, color: str | None, grade: str | None
) -> list[Offer]:
    return [
        o
        for o in offers
        if (storage_gb is None or o.storage_gb == storage_gb)
        and (color is None or o.color == color)
        and (grade is None or o.grade == grade)
    ]


def _default_grade(best_by_grade: dict[str, Offer], wanted: str | None) -> str | None:
    """The grade to show when the wanted one has no offer: good first, as shops do."""
    if wanted in best_by_grade:
        return wanted
    for code in ("good", "excellent", "fair", "premium"):
        if code in best_by_grade:
            return code
    return wanted
