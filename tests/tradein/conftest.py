"""A shop with buy-back grids, a trade-in KMS key, and sellers who keep their cookies."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from tests.browsing import Browser
from tests.conftest import body, stage_client

ORIGIN = "https://shop.test"
OPEN = ("fr-fr", "de-de", "es-es", "en-gb", "en-us")

RADIO = re.compile(r'<input type="radio" name="([a-z_]+)" value="([^"]+)"')
# Details each market accepts: real-shaped, checksummed test accounts and addresses.
VALID = {
    "fr-fr": {"iban": "FR14 2004 1010 0505 0001 3M02 606", "postcode": "75002", "city": "Paris",
              "id_kind": "identity_card", "id_number": "X4RTBPFW4", "id_issued": "2019-03-04",
              "id_authority": "Préfecture de police de Paris"},
    "de-de": {"iban": "DE89 3704 0044 0532 0130 00", "postcode": "10115", "city": "Berlin"},
    "es-es": {"iban": "ES91 2100 0418 4502 0005 1332", "postcode": "28013", "city": "Madrid"},
    "en-gb": {"iban": "GB82 WEST 1234 5698 7654 32", "postcode": "SW1A 1AA", "city": "London"},
    "en-us": {"routing": "011000015", "account": "123456789", "state": "CA", "postcode": "94103",
              "city": "San Francisco"},
}  # fmt: skip
PERSON = {"given_name": "Camille", "family_name": "Durand-Öztürk", "email": "camille@example.org",
          "birth_date": "1990-05-17", "street": "12 Harbour Street", "owner": "yes",
          "unlocked": "yes", "erased": "yes"}  # fmt: skip


def details(market: str, **changes: str) -> dict[str, str]:
    """A valid acceptance form of the market, with some fields changed."""
    return {**PERSON, **VALID[market], **changes}


@pytest.fixture(autouse=True)
def _public_origin(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", ORIGIN)


@pytest.fixture(scope="session")
def http(tradein_table, tradein_key):
    with stage_client(tradein_table) as client:
        yield client


def best_price(catalog: dict, market: str, device: str, storage, tier: str) -> tuple[int, str]:
    """The highest price any grid of the catalog file pays, and who: at a tie, the better rated."""
    sellers = {r["id"]: r for r in catalog["refurbishers"]}
    prices = [
        (row[tier], sellers[grid["refurbisher"]]["rating"], sellers[grid["refurbisher"]]["name"])
        for grid in catalog["buyback"]
        if grid["market"] == market
        for row in grid["prices"]
        if row["device"] == device and row["storage_gb"] == storage and row.get(tier)
    ]
    amount, _, name = max(prices)
    return amount, name


class Seller(Browser):
    """A shopper selling a device: reads the questions a device page asks and answers them."""

    def answers(self, market: str, device: str) -> dict[str, str]:
        """The first answer of every question (the device in perfect shape) and the first size."""
        page = body(self.get(f"/{market}/trade-in/d/{device}"))
        assert self.last.status_code == 200, page[:300]
        chosen: dict[str, str] = {}
        for name, value in RADIO.findall(page):
            chosen.setdefault(name, html.unescape(value))
        return chosen

    def quote(self, market: str, device: str, **changes: str) -> str:
        """Describe the device (perfect, but for ``changes``); the reference of its quote."""
        fields = {"device": device, **self.answers(market, device), **changes}
        response = self.post(f"/{market}/trade-in/quote", fields)
        assert response.status_code == 303, body(response)[:500]
        path = urlsplit(response.headers["Location"]).path
        assert path.startswith(f"/{market}/trade-in/q/")
        return path.rsplit("/", 1)[1]

    def accept(self, market: str, reference: str, form: dict[str, str]):
        """Open the acceptance form and send it."""
        page = self.get(f"/{market}/trade-in/q/{reference}/accept")
        assert page.status_code == 200
        return self.post(f"/{market}/trade-in/q/{reference}/accept", form)

    def status(self, market: str, reference: str) -> str:
        """The trade-in's page, as text."""
        return html.unescape(body(self.get(f"/{market}/trade-in/q/{reference}")))


@pytest.fixture
def seller(http) -> Seller:
    return Seller(http, ORIGIN)
