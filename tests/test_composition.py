"""The composition root: apps built over their own tables share nothing but the code."""

import html

from chalicelib.catalog.importer.load import load
from tests.conftest import body, stage_client


def test_two_apps_in_one_process_read_their_own_tables(shop_table, make_table, shop_catalog):
    one = dict(shop_catalog, products=[p for p in shop_catalog["products"][:1]])
    small = make_table()
    load(small, one)
    product = shop_catalog["products"][0]
    other = next(p for p in shop_catalog["products"] if p["category"] != product["category"])
    with stage_client(shop_table) as full, stage_client(small) as single:
        assert full.http.get(f"/fr-fr/p/{other['id']}").status_code == 200
        assert single.http.get(f"/fr-fr/p/{other['id']}").status_code == 404
        assert single.http.get(f"/fr-fr/p/{product['id']}").status_code == 200
        listing = html.unescape(body(single.http.get(f"/fr-fr/l/{other['category']}")))
    assert f"/fr-fr/p/{other['id']}" not in listing


def test_the_deployed_app_reads_the_stage_table_from_its_environment(monkeypatch, moto_dynamodb):
    from chalicelib.composition import Services, stage_catalog_table

    monkeypatch.setenv("STAGE", "us")
    monkeypatch.delenv("TABLE_NAME", raising=False)
    assert stage_catalog_table().name == "storefront"
    monkeypatch.setenv("TABLE_NAME", "storefront-other")
    assert stage_catalog_table().name == "storefront-other"
    services = Services()
    assert services.catalog().table.name == "storefront-other"
    assert services.catalog() is services.catalog()
