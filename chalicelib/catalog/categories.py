"""The catalog's categories: their names, icons, and the titles of their listings."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.i18n import N_


@dataclass(frozen=True)
class Category:
    """A product category with its shopper-facing name, and its listing's title and summary."""

    code: str
    label: str
    icon: str
    # Whole sentences, not "%(category)s, refurbished": the adjective agrees with the noun
    # (reconditionnés, reacondicionadas, ricondizionati), so each translator writes each one.
    listing_title: str
    listing_description: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "smartphones",
        N_("Smartphones"),
        "phone",
        N_("Refurbished smartphones"),
        N_(
            "Refurbished smartphones at the best price, tested by certified refurbishers, "
            "with a warranty."
        ),
    ),
    Category(
        "laptops",
        N_("Laptops"),
        "laptop",
        N_("Refurbished laptops"),
        N_(
            "Refurbished laptops at the best price, tested by certified refurbishers, "
            "with a warranty."
        ),
    ),
    Category(
        "tablets",
        N_("Tablets"),
        "tablet",
        N_("Refurbished tablets"),
        N_(
            "Refurbished tablets at the best price, tested by certified refurbishers, "
            "with a warranty."
        ),
    ),
    Category(
        "smartwatches",
        N_("Smartwatches"),
        "watch",
        N_("Refurbished smartwatches"),
        N_(
            "Refurbished smartwatches at the best price, tested by certified refurbishers, "
            "with a warranty."
        ),
    ),
    Category(
        "consoles",
        N_("Game consoles"),
        "console",
        N_("Refurbished game consoles"),
        N_(
            "Refurbished game consoles at the best price, tested by certified refurbishers, "
            "with a warranty."
        ),
    ),
    Category(
        "headphones",
        N_("Headphones"),
        "headphones",
        N_("Refurbished headphones"),
        N_(
            "Refurbished headphones at the best price, tested by certified refurbishers, "
            "with a warranty."
        ),
    ),
)
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
