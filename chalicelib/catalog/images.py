"""Product pictures per colour, and how the product and entry items keep them.

A product has, for each of its colours, the pictures of that colour, first shown first
(checked by catalog/importer/images.py). A colour without pictures, or a product without
any, shows its category's illustration instead, so a page never links a missing picture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from chalicelib.web.media import CARD_WIDTHS


@dataclass(frozen=True, slots=True)
class Image:
    """One picture of one colour of a product, as stored in the media bucket."""

    key: str
    type: str
    width: int
    height: int
    widths: tuple[int, ...] = ()  # raster pictures only: the widths it is stored at


@dataclass(frozen=True, slots=True)
class CardImage:
    """The one picture a listing, search or deal card shows: key, type and its colour."""

    key: str
    type: str
    color: str

    @property
    def widths(self) -> tuple[int, ...]:
        """The widths every raster picture is stored at, which are all a card uses."""
        return CARD_WIDTHS


Images = dict[str, tuple[Image, ...]]


def product_fields(images: Images) -> dict[str, str]:
    """The product item's ``images``: a compact JSON string (nothing queries inside)."""
    if not images:
        return {}
    encoded = {color: [_encode(p) for p in pictures] for color, pictures in images.items()}
    return {"images": json.dumps(encoded, separators=(",", ":"))}


def _encode(picture: Image) -> dict:
    encoded = {"k": picture.key, "t": picture.type, "w": picture.width, "h": picture.height}
    return {**encoded, "ws": list(picture.widths)} if picture.widths else encoded


def decode(text: str | None) -> Images:
    """The pictures of a product item's ``images``."""
    if not text:
        return {}
    return {
        color: tuple(
            Image(p["k"], p["t"], int(p["w"]), int(p["h"]), tuple(p.get("ws", ())))
            for p in pictures
        )
        for color, pictures in json.loads(text).items()
    }


def card_fields(images: Images, color: str) -> dict[str, dict[str, str]]:
    """A card's ``image``: the first picture of its colour, else of the first colour with one."""
    chosen = color if images.get(color) else next(iter(images), None)
    if chosen is None:
        return {}
    first = images[chosen][0]
    return {"image": {"key": first.key, "type": first.type, "color": chosen}}


def decode_card(raw: dict | None) -> CardImage | None:
    """The picture of a card, or None (the card shows its category's illustration)."""
    return CardImage(raw["key"], raw["type"], raw["color"]) if raw else None
