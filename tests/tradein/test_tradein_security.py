"""Trade-in refuses what did not come from its own pages, trusts no price, and loses nothing."""

from __future__ import annotations

import html

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.tradein.collect import MESSAGES
from chalicelib.tradein.model import digest
from chalicelib.tradein.repository import tradein_key
from tests.conftest import body
from tests.dynamodb_faults import translated
from tests.tradein.conftest import OPEN, Seller, details

DEVICE = "apple-iphone-13"


def stored(table, reference: str, market: str) -> dict | None:
    return table.get_item(Key=tradein_key(digest(reference), market)).get("Item")


def test_forms_from_elsewhere_are_refused(seller, http, tradein_table):
    fields = {"device": DEVICE, **seller.answers("de-de", DEVICE)}
    assert seller.post("/de-de/trade-in/quote", fields, csrf=False).status_code == 403
    foreign = {"Origin": "https://evil.test"}
    assert seller.post("/de-de/trade-in/quote", fields, headers=foreign).status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert seller.post("/de-de/trade-in/quote", fields, headers=cross).status_code == 403
    reference = seller.quote("de-de", DEVICE)
    other = Seller(http, seller.origin)  # another browser, with its own token
    other.get(f"/de-de/trade-in/q/{reference}")
    token = seller.csrf()
    response = other.post(f"/de-de/trade-in/q/{reference}/accept", details("de-de"), csrf=token)
    assert response.status_code == 403
    assert stored(tradein_table, reference, "de-de")["status"] == "quoted"


def test_a_reference_is_found_only_in_its_own_market(seller):
    reference = seller.quote("fr-fr", DEVICE)
    assert seller.get(f"/fr-fr/trade-in/q/{reference}").status_code == 200
    for market in ("de-de", "en-gb", "en-us"):
        assert seller.get(f"/{market}/trade-in/q/{reference}").status_code == 404
    for forged in ("A" * 24, reference[:-1] + ("A" if reference[-1] != "A" else "B"), "x"):
        assert seller.get(f"/fr-fr/trade-in/q/{forged}").status_code == 404


def test_no_price_comes_from_the_browser(seller, tradein_table):
    fields = {"device": DEVICE, **seller.answers("es-es", DEVICE), "price": "99999999"}
    response = seller.post("/es-es/trade-in/quote", fields)
    reference = response.headers["Location"].rsplit("/", 1)[1]
    offer = stored(tradein_table, reference, "es-es")["offer"]
    assert "99999999" not in offer


@pytest.mark.parametrize("market", OPEN)
def test_an_unanswered_question_is_asked_again_with_the_answers_kept(market, seller):
    fields = {"device": DEVICE, **seller.answers(market, DEVICE)}
    fields.pop("q_water")
    fields["q_screen"] = "deep"
    response = seller.post(f"/{market}/trade-in/quote", fields)
    page = html.unescape(body(response))
    assert response.status_code == 400
    assert translated(market, "Please choose an answer.") in page
    assert 'name="q_screen" value="deep" required checked' in page


@pytest.mark.parametrize("market", OPEN)
def test_wrong_details_are_refused_in_the_shoppers_language_and_nothing_is_saved(
    market, seller, tradein_table
):
    reference = seller.quote(market, DEVICE)
    wrong = {"birth_date": "2015-01-01", "email": "not-an-address", "erased": ""}
    if market == "en-us":
        wrong |= {"routing": "011000016", "state": "AL"}
    else:
        iban = details(market)["iban"]
        wrong["iban"] = iban[:-1] + ("1" if iban[-1] != "1" else "2")  # one digit off
    response = seller.accept(market, reference, details(market, **wrong))
    page = html.unescape(body(response))
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "private, no-store"
    account = "routing_checksum" if market == "en-us" else "iban_checksum"
    expected = [MESSAGES["email"], MESSAGES["declaration"], MESSAGES[account]]
    for message in expected:
        assert translated(market, message) in page, message
    assert translated(market, MESSAGES["minor"]).split("%(age)s")[0] in page
    assert details(market)["city"] in page  # what was typed is kept...
    item = stored(tradein_table, reference, market)
    assert item["status"] == "quoted" and "identity" not in item and "payout" not in item
    typed = (wrong.get("iban") or wrong["routing"]).replace(" ", "")
    assert typed not in page.replace(" ", "")  # ...but never an account number


def test_every_trade_in_answer_is_private(seller):
    reference = seller.quote("en-us", DEVICE)
    for path in ("", "/d/" + DEVICE, f"/q/{reference}", f"/q/{reference}/accept", "/nothing"):
        response = seller.get(f"/en-us/trade-in{path}")
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert '<meta name="robots" content="noindex">' in body(response) or path == "/nothing"
        assert MARKETS["en-us"].html_lang in body(response)


def test_without_a_sealing_key_an_acceptance_is_the_503_page_and_nothing_is_kept(
    seller, tradein_table, monkeypatch, caplog
):
    reference = seller.quote("es-es", DEVICE)
    seller.get(f"/es-es/trade-in/q/{reference}/accept")
    monkeypatch.setenv("TRADEIN_KMS_KEY", "alias/no-such-key")
    form = details("es-es")
    response = seller.post(f"/es-es/trade-in/q/{reference}/accept", form)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Traceback" not in body(response)
    item = stored(tradein_table, reference, "es-es")
    assert item["status"] == "quoted" and "identity" not in item
    assert "trade-in details could not be sealed" in caplog.text
    assert form["iban"].replace(" ", "") not in caplog.text.replace(" ", "")
