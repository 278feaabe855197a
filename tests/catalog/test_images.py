"""Product pictures in the catalog: what the loader refuses, what items keep, the demo's."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

from chalicelib.catalog import codec
from chalicelib.catalog.images import CardImage, Image
from chalicelib.catalog.importer.items import build_items
from chalicelib.catalog.importer.validation import validate_catalog
from chalicelib.catalog.offers import record_rank
from chalicelib.kernel.markets import MARKETS
from chalicelib.web.media import CARD_WIDTHS
from tools import illustrations
from tools.illustrations.palette import finish

PHONE = "apple-iphone-13"


def one_product(demo_catalog: dict, pid: str = PHONE, images=None) -> dict:
    """The demo file cut down to one product, its ``images`` replaced when given."""
    data = copy.deepcopy(demo_catalog)
    data["products"] = [p for p in data["products"] if p["id"] == pid]
    if images is not None:
        data["products"][0]["images"] = images
    return data


def webp(key: str = "products/apple-iphone-13/blue-1.v2", widths=(320, 640, 960)) -> dict:
    return {"key": key, "type": "image/webp", "widths": list(widths), "width": 960, "height": 720}


def svg(key: str = "products/apple-iphone-13/blue-1.ab12") -> dict:
    return {"key": key, "type": "image/svg+xml", "width": 480, "height": 360}


BAD = [
    ("not a map", ["blue"], "images", "must map colour codes"),
    ("a colour it lacks", {"green": [svg()]}, "images['green']", "not a colour of the product"),
    ("no pictures", {"blue": []}, "images.blue", "list of 1 to 8 pictures"),
    ("a parent path", {"blue": [svg("products/../secret")]}, "images.blue[0].key", "without '..'"),
    ("an absolute path", {"blue": [svg("/etc/passwd")]}, "images.blue[0].key", "joined by '/'"),
    ("a hidden file", {"blue": [svg("products/.x")]}, "images.blue[0].key", "like products/"),
    ("a query", {"blue": [svg("products/a?x=1")]}, "images.blue[0].key", "letters, digits"),
    ("a space", {"blue": [svg("products/a b")]}, "images.blue[0].key", "letters, digits"),
    ("a long key", {"blue": [svg("k" * 201)]}, "images.blue[0].key", "at most 200"),
    ("a type", {"blue": [{**svg(), "type": "image/gif"}]}, "images.blue[0].type", "image/webp"),
    ("a mistyped field", {"blue": [{**svg(), "widht": 1}]}, "images.blue[0]", "unknown fields"),
    ("no height", {"blue": [{**svg(), "height": None}]}, "images.blue[0].height", "pixels"),
    ("a zero width", {"blue": [{**svg(), "width": 0}]}, "images.blue[0].width", "from 1"),
    ("SVG widths", {"blue": [{**svg(), "widths": [320]}]}, "images.blue[0].widths", "raster"),
    ("no widths", {"blue": [{**webp(), "widths": None}]}, "images.blue[0].widths", "ascending"),
    ("no card width", {"blue": [webp(widths=[640, 960])]}, "images.blue[0].widths", "[320, 640]"),
    ("unsorted", {"blue": [webp(widths=[640, 320])]}, "images.blue[0].widths", "ascending"),
    ("repeated", {"blue": [webp(widths=[320, 320, 640])]}, "images.blue[0].widths", "ascending"),
    ("huge", {"blue": [webp(widths=[320, 640, 20000])]}, "images.blue[0].widths", "ascending"),
]


@pytest.mark.parametrize(("what", "images", "path", "message"), BAD, ids=[b[0] for b in BAD])
def test_the_loader_refuses_broken_pictures_saying_where(demo_catalog, what, images, path, message):
    valid, rejections = validate_catalog(one_product(demo_catalog, images=images))
    assert not valid
    [rejection] = rejections
    text = str(rejection)
    assert text.startswith(f"products[0] ({PHONE}) {path}:"), text
    assert message in text


def test_raster_pictures_keep_their_widths_and_colours_follow_the_product(demo_catalog):
    images = {"red": [svg("products/p/red-1.x")], "blue": [webp(), svg("products/p/blue-2.y")]}
    valid, rejections = validate_catalog(one_product(demo_catalog, images=images))
    assert not rejections
    record = valid[PHONE]["fr-fr"]
    assert list(record.images) == ["blue", "red"]  # the product's order: blue before red
    assert record.images["blue"][0] == Image(
        "products/apple-iphone-13/blue-1.v2", "image/webp", 960, 720, (320, 640, 960)
    )
    assert record.images["red"][0].widths == ()


def test_items_keep_the_pictures_and_cards_one_key_and_type(demo_catalog):
    # The demo sells midnight, starlight and blue; pink is never a card's colour.
    images = {"blue": [webp(), svg("products/p/blue-2.y")], "pink": [svg("products/p/pink-1.z")]}
    valid, _ = validate_catalog(one_product(demo_catalog, images=images))
    per_product, shared = build_items(valid)
    product = next(i for i in per_product[PHONE] if i["PK"] == f"P#fr-fr#{PHONE}")
    decoded = codec.decode_product(product)
    assert decoded.images == valid[PHONE]["fr-fr"].images
    assert codec.decode_record(product, MARKETS["fr-fr"]).images == decoded.images
    entries = [i for i in per_product[PHONE] if i["PK"].startswith(("L#", "S#"))]
    homes = [d for i in shared if i["PK"].startswith("H#") for d in i.get("deals", ())]
    assert entries and homes
    for entry in entries + [d for d in homes if d["product"] == PHONE]:
        # Without a picture of its cheapest colour, a card shows the first colour that has one.
        assert entry["image"] == {"key": webp()["key"], "type": "image/webp", "color": "blue"}
        assert codec.decode_entry(entry).image == CardImage(webp()["key"], "image/webp", "blue")


def test_a_card_shows_the_colour_of_its_price(demo_catalog):
    colors = ("midnight", "starlight", "blue")
    images = {c: [svg(f"products/{PHONE}/{c}-1.abc")] for c in colors}
    valid, _ = validate_catalog(one_product(demo_catalog, images=images))
    per_product, _ = build_items(valid)
    for code, record in valid[PHONE].items():
        best = min(
            record.in_stock(), key=lambda o: record_rank(o, record.refurbishers[o.refurbisher])
        )
        entry = next(i for i in per_product[PHONE] if i["PK"] == f"L#{code}#smartphones#all")
        assert entry["image"]["color"] == best.color
        assert entry["image"]["key"] == f"products/{PHONE}/{best.color}-1.abc"


def test_an_entry_written_before_pictures_still_decodes(demo_catalog):
    valid, _ = validate_catalog(one_product(demo_catalog, images={}))
    per_product, _ = build_items(valid)
    entry = next(i for i in per_product[PHONE] if i["PK"].startswith("L#"))
    assert "image" not in entry and "image" not in codec.card_of(entry)
    assert codec.decode_entry(entry).image is None


def test_a_raster_card_is_served_at_the_widths_every_raster_picture_has():
    assert CardImage("k", "image/webp", "blue").widths == CARD_WIDTHS


# ----------------------------------------------------------------------------- the demo


def test_every_demo_product_has_pictures_for_each_colour_it_is_sold_in(demo_catalog):
    missing = []
    for product in demo_catalog["products"]:
        sold = {o["color"] for m in product["markets"].values() for o in m["offers"]}
        missing += [f"{product['id']} {c}" for c in sold if not product["images"].get(c)]
    assert not missing


def test_the_demo_catalog_names_the_pictures_drawn_now(demo_catalog, tmp_path):
    """A stale catalog would link pictures that no longer exist: rebuild it (make demo)."""
    assert illustrations.write_all(demo_catalog["products"], tmp_path) > 200
    for product in demo_catalog["products"]:
        for color, pictures in product["images"].items():
            assert (tmp_path / f"{pictures[0]['key']}.svg").is_file(), (product["id"], color)


@pytest.fixture(scope="module")
def drawings(demo_catalog) -> dict[tuple[str, str], str]:
    looks = illustrations.looks()
    return {
        (p["id"], color): svg
        for p in demo_catalog["products"]
        for color, (_, svg) in illustrations.pictures(p, looks[p["id"]]).items()
    }


def test_every_demo_product_has_a_look_and_every_look_a_product(demo_catalog):
    assert set(illustrations.looks()) == {p["id"] for p in demo_catalog["products"]}


def test_each_drawing_is_an_svg_of_four_by_three_in_the_colour_it_shows(drawings):
    looks = illustrations.looks()
    for (pid, color), drawing in drawings.items():
        root = ET.fromstring(drawing)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert (root.get("width"), root.get("height")) == ("480", "360")
        assert finish(color, looks[pid]) in drawing, (pid, color)
        assert len(drawing) < 6000, (pid, len(drawing))  # a few KB a picture


def test_every_model_and_colour_is_drawn_differently(drawings):
    assert len(set(drawings.values())) == len(drawings)
