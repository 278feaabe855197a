"""Offer updates: a refurbisher's prices and stock, rewriting only what they change.

After an update the table equals, item by item, a clean load of the catalog file with the
same changes made in it; the writes are a few dozen items, not the catalog.
"""

import copy

import pytest

from chalicelib.catalog.importer.load import load
from chalicelib.catalog.importer.offers import update_offers, validate_feed
from tests.catalog.test_atomic_load import Killed, Killer, items_of, product
from tests.catalog.test_importer import catalog

FILE = catalog(
    product("apple-iphone-12"),
    product("apple-iphone-13", popularity=70),
    product("google-pixel-7", popularity=90),
)


def row(pid, market="fr-fr", grade="good", price=30100, stock=3, refurbisher="shop-a"):
    return {
        "product": pid,
        "market": market,
        "refurbisher": refurbisher,
        "storage_gb": 128,
        "color": "black",
        "grade": grade,
        "price": price,
        "stock": stock,
    }


def applied(data, rows):
    """The catalog file with the feed's changes made by hand."""
    data = copy.deepcopy(data)
    for r in rows:
        raw = next(p for p in data["products"] if p["id"] == r["product"])
        for offer in raw["markets"][r["market"]]["offers"]:
            same = (offer["refurbisher"], offer["storage_gb"], offer["color"], offer["grade"])
            if same == (r["refurbisher"], int(r["storage_gb"]), r["color"], r["grade"]):
                offer["price"], offer["stock"] = int(r["price"]), int(r["stock"])
    return data


FEEDS = {
    "a price drop": [row("apple-iphone-13", price=29900)],
    "a price rise past the next grade": [row("apple-iphone-12", price=99900)],
    "a grade sold out": [row("google-pixel-7", stock=0)],
    "a product sold out": [
        row("apple-iphone-13", stock=0),
        row("apple-iphone-13", grade="excellent", refurbisher="shop-b", stock=0),
    ],
    "two markets at once": [
        row("apple-iphone-12", price=25000),
        row("apple-iphone-12", "ja-jp", price=31000),
    ],
}


def assert_update_equals_a_clean_load(make_table, start, rows, updated_file):
    """Apply ``rows`` to a load of ``start``; it must hold what a load of ``updated_file`` does."""
    table = make_table()
    load(table, start)
    changes, refused = validate_feed(rows)
    assert not refused
    report = update_offers(table, changes)
    assert not report.rejections and report.offers == len(rows)
    clean = make_table()
    load(clean, updated_file)
    assert items_of(table) == items_of(clean)
    return report


@pytest.mark.parametrize("name", list(FEEDS))
def test_an_update_leaves_the_table_as_a_full_load_of_the_updated_file(make_table, name):
    rows = FEEDS[name]
    report = assert_update_equals_a_clean_load(make_table, FILE, rows, applied(FILE, rows))
    assert 0 < report.items_written < 60


def test_a_product_back_in_stock_comes_back_everywhere(make_table):
    table = make_table()
    sold_out = FEEDS["a product sold out"]
    load(table, applied(FILE, sold_out))
    back = [dict(r, stock=5) for r in sold_out]
    update_offers(table, validate_feed(back)[0])
    clean = make_table()
    load(clean, applied(FILE, back))
    assert items_of(table) == items_of(clean)


def test_bad_rows_are_refused_by_position_and_the_others_applied(make_table):
    table = make_table()
    load(table, FILE)
    rows = [
        row("apple-iphone-13", price=-5),
        row("apple-iphone-13", price=10**40),
        row("apple-iphone-13", stock="many"),
        row("apple-iphone-13", market="xx-yy"),
        row("apple-iphone-13", grade="mint"),
        row("no-such-phone"),
        row("apple-iphone-13", refurbisher="shop-z"),
        row("apple-iphone-12", price=28800),
    ]
    changes, refused = validate_feed(rows)
    assert [r.index for r in refused] == [0, 1, 2, 3, 4]
    assert [r.errors[0].path for r in refused] == ["price", "price", "stock", "market", "grade"]
    report = update_offers(table, changes)
    assert [r.index for r in report.rejections] == [5, 6]
    assert "has no offer" in str(report.rejections[1])
    clean = make_table()
    load(clean, applied(FILE, [rows[-1]]))
    assert items_of(table) == items_of(clean)


def test_csv_cells_are_read_as_numbers():
    cells = {k: str(v) for k, v in row("apple-iphone-13", price=29900).items()}
    changes, refused = validate_feed([cells])
    assert not refused and changes[0].price == 29900 and changes[0].storage_gb == 128


def test_an_update_killed_anywhere_is_healed_by_running_it_again(make_table):
    rows = FEEDS["a product sold out"]
    clean = make_table()
    load(clean, applied(FILE, rows))
    expected = items_of(clean)
    counting = make_table()
    load(counting, FILE)
    killer = Killer(counting)
    update_offers(counting, validate_feed(rows)[0])
    killer.close()
    for kill_at in range(1, killer.writes + 1):
        table = make_table()
        load(table, FILE)
        killer = Killer(table, kill_at=kill_at)
        with pytest.raises(Killed):
            update_offers(table, validate_feed(rows)[0])
        killer.close()
        update_offers(table, validate_feed(rows)[0], break_lease=True)
        assert items_of(table) == expected, kill_at


def test_the_command_reads_a_csv_feed_and_says_what_it_refused(make_table, tmp_path, capsys):
    import csv
    import json

    from chalicelib.catalog import keys
    from tools import update_offers as command

    table = make_table()
    load(table, FILE)
    path = tmp_path / "shop-a.csv"
    with path.open("w", newline="") as out:
        columns = ["product", "market", "storage_gb", "color", "grade", "price", "stock"]
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerow(
            {k: v for k, v in row("apple-iphone-13", price=27700).items() if k in columns}
        )
        writer.writerow(
            {k: v for k, v in row("apple-iphone-13", price="cheap").items() if k in columns}
        )
    args = [str(path), "--table", table.name, "--region", "eu-west-3", "--refurbisher", "shop-a"]
    assert command.main(args) == 1
    err = capsys.readouterr().err
    assert "refused: offers[1] (apple-iphone-13) price:" in err
    assert "updated 1 offers of 1 products" in err
    item = table.get_item(Key=keys.product("fr-fr", "apple-iphone-13"))["Item"]
    assert 27700 in [o["p"] for o in json.loads(item["offers"])]
    assert command.main([str(tmp_path / "none.csv"), "--table", table.name]) == 2
