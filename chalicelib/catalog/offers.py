"""Which offer a product page shows for what the shopper picked."""

from __future__ import annotations

from chalicelib.catalog.model import GRADE_BY_CODE, Offer, Product, Selection


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
    # What the shopper did not pick follows from the cheapest offer that keeps what they did
    # pick, giving up the grade first, then the colour.
    tries = ((storage_gb, color, grade), (storage_gb, color, None), (storage_gb, None, grade))
    tries += ((storage_gb, None, None), (None, color, grade), (None, color, None))
    pool = next((m for t in tries if (m := _matching(in_stock, *t))), in_stock)
    cheapest = min(pool, key=_offer_order, default=None)
    if storage_gb is None and product.storage_gb:
        storage_gb = cheapest.storage_gb if cheapest else product.storage_gb[0]
    if color is None:
        same = [o for o in pool if o.storage_gb == storage_gb]
        same = same or [o for o in in_stock if o.storage_gb == storage_gb]
        best_variant = min(same, key=_offer_order, default=None)
        color = best_variant.color if best_variant else product.colors[0]
    variant_offers = [o for o in in_stock if o.variant == (storage_gb, color)]
    best_by_grade: dict[str, Offer] = {}
    for offer in sorted(variant_offers, key=_offer_order):
        best_by_grade.setdefault(offer.grade, offer)
    if grade is None or grade not in best_by_grade:
        grade = _default_grade(best_by_grade, grade)
    best = best_by_grade.get(grade) if grade else None
    others = sorted(
        (o for o in variant_offers if o.grade == grade and o is not best), key=_offer_order
    )
    return Selection(storage_gb, color, grade or "good", best, others, best_by_grade)


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


def _offer_order(offer: Offer) -> tuple:
    return (offer.price.amount, -offer.refurbisher.rating, offer.refurbisher.id)


def _default_grade(best_by_grade: dict[str, Offer], wanted: str | None) -> str | None:
    """The grade to show when the wanted one has no offer: good first, as shops do."""
    if wanted in best_by_grade:
        return wanted
    for code in ("good", "excellent", "fair", "premium"):
        if code in best_by_grade:
            return code
    return wanted
