"""What search engines read of a product page: schema.org Product with its offers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from chalicelib.catalog.model import GRADE_ORDER, Product, Selection

REFURBISHED = "https://schema.org/RefurbishedCondition"
IN_STOCK = "https://schema.org/InStock"


def product_data(
    product: Product, selection: Selection, page: str, images: list[str] | None = None
) -> dict[str, Any]:
    """schema.org Product with one Offer per grade of the shown variant, at page's URL.

    ``images`` are the absolute URLs of the shown colour's pictures.
    """
    variant = urlencode(
        {k: v for k, v in (("storage", selection.storage_gb), ("color", selection.color)) if v}
    )
    offers = [
        {
            "@type": "Offer",
            "price": str(offer.price.to_decimal()),
            "priceCurrency": offer.price.currency,
            "itemCondition": REFURBISHED,
            "availability": IN_STOCK,
            "url": f"{page}?{variant}&grade={grade}" if variant else f"{page}?grade={grade}",
            "seller": {"@type": "Organization", "name": offer.refurbisher.name},
        }
        for grade, offer in sorted(selection.best_by_grade.items(), key=lambda g: GRADE_ORDER[g[0]])
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.description,
        "sku": product.id,
        "brand": {"@type": "Brand", "name": product.brand},
        "model": product.model,
    }
    if images:
        data["image"] = images
    if offers:
        data["offers"] = offers
    return data
