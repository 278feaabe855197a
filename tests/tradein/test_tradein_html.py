"""Every trade-in page, in every state and with its errors, is valid HTML (Nu Html Checker)."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import body
from tests.storefront.test_html_valid import _checker
from tests.tradein.conftest import details
from tools import tradein as tool


def test_trade_in_pages_are_valid_html(seller, tradein_table, tmp_path):
    pages: dict[str, str] = {}

    def keep(name: str, response) -> None:
        pages[name] = body(response)

    keep("start", seller.get("/fr-fr/trade-in"))
    keep("device", seller.get("/fr-fr/trade-in/d/apple-iphone-13"))
    keep("unanswered", seller.post("/fr-fr/trade-in/quote", {"device": "apple-iphone-13"}))
    locked = seller.quote("en-us", "samsung-galaxy-s23", q_google_account="no")
    keep("declined", seller.get(f"/en-us/trade-in/q/{locked}"))
    reference = seller.quote("fr-fr", "apple-iphone-13")
    keep("quote", seller.get(f"/fr-fr/trade-in/q/{reference}"))
    keep("accept", seller.get(f"/fr-fr/trade-in/q/{reference}/accept"))
    wrong = details("fr-fr", iban="FR00", birth_date="2020-01-01", owner="")
    keep("refused", seller.post(f"/fr-fr/trade-in/q/{reference}/accept", wrong))
    seller.accept("fr-fr", reference, details("fr-fr"))
    for state in (["received"], ["countered", "--price", "100", "--reason", "liquid"]):
        args = tool.parser().parse_args(["--table", "t", reference, "fr-fr", *state])
        assert tool.run(args, table=tradein_table) == 0
    keep("countered", seller.get(f"/fr-fr/trade-in/q/{reference}"))
    us = seller.quote("en-us", "apple-iphone-13")
    keep("accept-us", seller.get(f"/en-us/trade-in/q/{us}/accept"))
    keep("cart-credit", seller.get("/fr-fr/cart"))
    files = []
    for name, page in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(page, encoding="utf-8")
    command = _checker() + ["--errors-only", "--format", "json", *map(str, files)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    found = [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert not found, "\n".join(found)
