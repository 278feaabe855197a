"""Trade-in opens where the registry says, and nowhere else: no page, no link."""

from __future__ import annotations

import pytest

from chalicelib.kernel.markets import MARKETS
from tests.conftest import body
from tests.tradein.conftest import OPEN

CLOSED = [code for code in MARKETS if code not in OPEN]
PATHS = ("trade-in", "trade-in/", "trade-in/d/apple-iphone-13", "trade-in/q/" + "A" * 24,
         "trade-in/q/" + "A" * 24 + "/accept", "trade-in/anything/else")  # fmt: skip


def test_the_registry_opens_trade_in_in_five_markets():
    assert sorted(code for code, m in MARKETS.items() if m.trade_in) == sorted(OPEN)


@pytest.mark.parametrize("market", CLOSED)
def test_every_trade_in_address_of_a_closed_market_is_its_404(market, seller):
    for path in PATHS:
        response = seller.get(f"/{market}/{path}")
        assert response.status_code == 404, path
        assert f'lang="{MARKETS[market].html_lang}"' in body(response)
        assert "/trade-in" not in body(response).split("<main", 1)[1].split("</main>")[0]
    for path in ("trade-in/quote", "trade-in/q/" + "A" * 24 + "/accept"):
        assert seller.post(f"/{market}/{path}", {"device": "apple-iphone-13"}).status_code == 404


@pytest.mark.parametrize("market", list(MARKETS))
def test_home_and_product_pages_link_to_trade_in_only_where_it_is_open(market, seller):
    for path in ("", "p/apple-iphone-13"):
        page = body(seller.get(f"/{market}/{path}"))
        assert (f'href="/{market}/trade-in"' in page) is (market in OPEN), path
    # The market switcher of a trade-in page never leads into a closed market's trade-in.
    page = body(seller.get("/fr-fr/trade-in"))
    for code in CLOSED:
        assert f'href="/{code}/trade-in' not in page
