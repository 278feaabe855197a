"""The demo catalog's product pictures: an SVG per product and colour, drawn from its look.

Real photos cannot be had for the demo, so each product is drawn from data/demo/looks.json:
the shape of its category and model family (camera layout, notch, size, buttons...) in the
body colour of each of its colours. The drawing is deterministic: the same sources give the
same files, and each file's key carries a hash of its content.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tools.illustrations import audio, computers, consoles, phones, watches
from tools.illustrations.palette import accent, finish
from tools.illustrations.svg import HEIGHT, WIDTH, Canvas

ROOT = Path(__file__).resolve().parent.parent.parent
LOOKS = ROOT / "data" / "demo" / "looks.json"
SVG = "image/svg+xml"
DRAW = {
    "smartphones": phones.draw,
    "laptops": computers.laptop,
    "tablets": computers.tablet,
    "smartwatches": watches.draw,
    "consoles": consoles.draw,
    "headphones": audio.draw,
}


def looks() -> dict[str, dict]:
    """Every demo product's look, by product id."""
    return json.loads(LOOKS.read_text(encoding="utf-8"))["looks"]


def illustration(product: dict, color: str, look: dict) -> str:
    """The SVG of a product in one of its colours."""
    canvas = Canvas()
    look = {"screen_in": product.get("screen_in"), **look, "keys": accent(look, "keys", color)}
    look = {k: v for k, v in look.items() if v is not None}
    DRAW[product["category"]](canvas, look, finish(color, look), color)
    return canvas.svg()


def key_of(product_id: str, color: str, svg: str) -> str:
    """The media key of an illustration: a new drawing gets a new key, so a new URL."""
    digest = hashlib.sha256(svg.encode()).hexdigest()[:10]
    return f"products/{product_id}/{color}-1.{digest}"


def pictures(product: dict, look: dict) -> dict[str, tuple[str, str]]:
    """Per colour of a product, the key and SVG of its illustration."""
    drawn = {}
    for color in product["colors"]:
        svg = illustration(product, color, look)
        drawn[color] = (key_of(product["id"], color, svg), svg)
    return drawn


def images_field(product: dict, look: dict) -> dict[str, list[dict]]:
    """The catalog record's ``images``: one illustration for each colour."""
    return {
        color: [{"key": key, "type": SVG, "width": WIDTH, "height": HEIGHT}]
        for color, (key, _) in pictures(product, look).items()
    }


def write_all(products: list[dict], out: Path) -> int:
    """Write every product's illustrations below ``out`` as the media bucket holds them."""
    all_looks = looks()
    count = 0
    for product in products:
        for key, svg in pictures(product, all_looks[product["id"]]).values():
            path = out / f"{key}.svg"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                path.write_text(svg, encoding="utf-8")
            count += 1
    return count
