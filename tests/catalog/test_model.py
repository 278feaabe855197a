"""The catalog domain: offer selection, savings, delivery dates, search tokens."""

import datetime as dt

from chalicelib.catalog.delivery import add_business_days
from chalicelib.catalog.model import Co2e, Facets, Offer, Product, Refurbisher
from chalicelib.catalog.offers import select_offer
from chalicelib.catalog.text import brand_slug, tokens
from chalicelib.kernel.money import Money

SHOP = Refurbisher("a", "Shop A", "FR", 4.5, 100)
OTHER = Refurbisher("b", "Shop B", "DE", 4.8, 900)


def offer(shop, size, color, grade, price, stock=3):
    return Offer(shop, size, color, grade, Money(price, "EUR"), stock, 12, 90)


def product(*offers):
    return Product(
        id="apple-iphone-13",
        category="smartphones",
        brand="Apple",
        model="iPhone 13",
        title="Apple iPhone 13",
        description="",
        year=2021,
        colors=("black", "blue"),
        storage_gb=(128, 256),
        new_prices={128: Money(80900, "EUR"), 256: Money(92900, "EUR")},
        offers=offers,
        co2e=Co2e(50, "ADEME"),
    )


def test_default_is_the_cheapest_variant_in_good():
    p = product(
        offer(SHOP, 256, "black", "good", 50000),
        offer(SHOP, 128, "blue", "good", 40000),
        offer(OTHER, 128, "blue", "good", 41000),
        offer(SHOP, 128, "blue", "fair", 35000),
    )
    picked = select_offer(p, None, None, None)
    assert (picked.storage_gb, picked.color, picked.grade) == (128, "blue", "good")
    assert picked.best.price == Money(40000, "EUR")
    assert [o.refurbisher.id for o in picked.others] == ["b"]
    assert set(picked.best_by_grade) == {"good", "fair"}


def test_sold_out_offers_are_never_picked():
    p = product(
        offer(SHOP, 128, "black", "good", 30000, stock=0), offer(OTHER, 128, "black", "good", 45000)
    )
    assert select_offer(p, 128, "black", "good").best.refurbisher is OTHER


def test_wanted_grade_is_kept_when_available():
    p = product(
        offer(SHOP, 128, "black", "good", 30000), offer(SHOP, 128, "black", "premium", 45000)
    )
    assert select_offer(p, 128, "black", "premium").best.price.amount == 45000


def test_unknown_picks_are_normalized():
    p = product(offer(SHOP, 128, "black", "good", 30000))
    picked = select_offer(p, 999, "plaid", "mint")
    assert (picked.storage_gb, picked.color, picked.grade) == (128, "black", "good")


def test_nothing_in_stock_gives_no_best_offer():
    picked = select_offer(
        product(offer(SHOP, 128, "black", "good", 30000, stock=0)), None, None, None
    )
    assert picked.best is None


def test_business_days_skip_weekends():
    friday = dt.date(2026, 11, 27)
    assert add_business_days(friday, 1) == dt.date(2026, 11, 30)
    assert add_business_days(friday, 3) == dt.date(2026, 12, 2)


def test_tokens_fold_case_and_accents():
    assert tokens("Écouteurs SANS-FIL Ψηφιακό 13 Pro") == [
        "ecouteurs",
        "sans",
        "fil",
        "ψηφιακο",
        "13",
        "pro",
    ]
    assert brand_slug("Google") == "google"


def test_price_range_count():
    facets = Facets(brands={}, grades={}, prices=(100, 200, 200, 300, 900))
    assert facets.count_in_range(200, 300) == 3
    assert facets.count_in_range(None, 150) == 1
    assert facets.count_in_range(1000, None) == 0


def test_a_wanted_colour_decides_the_storage():
    p = product(offer(SHOP, 128, "black", "good", 30000), offer(SHOP, 256, "blue", "good", 40000))
    picked = select_offer(p, None, "blue", None)
    assert (picked.storage_gb, picked.color, picked.best.price.amount) == (256, "blue", 40000)


def test_a_wanted_grade_decides_the_variant():
    p = product(
        offer(SHOP, 128, "black", "fair", 20000), offer(SHOP, 256, "blue", "excellent", 30000)
    )
    picked = select_offer(p, None, None, "excellent")
    assert (picked.storage_gb, picked.color, picked.grade) == (256, "blue", "excellent")
    assert picked.best.price.amount == 30000


def test_an_unavailable_grade_keeps_the_variant():
    p = product(offer(SHOP, 128, "black", "fair", 20000), offer(SHOP, 256, "blue", "good", 30000))
    picked = select_offer(p, 128, "black", "premium")
    assert (picked.storage_gb, picked.color, picked.grade) == (128, "black", "fair")
