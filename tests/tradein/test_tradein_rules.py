"""The rules under the pages: grading, the best offer, the terms and the moves a trade-in makes."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from chalicelib.catalog.buyback import TIERS, BuybackDevice, Device, GridPrices
from chalicelib.catalog.model import CATEGORIES
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from chalicelib.tradein import terms
from chalicelib.tradein.collect import DetailsRefused, read_details
from chalicelib.tradein.condition import Unanswered, grade, read_answers
from chalicelib.tradein.model import ENDED, MOVES, QUOTED, Counter, Offer, TradeIn
from chalicelib.tradein.pricing import NOT_BOUGHT, TOO_OLD, best_offer
from chalicelib.tradein.questions import REFUSALS, all_questions, questions_for
from chalicelib.tradein.repository import MoveRefused, TradeInRepository
from tests.tradein.conftest import details

PHONE = Device("apple-iphone-12", "smartphones", "Apple", "iPhone 12", 2020, (64, 128), True)
CONSOLE = Device("sony-playstation-4", "consoles", "Sony", "PlayStation 4", 2013, (None,), False)


def perfect(device: Device) -> dict[str, str]:
    return {q.code: q.answers[0].code for q in questions_for(device)}


TODAY = dt.date(2026, 12, 1)


def test_every_category_asks_known_questions_whose_answers_do_known_things():
    for category in CATEGORIES:
        device = Device("x", category.code, "Apple", "X", 2020, (None,), True)
        codes = [q.code for q in questions_for(device)]
        assert "powers_on" in codes and "water" in codes and len(codes) == len(set(codes))
        assert {"find_my", "account"} & set(codes), category.code  # some lock is always asked
    effects = {a.effect for q in all_questions().values() for a in q.answers}
    assert effects <= {"none", *TIERS, *REFUSALS}


def test_the_lock_asked_is_the_brands():
    def asked(brand: str) -> set[str]:
        device = Device("x", "smartphones", brand, "X", 2020, (None,), True)
        return {q.code for q in questions_for(device)}

    assert "find_my" in asked("Apple") and "google_account" in asked("Samsung")
    assert "account" in asked("Fairphone")
    assert "battery" not in {q.code for q in questions_for(CONSOLE)}


@pytest.mark.parametrize(
    ("changes", "tier", "refusal"),
    [
        ({}, "flawless", None),
        ({"screen": "light"}, "good", None),
        ({"battery": "unknown"}, "good", None),
        ({"body": "deep", "screen": "light"}, "fair", None),
        ({"battery": "low"}, "fair", None),
        ({"screen": "cracked", "battery": "low"}, "damaged", None),
        ({"cameras": "no"}, "damaged", None),
        ({"powers_on": "no", "screen": "cracked"}, "faulty", None),
        ({"water": "yes", "powers_on": "no"}, None, "water"),
        ({"carrier": "no", "water": "yes"}, None, "carrier"),
        ({"find_my": "no", "carrier": "no", "water": "yes"}, None, "locked"),
    ],
)
def test_answers_grade_a_device_as_its_worst_answer_allows(changes, tier, refusal):
    graded = grade(questions_for(PHONE), {**perfect(PHONE), **changes})
    assert (graded.tier, graded.refusal) == (tier, refusal)


def test_a_missing_or_unknown_answer_is_named():
    answers = {**perfect(PHONE), "screen": "shiny"}
    answers.pop("water")
    with pytest.raises(Unanswered) as refused:
        read_answers(questions_for(PHONE), {f"q_{k}": v for k, v in answers.items()})
    assert refused.value.missing == ["screen", "water"]


def grid(rid: str, rating: float, prices: dict) -> GridPrices:
    money = {s: {t: Money(p, "EUR") for t, p in tiers.items()} for s, tiers in prices.items()}
    return GridPrices(rid, rid.title(), rating, "v1", money)


def test_the_best_offer_is_the_highest_price_then_the_better_rated_partner():
    found = BuybackDevice(PHONE, "fr-fr", (
        grid("a", 4.1, {128: {"flawless": 30000, "good": 26000}}),
        grid("b", 4.8, {128: {"flawless": 30000, "good": 25000, "faulty": 4000}}),
        grid("c", 4.9, {64: {"flawless": 90000}}),
    ))  # fmt: skip
    perfect_phone = grade(questions_for(PHONE), perfect(PHONE))
    assert best_offer(found, 128, perfect_phone) == Offer(Money(30000, "EUR"), "b", "B", "v1")
    good = grade(questions_for(PHONE), {**perfect(PHONE), "screen": "light"})
    assert best_offer(found, 128, good).refurbisher == "a"
    faulty = grade(questions_for(PHONE), {**perfect(PHONE), "powers_on": "no"})
    assert best_offer(found, 128, faulty).price == Money(4000, "EUR")
    damaged = grade(questions_for(PHONE), {**perfect(PHONE), "screen": "cracked"})
    assert best_offer(found, 128, damaged) == NOT_BOUGHT
    assert best_offer(BuybackDevice(PHONE, "fr-fr", ()), 128, perfect_phone) == TOO_OLD


def test_terms_cover_exactly_the_markets_the_registry_opens():
    assert set(terms.TERMS) == {code for code, m in MARKETS.items() if m.trade_in}
    assert terms.TERMS["en-us"].ship_days == 21 and terms.TERMS["en-us"].payout == "us_bank"
    assert "id_number" in terms.TERMS["fr-fr"].fields
    assert not any("id_number" in t.fields for code, t in terms.TERMS.items() if code != "fr-fr")
    assert terms.adult_age("en-us", "MS") == 21 and terms.adult_age("en-us", "NY") == 18


def quoted(repository: TradeInRepository, market: str = "de-de") -> TradeIn:
    now = int(time.time())
    offer = Offer(Money(20000, "EUR"), "a", "A", "v1")
    tradein = TradeIn(
        digest=f"{time.time_ns():x}", market=market, device="apple-iphone-12",
        title="Apple iPhone 12", storage_gb=128, answers={}, tier="good", offer=offer,
        refusal=None, status=QUOTED, created_at=now, valid_until=now + 3600,
    )  # fmt: skip
    repository.create(tradein)
    return repository.get(tradein.digest, market)


SEALED = {"identity": {"box": "x"}, "payout": {"box": "y"}}


def walk(repository: TradeInRepository, tradein: TradeIn, states: list[str]) -> TradeIn:
    for state in states:
        if state == "accepted":
            repository.accept(tradein, SEALED, {})
        else:
            repository.move(tradein, state)
        tradein = repository.get(tradein.digest, tradein.market)
    return tradein


@pytest.mark.parametrize(
    ("path", "refused"),
    [([], "received"), (["accepted"], "paid"), (["accepted"], "checked"),
     (["accepted", "received"], "paid"), (["accepted", "received", "checked"], "countered"),
     (["accepted", "received", "checked", "paid"], "returned"),
     (["accepted", "expired"], "received")],
)  # fmt: skip
def test_an_impossible_move_is_refused_and_changes_nothing(tradein_table, path, refused):
    repository = TradeInRepository(tradein_table, time.time)
    tradein = walk(repository, quoted(repository), path)
    with pytest.raises(MoveRefused):
        repository.move(tradein, refused)
    assert repository.get(tradein.digest, tradein.market) == tradein


def test_a_move_made_from_a_stale_read_is_refused_by_the_table(tradein_table):
    repository = TradeInRepository(tradein_table, time.time)
    tradein = walk(repository, quoted(repository), ["accepted", "received"])
    repository.move(tradein, "checked")  # the refurbisher's check lands first...
    with pytest.raises(MoveRefused):  # ...so a counter-offer from the same read is refused
        repository.move(tradein, "countered", Counter(Money(100, "EUR"), ("liquid",)))
    assert repository.get(tradein.digest, tradein.market).status == "checked"


def test_an_expired_quote_cannot_be_accepted(tradein_table):
    repository = TradeInRepository(tradein_table, time.time)
    tradein = quoted(repository)
    late = TradeInRepository(tradein_table, lambda: tradein.valid_until + 1.0)
    with pytest.raises(MoveRefused):
        late.accept(tradein, SEALED, {})
    assert late.get(tradein.digest, tradein.market) is None  # read as gone, TTL or not


def test_every_state_but_the_ends_has_a_way_on():
    states = {s for nexts in MOVES.values() for s in nexts} | set(MOVES)
    assert {s for s in states if s not in MOVES} == set(ENDED)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("75002", "75002"), ("７５００２", "75002"), ("𝟕𝟓𝟎𝟎𝟐", "75002"), (" 75002 ", "75002")],
)
def test_a_postcode_in_fullwidth_digits_is_read_as_its_ascii_digits(typed, kept):
    accepted = read_details("fr-fr", details("fr-fr", postcode=typed), TODAY)
    assert accepted.identity["postcode"] == kept


@pytest.mark.parametrize("typed", ["٧٥٠٠٢", "७५००२", "7500２x"])
def test_a_postcode_in_another_scripts_digits_is_refused(typed):
    with pytest.raises(DetailsRefused) as refused:
        read_details("fr-fr", details("fr-fr", postcode=typed), TODAY)
    assert refused.value.problems == {"postcode": "postcode"}


@pytest.mark.parametrize("typed", ["19900517", "1990-W20-4", "1990-137", "１９９０-05-17"])
def test_a_birth_date_not_as_a_date_field_sends_it_is_refused(typed):
    with pytest.raises(DetailsRefused) as refused:
        read_details("fr-fr", details("fr-fr", birth_date=typed), TODAY)
    assert refused.value.problems == {"birth_date": "date"}
