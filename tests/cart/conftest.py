"""A shop with a few products in every market, and shoppers who keep their cookies."""

from __future__ import annotations

import copy
import html
import re
import threading

import pytest

from chalicelib.cart.pages import CART_COOKIE
from tests.browsing import Browser
from tests.conftest import body, loaded_table, stage_client

ORIGIN = "https://shop.test"
CART_PRODUCTS = ("apple-iphone-13", "samsung-galaxy-s23", "sony-playstation-5")
# One product of every other category too: every page type exists in this shop.
OTHER_CATEGORIES = (
    "apple-macbook-air-m1-2020", "apple-ipad-9th-gen", "apple-watch-se-2nd-gen",
    "apple-airpods-pro-2nd-gen",
)  # fmt: skip
OFFER_FORM = re.compile(r'<form class="add" method="post" action="([^"]+)">(.*?)</form>', re.S)
FIELD = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
LINE = re.compile(r'name="line" value="([^"]+)"')


def cart_lines(page: str) -> list[str]:
    """The keys of the offers a cart page lists, in order (each line has two forms)."""
    return list(dict.fromkeys(html.unescape(key) for key in LINE.findall(page)))


@pytest.fixture
def atomic_writes(monkeypatch):
    """moto's writes made atomic per call, as DynamoDB's conditional writes are.

    moto checks a write's condition and then stores the item without a lock, so two threads
    can both pass ``version = 3``: a race DynamoDB does not have. Holding one lock around each
    write keeps the threads truly parallel everywhere else (routing, reads, rendering) and
    leaves the retries on conflict to our code.
    """
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    for name in ("put_item", "update_item", "delete_item", "transact_write_items"):
        original = getattr(DynamoDBBackend, name)

        def locked(self, *args, _original=original, **kwargs):
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


@pytest.fixture(autouse=True)
def _public_origin(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", ORIGIN)


@pytest.fixture(scope="session")
def cart_catalog(demo_catalog) -> dict:
    catalog = copy.deepcopy(demo_catalog)
    catalog["products"] = [
        p for p in catalog["products"] if p["id"] in CART_PRODUCTS + OTHER_CATEGORIES
    ]
    return catalog


@pytest.fixture(scope="session")
def cart_table(moto_dynamodb, cart_catalog):
    """One table for every cart test: each shopper's cart is its own item; none changes offers."""
    return loaded_table(moto_dynamodb, "storefront-carts", cart_catalog)


@pytest.fixture(scope="session")
def http(cart_table):
    with stage_client(cart_table) as client:
        yield client


class Shopper(Browser):
    """A shopper's browser: reads the offers a product page lets them choose, and the cart."""

    def offers(self, market: str, product: str, **query) -> list[tuple[str, dict]]:
        """The add-to-cart forms of a product page: where each posts and its fields."""
        page = body(self.get(f"/{market}/p/{product}", **query))
        return [
            (html.unescape(action), {k: html.unescape(v) for k, v in FIELD.findall(inner)})
            for action, inner in OFFER_FORM.findall(page)
        ]

    def add(self, market: str, product: str, which: int = 0, **query):
        """Press the add button of one offer of a product page."""
        action, fields = self.offers(market, product, **query)[which]
        return self.post(action, fields, csrf=False)

    def cart(self, market: str) -> str:
        """The cart page's text."""
        return body(self.get(f"/{market}/cart"))

    @property
    def cart_id(self) -> str | None:
        return self.jar.get(CART_COOKIE)


@pytest.fixture
def shopper(http) -> Shopper:
    return Shopper(http, ORIGIN)
