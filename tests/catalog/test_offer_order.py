"""The one order of offers: lowest price, then warranty, battery, rating, reviews, id."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.catalog import codec
from chalicelib.catalog.model import Offer, Refurbisher
from chalicelib.catalog.offers import offer_rank, record_rank, select_offer
from chalicelib.catalog.records import OfferRecord, ProductRecord, RefurbisherRecord
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from tests.catalog.test_model import product

# Two shops alike in everything an offer is ranked by; each case makes one of them better.
PLAIN = Refurbisher("a-shop", "A Shop", "FR", 4.5, 100)
RIVAL = Refurbisher("b-shop", "B Shop", "DE", 4.5, 100)


def offer(shop=PLAIN, price=30000, warranty=12, battery=90, grade="good", stock=3, color="black"):
    return Offer(shop, 128, color, grade, Money(price, "EUR"), stock, warranty, battery)


# (what the winner has, what the other has, the reason the page gives): the winner is always
# the B shop, whose id sorts last, so that only the rule under test can make it first.
TIES = {
    "warranty": ({"warranty": 24}, {"warranty": 12}, "warranty"),
    "battery": ({"battery": 95}, {"battery": 90}, "battery"),
    "battery-known": ({"battery": 80}, {"battery": None}, "battery"),
    "rating": ({"shop": dataclasses.replace(RIVAL, rating=4.8)}, {}, "rating"),
    "reviews": ({"shop": dataclasses.replace(RIVAL, reviews=900)}, {}, "reviews"),
    # Warranty outweighs a better battery, which outweighs a better rating.
    "warranty-over-battery": ({"warranty": 24, "battery": 80}, {"battery": 99}, "warranty"),
    "battery-over-rating": (
        {"battery": 99},
        {"shop": dataclasses.replace(PLAIN, rating=5.0, reviews=9999)},
        "battery",
    ),
}


@pytest.mark.parametrize("case", list(TIES))
def test_at_one_price_the_tie_is_decided_in_order(case):
    better, worse, reason = TIES[case]
    winner = offer(**{"shop": RIVAL, **better})
    loser = offer(**worse)
    picked = select_offer(product(loser, winner), 128, "black", "good")
    assert picked.best is winner and picked.others == [loser]
    assert picked.reason == reason
    assert min([loser, winner], key=offer_rank) is winner


@pytest.mark.parametrize("case", list(TIES))
def test_a_lower_price_beats_every_tie_break(case):
    better, _, _ = TIES[case]
    dearer = offer(**{"shop": RIVAL, **better, "price": 30100})
    cheaper = offer()
    picked = select_offer(product(dearer, cheaper), 128, "black", "good")
    assert picked.best is cheaper and picked.reason == "cheapest"


def test_the_only_offer_of_a_condition_needs_no_reason():
    picked = select_offer(product(offer(), offer(RIVAL, grade="fair")), 128, "black", "good")
    assert picked.best.grade == "good" and picked.others == [] and picked.reason == "only"


def test_offers_alike_in_all_but_the_shop_keep_a_stable_order():
    first, second = offer(PLAIN), offer(RIVAL)
    for offers in ((first, second), (second, first)):
        picked = select_offer(product(*offers), 128, "black", "good")
        assert picked.best is first and picked.others == [second] and picked.reason == "tie"


def test_nothing_in_stock_has_no_reason():
    picked = select_offer(product(offer(stock=0)), 128, "black", "good")
    assert picked.best is None and picked.reason is None


def test_other_offers_follow_the_same_order():
    offers = [
        offer(RIVAL, price=31000),
        offer(PLAIN, price=30500, warranty=24),
        offer(dataclasses.replace(RIVAL, id="c-shop"), price=30500, battery=None, warranty=24),
        offer(RIVAL, price=30000),
    ]
    picked = select_offer(product(*offers), 128, "black", "good")
    assert [picked.best, *picked.others] == [offers[3], offers[1], offers[2], offers[0]]


def test_the_order_decides_the_variant_shown_when_nothing_is_picked():
    """At one price the longer warranty decides the colour too, not the shop's name."""
    blue = offer(RIVAL, warranty=24, color="blue")
    picked = select_offer(product(offer(PLAIN, color="black"), blue), None, None, None)
    assert (picked.color, picked.best) == ("blue", blue)


def test_a_card_and_a_page_rank_the_same_offers_alike():
    """The loader's records and the page's offers are ranked by one function."""
    shops = {
        "a-shop": RefurbisherRecord("a-shop", "A Shop", "FR", 4.5, 100, ("eu",)),
        "b-shop": RefurbisherRecord("b-shop", "B Shop", "DE", 4.9, 100, ("eu",)),
    }
    records = [
        OfferRecord("a-shop", "black", "good", 30000, 2, 12, 128, 95),
        OfferRecord("b-shop", "blue", "good", 30000, 2, 12, 256, 95),  # wins on rating
        OfferRecord("a-shop", "blue", "fair", 30000, 2, 12, 128, None),
    ]
    record = ProductRecord(
        market=MARKETS["fr-fr"],
        id="apple-iphone-13",
        category="smartphones",
        brand="Apple",
        model="iPhone 13",
        title="Apple iPhone 13",
        description="",
        year=2021,
        popularity=50,
        colors=("black", "blue"),
        storage_gb=(128, 256),
        new_prices={"128": 80900, "256": 90900},
        offers=tuple(records),
        refurbishers=shops,
        co2e_kg=50,
        co2e_source="ADEME",
    )
    fields = codec.entry_fields(record, list(records))
    assert (fields["price"], fields["grade"], fields["new_price"]) == (30000, "good", 90900)
    page = codec.decode_product(codec.product_item(record, ["fr-fr"]))
    ranked_records = sorted(records, key=lambda o: record_rank(o, shops[o.refurbisher]))
    ranked_offers = sorted(page.offers, key=offer_rank)
    assert [(o.refurbisher, o.color, o.grade) for o in ranked_records] == [
        (o.refurbisher.id, o.color, o.grade) for o in ranked_offers
    ]
    picked = select_offer(page, None, None, fields["grade"])
    assert (picked.best.refurbisher.id, picked.storage_gb, picked.color) == ("b-shop", 256, "blue")
