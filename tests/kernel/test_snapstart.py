"""SnapStart's hooks, run as Lambda runs them: warm before the snapshot, refresh after restore."""

from __future__ import annotations

import contextlib
import json
import random
import sys

import pytest
import snapshot_restore_py
from chalice.test import Client

from chalicelib import snapstart
from chalicelib.admin.keys import table_definition
from chalicelib.composition import Services, create_app
from chalicelib.i18n import formatting
from chalicelib.kernel.markets import MARKETS
from tests.conftest import ROOT, RequestCounter, body

HEADLINE = "Best deals right now"
STAGES = {"eu": "fr-be", "us": "en-us", "ap": "ja-jp", "dev": "de-at"}


class Clock:
    """The time the app reads, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def registry(monkeypatch):
    """The runtime library's hook lists, emptied for this test."""
    monkeypatch.setattr(snapshot_restore_py, "_before_snapshot_registry", [])
    monkeypatch.setattr(snapshot_restore_py, "_after_restore_registry", [])
    return snapshot_restore_py


@pytest.fixture
def admin_table(moto_dynamodb, request):
    """An admin table of this test's own."""
    name = f"storefront-admin-snap-{abs(hash(request.node.name)) % 10**8}"
    return moto_dynamodb.create_table(**table_definition(name))


CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())


@contextlib.contextmanager
def function(stage, shop_table, admin_table, clock):
    """The deployed app of a stage over the test tables, with its hooks registered."""
    environment = {
        **CONFIG.get("environment_variables", {}),
        **CONFIG["stages"][stage].get("environment_variables", {}),
    }
    with pytest.MonkeyPatch.context() as patch:  # the hooks run outside any request
        for name, value in environment.items():
            patch.setenv(name, value)
        with _function(stage, shop_table, admin_table, clock) as running:
            yield running


@contextlib.contextmanager
def _function(stage, shop_table, admin_table, clock):
    services = Services(
        catalog_table=lambda: shop_table, admin_table=lambda: admin_table, clock=clock
    )
    with Client(create_app(services), stage_name=stage, project_dir=str(ROOT)) as http:
        assert snapstart.register(services)
        yield http, services


def before_snapshot():
    """What the runtime does before the snapshot: the hooks in reverse order of registration."""
    return [hook(*args, **kwargs) for hook, args, kwargs in reversed(
        snapshot_restore_py.get_before_snapshot()
    )]  # fmt: skip


def after_restore():
    """What the runtime does after each restore: the hooks in order of registration."""
    for hook, args, kwargs in snapshot_restore_py.get_after_restore():
        hook(*args, **kwargs)


@pytest.mark.parametrize("stage", list(STAGES))
def test_the_snapshot_holds_everything_warm_and_no_aws_answer(
    stage, registry, shop_table, admin_table
):
    formatting.babel_locale.cache_clear()
    catalog_calls, admin_calls = RequestCounter(shop_table), RequestCounter(admin_table)
    with function(stage, shop_table, admin_table, Clock()) as (http, services):
        (warmed,) = before_snapshot()
        served = {c for c, m in MARKETS.items() if stage == "dev" or m.stage == stage}
        assert set(warmed.markets) == served
        assert warmed.templates >= 38
        assert "chalicelib.storefront.pages" in warmed.modules
        assert ("chalicelib.tradein.pages" in warmed.modules) == any(
            MARKETS[c].trade_in for c in served
        )
        assert "chalicelib.catalog.importer.load" not in warmed.modules
        # Nothing read before the snapshot would still be true when a copy resumes.
        assert catalog_calls.calls == [] and admin_calls.calls == []
        after_restore()
        code = STAGES[stage]
        page = http.http.get(f"/{code}/p/apple-iphone-13?grade=good")
    assert page.status_code == 200, body(page)[:500]
    assert f'<html lang="{MARKETS[code].html_lang}">' in body(page)
    # That the first page after a restore imports nothing new is checked in a bare Python over
    # the unpacked zip (tests/tools/test_package.py): this process has imported it all already.


def test_each_restored_copy_draws_its_own_random_numbers(registry, shop_table, admin_table):
    with function("eu", shop_table, admin_table, Clock()):
        before_snapshot()
        snapshot = random.getstate()  # the memory every restored copy starts from

        def copy_draws(restore: bool) -> list[float]:
            draws = []
            for _ in range(2):  # two copies of the snapshot (a fork would reseed by itself)
                random.setstate(snapshot)
                if restore:
                    after_restore()
                draws.append(random.random())
            return draws

        shared = copy_draws(restore=False)
        own = copy_draws(restore=True)
    assert shared[0] == shared[1]  # without the hook, two copies jitter their retries alike
    assert own[0] != own[1]


def test_a_restore_reads_the_current_wording_at_once(registry, shop_table, admin_table):
    clock = Clock()
    with function("eu", shop_table, admin_table, clock) as (http, services):
        before_snapshot()
        assert "Affaires du jour" not in body(http.http.get("/fr-be/"))  # read before publishing
        admin_table.put_item(
            Item={
                "PK": "PUBLISHED",
                "SK": "fr-be",
                "version": 1,
                "messages": {HEADLINE: ["Affaires du jour"]},
            }
        )
        after_restore()  # the copy resumes at once: the 30 s window has not run out
        home = http.http.get("/fr-be/")
    assert home.status_code == 200
    assert "Affaires du jour" in body(home)


def test_without_the_runtime_library_nothing_registers(monkeypatch):
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)
    assert snapstart.register(Services()) is False
