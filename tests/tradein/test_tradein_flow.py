"""A shopper sells a device in each trade-in market, end to end through HTTP."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from chalicelib.catalog.delivery import today_in
from chalicelib.i18n.formatting import Formatter
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money
from chalicelib.tradein import terms
from chalicelib.tradein.model import digest
from chalicelib.tradein.repository import tradein_key
from tests.conftest import body
from tests.dynamodb_faults import translated
from tests.tradein.conftest import OPEN, best_price, details
from tools import tradein as tool

DEVICE = "apple-iphone-13"


def move(table, reference: str, market: str, *argv: str) -> int:
    """The operators' command, as a refurbisher's check would run it."""
    return tool.run(tool.parser().parse_args(["--table", table.name, reference, market, *argv]),
                    table=table)  # fmt: skip


def said(market: str, message: str, **values) -> str:
    return translated(market, message) % values if values else translated(market, message)


@pytest.mark.parametrize("market", OPEN)
def test_a_shopper_sells_a_device_and_follows_it_through_a_counter_offer(
    market, seller, tradein_table, tradein_catalog
):
    code = MARKETS[market]
    fmt = Formatter(code)
    answers = seller.answers(market, DEVICE)
    storage = int(answers["storage"])
    amount, partner = best_price(tradein_catalog, market, DEVICE, storage, "flawless")
    reference = seller.quote(market, DEVICE)

    quote = seller.status(market, reference)
    assert seller.last.headers["Cache-Control"] == "private, no-store"
    assert fmt.price(Money(amount, code.currency)) in quote and partner in quote
    today = today_in(code)  # where the market's shoppers are (Paris is past midnight first)
    valid_until = today + dt.timedelta(days=terms.QUOTE_DAYS)
    assert said(market, "Valid until %(day)s.", day=fmt.date(valid_until)) in quote

    accepted = seller.accept(market, reference, details(market))
    assert accepted.status_code == 303, body(accepted)[:800]
    page = seller.status(market, reference)
    ship_by = today + dt.timedelta(days=terms.TERMS[market].ship_days)
    assert said(market, "Send it by %(day)s.", day=fmt.date(ship_by)) in page
    account = details(market).get("iban") or details(market)["account"]
    assert f"•••• {account.replace(' ', '')[-4:]}" in page
    cart = html.unescape(body(seller.get(f"/{market}/cart")))
    assert said(market, "Trade-in credit expected") in cart
    assert fmt.price(Money(amount, code.currency)) in cart

    assert move(tradein_table, reference, market, "received") == 0
    lower = amount * 3 // 4
    reasons = ["--reason", "screen_worse", "--reason", "battery_low"]
    assert move(tradein_table, reference, market, "countered", "--price", str(lower), *reasons) == 0
    page = seller.status(market, reference)
    assert said(market, "The screen has more wear than described.") in page
    battery = said(market, "The battery health is below %(percent)s.", percent=fmt.percent(0.8))
    assert battery in page and fmt.price(Money(lower, code.currency)) in page

    refused = seller.post(f"/{market}/trade-in/q/{reference}/counter", {"decision": "refuse"})
    assert refused.status_code == 303
    page = seller.status(market, reference)
    assert said(market, "Your device is on its way back to you, free of charge.") in page
    assert said(market, "Trade-in credit expected") not in html.unescape(
        body(seller.get(f"/{market}/cart"))
    )
    assert move(tradein_table, reference, market, "paid") == 1  # refused: nothing to pay
    assert move(tradein_table, reference, market, "returned") == 0
    item = tradein_table.get_item(Key=tradein_key(digest(reference), market))["Item"]
    assert item["status"] == "returned" and "payout" not in item
    assert [h["s"] for h in item["history"]] == [
        "quoted", "accepted", "received", "countered", "counter_refused", "returned"
    ]  # fmt: skip


@pytest.mark.parametrize("market", OPEN)
def test_a_locked_device_gets_an_honest_answer_and_no_offer(market, seller):
    # A Samsung: its lock is the Google account's (an iPhone's is Find My).
    reference = seller.quote(market, "samsung-galaxy-s23", q_google_account="no")
    page = seller.status(market, reference)
    assert said(market, "No partner can buy this device as it is") in page
    assert translated(market, "Accept this offer") not in page
    assert seller.get(f"/{market}/trade-in/q/{reference}/accept").status_code == 303
