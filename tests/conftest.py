"""Shared fixtures: moto-backed tables loaded with (part of) the demo catalog, and a client."""

from __future__ import annotations

import contextlib
import copy
import json
import os
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from chalicelib.catalog import keys
from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.table import ensure_table
from chalicelib.composition import Services, create_app
from chalicelib.kernel.settings import TRADEIN_KEY_ALIAS
from tests import moto_speed
from tools import local_gateway

# chalice.test.Client routes greedy {proxy+} paths as API Gateway does (tools/local_gateway.py).
local_gateway.install()
moto_speed.install()  # the same answers, sorted by value (tests/moto_speed.py)

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOG = ROOT / "data" / "demo-catalog.json"
REGION = "eu-west-3"


@pytest.fixture(scope="session", autouse=True)
def _aws_credentials():
    """Fake credentials so that nothing can reach a real AWS account."""
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION
    )
    os.environ.pop("AWS_PROFILE", None)
    yield
    for k, v in saved.items():
        if v is not None:
            os.environ[k] = v


@pytest.fixture(scope="session")
def moto_dynamodb(_aws_credentials):
    """One in-process moto for the whole session; each fixture makes its own tables."""
    with mock_aws():
        yield boto3.resource("dynamodb", region_name=REGION)


@pytest.fixture(scope="session")
def tradein_key(moto_dynamodb):
    """The stage's trade-in key in moto's KMS, under the alias the settings name."""
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(Description="trade-in (tests)")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=TRADEIN_KEY_ALIAS, TargetKeyId=key)
    return key


TRADEIN_PRODUCTS = ("apple-iphone-13", "samsung-galaxy-s23")


@pytest.fixture(scope="session")
def tradein_catalog(demo_catalog) -> dict:
    """Two phones (one per lock kind) and every buy-back grid of the demo."""
    catalog = copy.deepcopy(demo_catalog)
    catalog["products"] = [p for p in catalog["products"] if p["id"] in TRADEIN_PRODUCTS]
    return catalog


@pytest.fixture(scope="session")
def tradein_table(moto_dynamodb, tradein_catalog):
    """A table with the trade-in shop, shared by the trade-in tests (each quote is its own item)."""
    return loaded_table(moto_dynamodb, "storefront-tradein", tradein_catalog, grids=True)


_table_count = 0


@pytest.fixture
def make_table(moto_dynamodb):
    """Create an empty storefront table with a fresh name."""

    def make():
        global _table_count
        _table_count += 1
        table = moto_dynamodb.Table(f"storefront-test-{_table_count}")
        ensure_table(table)
        return table

    return make


@pytest.fixture(scope="session")
def demo_catalog() -> dict:
    """The demo catalog as committed."""
    return json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shop_catalog(demo_catalog) -> dict:
    """The three most popular products of each category: every page type, a quicker table."""
    by_category: dict[str, list] = {}
    for product in sorted(demo_catalog["products"], key=lambda p: -p["popularity"]):
        by_category.setdefault(product["category"], []).append(product)
    subset = copy.deepcopy(demo_catalog)
    subset["products"] = [p for products in by_category.values() for p in products[:3]]
    return subset


def loaded_table(dynamodb, name: str, catalog: dict, grids: bool = False):
    """A new table of this name, loaded with a catalog that the loader takes whole.

    The buy-back grids (199 items) are left out unless asked for: only trade-in reads them.
    """
    table = dynamodb.Table(name)
    ensure_table(table)
    if not grids:
        catalog = {**catalog, "buyback": [], "buyback_devices": []}
    report = load(table, catalog)
    assert not report.rejections, [str(r) for r in report.rejections]
    return table


@pytest.fixture(scope="session")
def shop_table(moto_dynamodb, shop_catalog):
    """A table loaded with the shop catalog, shared by the page tests (they only read)."""
    return loaded_table(moto_dynamodb, "storefront-shop", shop_catalog)


def empty_admin_table():
    """An admin table with nothing published: the shipped catalogs alone."""
    from chalicelib.admin.keys import table_definition

    dynamodb = boto3.resource("dynamodb", region_name=REGION)
    name = "storefront-admin-empty"
    if name not in [t.name for t in dynamodb.tables.all()]:
        dynamodb.create_table(**table_definition(name))
    return dynamodb.Table(name)


def app_over(table, **services):
    """The app, composed as app.py does, over this table (and any other service given)."""
    if "admin_table" not in services and "translations" not in services:
        admin = empty_admin_table()
        services["admin_table"] = lambda: admin
    return create_app(Services(catalog_table=lambda: table, **services))


@contextlib.contextmanager
def stage_client(table, stage: str = "dev", **services):
    """A Chalice test client of a stage (its environment) whose requests read this table."""
    from chalice.test import Client

    with Client(app_over(table, **services), stage_name=stage, project_dir=str(ROOT)) as http:
        yield http


@pytest.fixture
def client(shop_table):
    """A Chalice test client of the dev stage, reading the shop table."""
    with stage_client(shop_table) as test_client:
        yield test_client


class RequestCounter:
    """Counts the DynamoDB API calls a client makes, through botocore's event hooks."""

    def __init__(self, table) -> None:
        self.calls: list[str] = []
        self._events = table.meta.client.meta.events
        self._events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_):
        self.calls.append(model.name)

    def close(self) -> None:
        self._events.unregister("before-call.dynamodb", self._count)


@pytest.fixture
def dynamodb_calls(shop_table):
    """The DynamoDB calls made during a test."""
    counter = RequestCounter(shop_table)
    yield counter.calls
    counter.close()


def body(response) -> str:
    """A response body as text."""
    return response.body.decode("utf-8") if isinstance(response.body, bytes) else response.body


__all__ = ["body", "keys", "RequestCounter"]
