"""Loads are atomic for the next load: killed anywhere, the next complete load cleans up.

A load is killed at each of its write requests in turn (and once with the deletes of a batch
handed back unprocessed, killed before the retry); then another file is loaded completely,
and the table must equal, item by item, a clean load of that file into an empty table.
"""

import contextlib
import json

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from chalicelib.catalog import keys
from chalicelib.catalog.importer.load import load
from chalicelib.kernel.markets import MARKETS
from tests.catalog.test_importer import catalog, record
from tests.conftest import REGION

MARKETS_SOLD = ("fr-fr", "ja-jp", "en-us")
WRITES = ("PutItem", "DeleteItem", "BatchWriteItem", "UpdateItem")


class Killed(BaseException):
    """The process died: nothing after this request reaches DynamoDB."""


class Killer:
    """Counts a table's write requests; dies at one of them, or loses one batch's deletes."""

    def __init__(self, table, kill_at=None, lose_deletes_at=None) -> None:
        self.table, self.kill_at, self.lose_deletes_at = table, kill_at, lose_deletes_at
        self.writes = 0
        self.dead = False
        self.lost = 0
        self.raw = boto3.client("dynamodb", region_name=REGION)  # no hooks: the real writes
        self.events = table.meta.client.meta.events
        self.events.register("before-call.dynamodb", self.before)

    def close(self) -> None:
        self.events.unregister("before-call.dynamodb", self.before)

    def before(self, model, params, **_):
        if model.name not in WRITES:
            return None
        self.writes += 1
        if self.dead or self.writes == self.kill_at:
            self.dead = True
            raise Killed(f"killed at write {self.writes} ({model.name})")
        if model.name == "BatchWriteItem" and self.writes == self.lose_deletes_at:
            requests = json.loads(params["body"])["RequestItems"][self.table.name]
            deletes = [r for r in requests if "DeleteRequest" in r]
            puts = [r for r in requests if "DeleteRequest" not in r]
            if deletes:
                if puts:
                    self.raw.batch_write_item(RequestItems={self.table.name: puts})
                self.lost = len(deletes)
                self.kill_at = self.writes + 1  # dies before the batch writer retries them
                response = AWSResponse("", 200, {}, None)
                return response, {"UnprocessedItems": {self.table.name: deletes}}
        return None


def sold_in_three(raw):
    raw["markets"] = {code: raw["markets"][code] for code in MARKETS_SOLD}
    return raw


def product(pid, grades=("good", "excellent"), price=34900, popularity=50):
    raw = sold_in_three(record(pid, price=price, popularity=popularity))
    for entry in raw["markets"].values():
        entry["offers"] = [o for o in entry["offers"] if o["grade"] in grades]
    return raw


FIRST = catalog(product("apple-iphone-11"), product("apple-iphone-12"))
KILLED = catalog(
    product("apple-iphone-11", grades=("good",), price=29900),
    product("apple-iphone-13"),
    product("google-pixel-7", popularity=90),
)
NEXT = catalog(product("apple-iphone-12", grades=("excellent",)), product("samsung-galaxy-s22"))


def items_of(table) -> dict[tuple[str, str], dict]:
    found, start = {}, {}
    while True:
        page = table.scan(ConsistentRead=True, **start)
        found.update({(i["PK"], i["SK"]): i for i in page["Items"]})
        if "LastEvaluatedKey" not in page:
            return found
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


@pytest.fixture(scope="module")
def clean(moto_dynamodb):
    """The table a clean load of NEXT gives, and how many writes a load of KILLED makes."""
    from chalicelib.catalog.importer.table import ensure_table

    table = moto_dynamodb.Table("atomic-clean")
    ensure_table(table)
    load(table, NEXT)
    counting = moto_dynamodb.Table("atomic-count")
    ensure_table(counting)
    load(counting, FIRST)
    killer = Killer(counting)
    load(counting, KILLED)
    killer.close()
    return items_of(table), killer.writes


def _after_a_killed_load(make_table, **killer_args):
    table = make_table()
    load(table, FIRST)
    killer = Killer(table, **killer_args)
    with contextlib.suppress(Killed):  # killed, or not: a batch without deletes goes through
        load(table, KILLED)
    killer.close()
    report = load(table, NEXT, break_lease=killer.dead)  # the operator breaks a dead load's lease
    assert not report.rejections
    return table, killer


def test_a_load_makes_enough_writes_to_be_killed_in_each_phase(clean):
    _, writes = clean
    assert writes >= 6  # journal, widened manifests, items, narrowed manifests, journal


def test_killed_at_any_write_the_next_load_equals_a_clean_load(make_table, clean):
    expected, writes = clean
    for kill_at in range(1, writes + 1):
        table, killer = _after_a_killed_load(make_table, kill_at=kill_at)
        assert killer.dead
        got = items_of(table)
        assert got.keys() == expected.keys(), (kill_at, got.keys() ^ expected.keys())
        for key, item in expected.items():
            assert got[key] == item, (kill_at, key)


def test_deletes_lost_before_their_retry_are_cleaned_by_the_next_load(make_table, clean):
    expected, writes = clean
    lost = 0
    for at in range(1, writes + 1):
        table, killer = _after_a_killed_load(make_table, lose_deletes_at=at)
        lost += killer.lost
        assert items_of(table) == expected, at
    assert lost > 0  # some batch of the killed load carried deletes, and they were lost


def test_a_killed_load_leaves_no_product_that_the_manifests_cannot_name(make_table, clean):
    _, writes = clean
    for kill_at in range(1, writes + 1):
        table = make_table()
        load(table, FIRST)
        killer = Killer(table, kill_at=kill_at)
        with pytest.raises(Killed):
            load(table, KILLED)
        killer.close()
        items = items_of(table)
        journal = items[(keys.LOAD_MANIFEST["PK"], keys.LOAD_MANIFEST["SK"])]
        known = set(journal.get("products", [])) | set(journal.get("pending", []))
        named = set()
        for pid in known:
            manifest = items.get(tuple(keys.manifest(pid).values()), {})
            named |= {tuple(k.split("\n", 1)) for k in manifest.get("keys", [])}
        for code in MARKETS:
            manifest = items.get(tuple(keys.market_load_manifest(code).values()), {})
            named |= {tuple(k.split("\n", 1)) for k in manifest.get("keys", [])}
        products = {pk for pk, _ in items if pk.startswith("P#")}
        assert all(any(pid in pk for pid in known) for pk in products), kill_at
        data = {k for k in items if not k[0].startswith("X#")}
        assert data <= named, (kill_at, data - named)
