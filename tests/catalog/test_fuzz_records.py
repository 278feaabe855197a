"""Fuzzed records: whatever a catalog file holds, validation refuses it or DynamoDB takes it.

Each round puts a hostile value at a random place of a valid record. The record must either be
rejected with a field's path, or become items that DynamoDB accepts: keys within 2,048 and
1,024 bytes, numbers within 38 digits, items within 400 KB, text without control characters.
"""

import copy
import random
from decimal import Decimal

import pytest

from chalicelib.catalog import limits
from chalicelib.catalog.importer.items import plan
from tests.catalog.test_atomic_load import product
from tests.catalog.test_importer import catalog

ROUNDS = 400
HOSTILE = [
    None,
    True,
    [],
    {},
    "",
    " ",
    0,
    -1,
    10**40,
    2**63,
    1e400,
    float("nan"),
    -0.0,
    3.5,
    "x" * 5000,
    "\u202eevil",
    "a\u200bb",
    "bell\x07",
    "lone \ud800",
    "<script>alert(1)</script>",
    "日本語のテキスト" * 40,
    [[[[]]]],
    {"en": None},
    {"en": "x" * 300},
    ["black", "black"],
    "B" * 65,
]


def _places(value, path=()):
    """Every path to a value inside a record."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _places(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _places(inner, (*path, index))


def _put(record, path, value):
    target = record
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _number_ok(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return True
    digits = len(str(abs(int(value)))) if isinstance(value, int) else len(value.as_tuple().digits)
    return digits <= 38


def _check_item(item: dict) -> None:
    assert len(item["PK"].encode()) <= 2048 and len(item["SK"].encode()) <= 1024
    assert limits.item_size(item) <= limits.MAX_ITEM_BYTES
    stack = [item]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack += list(value.values())
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, str):
            value.encode("utf-8")  # no lone surrogate
            assert limits.text_problem(value[:10_000], "description", multiline=True) in (
                None,
                f"has {len(value):,} characters; at most 10,000",
            ), repr(value[:80])
        else:
            assert _number_ok(value), value


@pytest.mark.parametrize("seed", range(4))
def test_a_fuzzed_record_is_refused_or_storable(seed):
    rng = random.Random(seed)
    base = product("apple-iphone-13")
    places = [p for p in _places(base) if p]
    for _ in range(ROUNDS // 4):
        fuzzed = catalog(base)
        record = fuzzed["products"][0] = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            _put(record, rng.choice([p for p in _places(record) if p]), rng.choice(HOSTILE))
        per_product, shared, rejections = plan(fuzzed)
        if rejections:
            assert all(r.errors and r.errors[0].path for r in rejections)
            assert not per_product
            continue
        for items in per_product.values():
            for item in items:
                _check_item(item)
        for item in shared:
            _check_item(item)
    assert places


@pytest.mark.parametrize(
    "header",
    [
        {"schema": 1, "refurbishers": [{"id": "a", "stages": [{}]}], "co2e": {}, "products": []},
        {"schema": 1, "refurbishers": "many", "co2e": {}, "products": []},
        {"schema": 1, "refurbishers": [], "co2e": [], "products": []},
        [],
        "catalog",
    ],
)
def test_a_malformed_header_is_a_record_error_not_a_crash(header):
    from chalicelib.catalog.importer.validation import RecordError, validate_catalog

    with pytest.raises(RecordError):
        validate_catalog(header)


def test_the_loader_command_refuses_unreadable_files_without_a_trace(tmp_path, capsys):
    from tools import load_catalog

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": 1, "products": [NaN]}')
    for path in (deep, broken, tmp_path / "missing.json"):
        assert load_catalog.main([str(path), "--table", "t", "--region", "eu-west-3"]) == 2
        assert "Traceback" not in capsys.readouterr().err
