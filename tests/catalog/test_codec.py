"""One item format: what the importer writes is exactly what the repository reads back."""

import pytest

from chalicelib.catalog import codec
from chalicelib.catalog.importer.validation import validate_header, validate_product
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.money import Money


@pytest.fixture(scope="module")
def records(demo_catalog):
    """The first demo product, validated into one typed record per market."""
    context = validate_header(demo_catalog)
    return validate_product(demo_catalog["products"][0], context)


@pytest.mark.parametrize("code", list(MARKETS))
def test_a_product_item_decodes_to_the_record_it_was_made_from(records, code):
    record = records[code]
    item = codec.product_item(record, sorted(records))
    product = codec.decode_product(item)
    currency = MARKETS[code].currency
    assert (product.id, product.title, product.description) == (
        record.id,
        record.title,
        record.description,
    )
    assert product.colors == record.colors and product.storage_gb == record.storage_gb
    assert product.markets == tuple(sorted(records))
    assert {size: m.amount for size, m in product.new_prices.items()} == {
        (None if k == "base" else int(k)): v for k, v in record.new_prices.items()
    }
    in_stock = [o for o in record.offers if o.stock > 0]
    assert len(product.offers) == len(in_stock)
    for decoded, written in zip(product.offers, in_stock, strict=True):
        assert decoded.price == Money(written.price, currency)
        assert decoded.refurbisher.id == written.refurbisher
        assert decoded.refurbisher.name == record.refurbishers[written.refurbisher].name
        assert (decoded.grade, decoded.color, decoded.storage_gb) == (
            written.grade,
            written.color,
            written.storage_gb,
        )
        assert decoded.battery_health == written.battery_health
    assert item["digest"] == codec.product_item(record, sorted(records))["digest"]


def test_a_card_and_the_home_decode_to_what_was_encoded(records):
    record = records["ja-jp"]
    fields = codec.entry_fields(record, record.in_stock())
    card = codec.decode_entry(fields)
    cheapest = min(o.price for o in record.in_stock())
    assert card.price == Money(cheapest, "JPY") and card.product_id == record.id
    assert card.offers == len(record.in_stock())
    home = codec.decode_home(
        codec.home_item("ja-jp", [("smartphones", 3, cheapest)], [fields]), "JPY"
    )
    assert home.categories[0].from_price == Money(cheapest, "JPY")
    assert home.deals == [card]


def test_facets_and_sitemaps_decode_to_what_was_encoded():
    entries = [{"price": 300}, {"price": 100}]
    meta = codec.meta_item("L#fr-fr#laptops#all", entries, {"dell": ("Dell", 2)}, {"good": 1})
    assert codec.is_meta(meta)
    facets = codec.decode_facets(meta)
    assert facets.prices == (100, 300) and facets.brands == {"dell": 2}
    assert facets.brand_names == {"dell": "Dell"} and facets.grades == {"good": 1}
    item = codec.sitemap_item("fr-fr", {"a": ["fr-fr", "en-us"], "b": ["fr-fr"]})
    assert codec.decode_sitemap(item) == {"a": ["fr-fr", "en-us"], "b": ["fr-fr"]}
