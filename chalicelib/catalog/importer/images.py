"""Checking the ``images`` of a catalog record: keys, types, sizes and stored widths."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.catalog.images import Image, Images
from chalicelib.catalog.importer.fields import RecordError
from chalicelib.web.media import CARD_WIDTHS, EXTENSIONS, RASTER_TYPES

# A key is a path below the media prefix: segments of letters, digits, "-", "_" and ".",
# none starting with "." (so no "..", no hidden file), joined by "/".
KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$")
KEY_EXAMPLE = "products/apple-iphone-13/blue-1.3f9a2c1d07"
MAX_KEY = 200
MAX_PER_COLOR = 8
MAX_SIDE = 10_000  # pixels of a picture's width or height
MAX_WIDTHS = 8
FIELDS = {"key", "type", "width", "height", "widths"}


def validate(raw: Any, colors: tuple[str, ...]) -> Images:
    """The ``images`` of a catalog record, checked; a broken one raises its first error."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RecordError("images", f"must map colour codes to lists of pictures, got {raw!r}")
    images = {}
    for color, pictures in raw.items():
        if color not in colors:
            raise RecordError(
                f"images[{color[:40]!r}]",
                f"is not a colour of the product; its colours are {', '.join(colors)}",
            )
        path = f"images.{color}"
        if not isinstance(pictures, list) or not 1 <= len(pictures) <= MAX_PER_COLOR:
            raise RecordError(
                path, f"must be a list of 1 to {MAX_PER_COLOR} pictures, got {pictures!r}"
            )
        images[color] = tuple(_picture(p, f"{path}[{i}]") for i, p in enumerate(pictures))
    # Pictures follow the product's order of colours, whatever the file's order.
    return {color: images[color] for color in colors if color in images}


def _picture(raw: Any, path: str) -> Image:
    if not isinstance(raw, dict):
        raise RecordError(path, f"must be an object with key, type, width and height, got {raw!r}")
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise RecordError(path, f"has unknown fields {unknown}; a picture has {sorted(FIELDS)}")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key) or ".." in key or len(key) > MAX_KEY:
        raise RecordError(
            f"{path}.key",
            f"must be a path of letters, digits, '-', '_' and '.' joined by '/', without '..'"
            f" and at most {MAX_KEY} characters, like {KEY_EXAMPLE}, got {str(key)[:80]!r}",
        )
    kind = raw.get("type")
    if kind not in EXTENSIONS:
        raise RecordError(f"{path}.type", f"must be one of {', '.join(EXTENSIONS)}, got {kind!r}")
    width, height = (_side(raw.get(n), f"{path}.{n}") for n in ("width", "height"))
    widths = raw.get("widths")
    if kind not in RASTER_TYPES:
        if widths is not None:
            raise RecordError(f"{path}.widths", f"is for raster pictures only, not {kind}")
        return Image(key, kind, width, height)
    if (
        not isinstance(widths, list)
        or not 1 <= len(widths) <= MAX_WIDTHS
        or any(not isinstance(w, int) or isinstance(w, bool) for w in widths)
        or widths != sorted(set(widths))
        or not all(0 < w <= MAX_SIDE for w in widths)
        or not set(CARD_WIDTHS) <= set(widths)
    ):
        raise RecordError(
            f"{path}.widths",
            f"must list at most {MAX_WIDTHS} stored widths in pixels, ascending, including"
            f" {list(CARD_WIDTHS)} (what cards use), got {widths!r}",
        )
    return Image(key, kind, width, height, tuple(widths))


def _side(value: Any, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_SIDE:
        raise RecordError(path, f"must be a whole number of pixels from 1 to {MAX_SIDE:,}")
    return value
