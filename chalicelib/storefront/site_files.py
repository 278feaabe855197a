"""The favicon (SVG, and an ICO for what asks for /favicon.ico) and the web manifests.

API Gateway passes a Lambda's body on as UTF-8 text unless binary media types are set up
and the request's Accept header names one, which a CDN that forwards no headers never
sends. The ICO is therefore written in 7-bit bytes only (palette colours, indexes and
sizes below 0x80), which UTF-8 carries unchanged: it is served as any other page is.
"""

from __future__ import annotations

import functools
import json
import math
import struct
from collections.abc import Iterator

from chalicelib.i18n import N_
from chalicelib.i18n.names import country_name
from chalicelib.kernel.markets import Market
from chalicelib.web.http import Request, Response
from chalicelib.web.links import Links
from chalicelib.web.render import SITE_NAME
from chalicelib.web.view import View

MANIFEST_TYPE = "application/manifest+json"
# The home page's description (templates/storefront/home.html) says what the shop is.
DESCRIPTION = N_(
    "Refurbished smartphones, laptops, tablets and consoles, tested by certified "
    "refurbishers, with a warranty and free returns."
)
THEME_COLOR = "#0b6e4f"  # the layout's --brand
BACKGROUND_COLOR = "#f6f7f9"  # the layout's --bg
ICO_SIZES = (16, 32)
# The logo's leaf (templates/base.html, #i-leaf), in a 32-unit square: a curve and its stem.
_LEAF = "M9 23C9 14 14 9 24 8c0 9-5 15-13 15m-2 0l7-7"
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">'
    f'<rect width="32" height="32" rx="7" fill="{THEME_COLOR}"/>'
    f'<path d="{_LEAF}" fill="none" stroke="#fff" stroke-width="2.4" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>\n'
)
# BGR0 palette entries, every byte below 0x80: the brand green, and black for the leaf.
_PALETTE = bytes([0x4F, 0x6E, 0x0B, 0]) + bytes([0, 0, 0, 0]) + bytes(56)
_STROKE_HALF_WIDTH = 1.5


def _leaf_points() -> list[tuple[float, float]]:
    """The leaf's outline as points, from its two curves and its stem."""

    def cubic(p0, p1, p2, p3):
        for step in range(41):
            t = step / 40
            yield tuple(
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
                for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
            )

    points = [*cubic((9, 23), (9, 14), (14, 9), (24, 8))]
    points += [*cubic((24, 8), (24, 17), (19, 23), (11, 23))]
    return points + [(9 + 7 * step / 20, 23 - 7 * step / 20) for step in range(21)]


def _pixels(size: int) -> Iterator[list[int]]:
    """Rows of palette indexes, top row first: 1 on the leaf's stroke, 0 elsewhere."""
    points = _leaf_points()
    scale = 32 / size
    for y in range(size):
        row = []
        for x in range(size):
            cx, cy = (x + 0.5) * scale, (y + 0.5) * scale
            near = min(math.hypot(cx - px, cy - py) for px, py in points)
            row.append(1 if near <= _STROKE_HALF_WIDTH else 0)
        yield row


def _seven_bit_number(value: int) -> int:
    """The smallest number at least ``value`` whose 4 little-endian bytes are all below 0x80."""
    while any(b >= 0x80 for b in struct.pack("<I", value)):
        value += 1
    return value


def _bitmap(size: int) -> bytes:
    """One 4-bit, 16-colour BMP image of an ICO: header, palette, colours, an opaque mask."""
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 4, 0, 0, 0, 0, 16, 0)
    rows = []
    for row in _pixels(size):
        packed = bytes((row[i] << 4) | row[i + 1] for i in range(0, size, 2))
        rows.append(packed + bytes(-len(packed) % 4))
    mask_row = bytes(((size + 31) // 32) * 4)  # every pixel opaque
    image = header + _PALETTE + b"".join(reversed(rows)) + mask_row * size
    return image + bytes(_seven_bit_number(len(image)) - len(image))


@functools.cache
def favicon_ico() -> str:
    """The ICO (16 and 32 px), as the text of its 7-bit bytes."""
    images = [_bitmap(size) for size in ICO_SIZES]
    offset = 6 + 16 * len(images)
    directory = struct.pack("<HHH", 0, 1, len(images))
    for size, image in zip(ICO_SIZES, images, strict=True):
        if any(b >= 0x80 for b in struct.pack("<I", offset)):
            raise AssertionError("an ICO offset is not 7-bit: pad the image before it")
        directory += struct.pack("<BBBBHHII", size, size, 16, 0, 1, 4, len(image), offset)
        offset += len(image)
    data = directory + b"".join(images)
    if not data.isascii():
        raise AssertionError("the ICO must be 7-bit to travel as text")
    return data.decode("ascii")


class SiteFiles:
    """``/favicon.svg``, ``/favicon.ico``, ``/manifest.webmanifest`` and each market's."""

    def __init__(self, view: View) -> None:
        self.view = view

    def favicon_svg(self, request: Request) -> Response:
        """The icon every page's head names."""
        return Response(200, FAVICON_SVG, {"Content-Type": "image/svg+xml"})

    def favicon_ico(self, request: Request) -> Response:
        """The icon of browsers and tools that ask for /favicon.ico whatever the page says."""
        return Response(200, favicon_ico(), {"Content-Type": "image/x-icon"})

    def site_manifest(self, request: Request) -> Response:
        """The manifest of the whole site, which starts at the market chooser."""
        body = manifest(self.view.links(request, None), None)
        return Response(200, body, {"Content-Type": MANIFEST_TYPE})

    def market_manifest(self, request: Request, market: Market) -> Response:
        """A market's manifest: its name and language, started at its home page."""
        text = self.view.translations_of(market).gettext(DESCRIPTION)
        body = manifest(self.view.links(request, market), market, text)
        return Response(200, body, {"Content-Type": MANIFEST_TYPE})


def manifest(links: Links, market: Market | None, description: str = "") -> str:
    """The web manifest of the site, or of one market: its name, language, start, icons."""
    icons = [
        {"src": links.path("/favicon.svg"), "type": "image/svg+xml", "sizes": "any"},
        {"src": links.path("/favicon.ico"), "type": "image/x-icon", "sizes": "16x16 32x32"},
    ]
    data: dict[str, object] = {"name": SITE_NAME, "short_name": SITE_NAME}
    if market is not None:
        data = {
            "name": f"{SITE_NAME} · {country_name(market.code)}",
            "short_name": SITE_NAME,
            "lang": market.html_lang,
            "dir": "ltr",
            "description": description,
            "id": links.home(),
        }
    data.update(
        start_url=links.home() if market else links.path("/"),
        scope=links.home() if market else links.path("/"),
        display="browser",
        theme_color=THEME_COLOR,
        background_color=BACKGROUND_COLOR,
        icons=icons,
    )
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
