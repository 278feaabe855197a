"""Several products in one request: what a cart page reads of the catalog."""

import io
import json

import pytest
from botocore.awsrequest import AWSResponse

from chalicelib.catalog.repository import BATCH_GET, CatalogRepository, CatalogUnavailable
from chalicelib.kernel.markets import MARKETS
from tests.conftest import RequestCounter
from tests.dynamodb_faults import answer_with


@pytest.fixture
def counted(shop_table):
    """The repository over the shop table, and the DynamoDB operations it calls."""
    counter = RequestCounter(shop_table)
    yield CatalogRepository(shop_table), counter.calls
    counter.close()


@pytest.fixture(scope="module")
def ids(shop_catalog):
    return [p["id"] for p in shop_catalog["products"]]


@pytest.mark.parametrize("code", list(MARKETS))
def test_every_product_of_a_market_in_one_request(counted, ids, code):
    repo, calls = counted
    found = repo.products(code, ids)
    assert calls == ["BatchGetItem"]
    assert list(found) == ids  # in the order asked
    for pid, product in found.items():
        assert product == repo.product(code, pid)
        assert product.offers[0].price.currency == MARKETS[code].currency


def test_absent_and_repeated_ids_cost_nothing_more(counted, ids):
    repo, calls = counted
    wanted = [ids[0], "no-such-product", ids[1], ids[0], "apple-iphone-1"]
    found = repo.products("fr-fr", wanted)
    assert calls == ["BatchGetItem"]
    assert list(found) == [ids[0], ids[1]]


def test_a_hundred_distinct_ids_are_one_request_and_more_are_another(counted, ids):
    repo, calls = counted
    missing = [f"product-{n}" for n in range(BATCH_GET - len(ids))]
    assert len(repo.products("de-de", ids + missing)) == len(ids)
    assert calls == ["BatchGetItem"]
    calls.clear()
    assert len(repo.products("de-de", ids + missing + ["one-more"])) == len(ids)
    assert calls == ["BatchGetItem", "BatchGetItem"]


def test_no_ids_no_request(counted):
    repo, calls = counted
    assert repo.products("fr-fr", []) == {}
    assert calls == []


def test_the_batch_reuses_the_product_page_s_parse(counted, ids):
    repo, _ = counted
    first = repo.product("it-it", ids[2])
    assert repo.products("it-it", [ids[2]])[ids[2]] is first
    assert repo.products("it-it", [ids[2]])[ids[2]] is first


def test_another_market_s_products_are_its_own(counted, ids):
    repo, _ = counted
    france, japan = repo.products("fr-fr", ids[:3]), repo.products("ja-jp", ids[:3])
    for pid in ids[:3]:
        assert france[pid].offers[0].price.currency == "EUR"
        assert japan[pid].offers[0].price.currency == "JPY"
        assert france[pid].description != japan[pid].description


class Unprocessed:
    """Answers the first ``times`` BatchGetItem calls with every key handed back unprocessed."""

    def __init__(self, table, times: int) -> None:
        self.table, self.left = table, times
        self.events = table.meta.client.meta.events
        self.events.register("before-send.dynamodb.BatchGetItem", self.answer)

    def answer(self, request, **_):
        if self.left == 0:
            return None
        self.left -= 1
        asked = json.loads(request.body)["RequestItems"]
        body = json.dumps({"Responses": {name: [] for name in asked}, "UnprocessedKeys": asked})
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, 200, headers, _Body(body.encode()))

    def close(self) -> None:
        self.events.unregister("before-send.dynamodb.BatchGetItem", self.answer)


class _Body(io.BytesIO):
    def stream(self, **_):
        yield self.getvalue()


@pytest.mark.parametrize("throttled", [1, 2])
def test_unprocessed_keys_are_asked_again(shop_table, counted, ids, throttled):
    repo, calls = counted
    fault = Unprocessed(shop_table, throttled)
    try:
        found = repo.products("en-au", ids)
    finally:
        fault.close()
    assert list(found) == ids
    assert calls == ["BatchGetItem"] * (throttled + 1)


def test_keys_still_unprocessed_are_the_unavailable_page_not_a_missing_product(
    shop_table, counted, ids
):
    repo, calls = counted
    fault = Unprocessed(shop_table, 3)
    try:
        with pytest.raises(CatalogUnavailable) as caught:
            repo.products("en-au", ids)
    finally:
        fault.close()
    assert caught.value.code == "ProvisionedThroughputExceededException"
    assert calls == ["BatchGetItem"] * 3


def test_a_failed_batch_is_catalog_unavailable(shop_table, counted, ids):
    repo, _ = counted
    with (
        answer_with(shop_table, "AccessDeniedException"),
        pytest.raises(CatalogUnavailable) as caught,
    ):
        repo.products("fr-fr", ids)
    assert caught.value.code == "AccessDeniedException"
