"""Addresses of product pictures in the media bucket, as pages link to them.

A picture is stored under its key, which changes whenever its content does (a content hash
or a version in the key), so every file can be cached for a year: an SVG as ``{key}.svg``,
a raster picture once per width as ``{key}-{width}.webp`` (or ``.jpg``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

# The types a picture may have, with the extension of its files.
EXTENSIONS = {"image/svg+xml": "svg", "image/webp": "webp", "image/jpeg": "jpg"}
RASTER_TYPES = frozenset({"image/webp", "image/jpeg"})
# Widths every raster picture is stored at: a card knows only its picture's key and type,
# and a card is at most 280 CSS px wide, so 320 serves 1x screens and 640 serves 2x ones.
CARD_WIDTHS = (320, 640)
# What a browser and a CDN may keep a picture for: its address changes with its content.
CACHE_CONTROL = "public, max-age=31536000, immutable"


class Picture(Protocol):
    """What a link needs of a picture: its key, type and stored widths."""

    key: str
    type: str

    @property
    def widths(self) -> tuple[int, ...]: ...


def file_name(key: str, type: str, width: int | None = None) -> str:
    """The name of one stored file of a picture, below the media prefix."""
    extension = EXTENSIONS[type]
    return f"{key}-{width}.{extension}" if width else f"{key}.{extension}"


class Media:
    """Links to pictures under MEDIA_BASE_URL; a relative base is made absolute on demand."""

    def __init__(self, base_url: str, origin: Callable[[], str]) -> None:
        self.base_url = base_url.rstrip("/")
        self._origin = origin

    def url(self, picture: Picture, width: int | None = None) -> str:
        """The address of one file of a picture."""
        return f"{self.base_url}/{file_name(picture.key, picture.type, width)}"

    def src(self, picture: Picture) -> str:
        """The ``src`` of an ``<img>``: the SVG, or the raster width closest above 640 px."""
        if picture.type not in RASTER_TYPES:
            return self.url(picture)
        widths = sorted(picture.widths)
        return self.url(picture, next((w for w in widths if w >= 640), widths[-1]))

    def srcset(self, picture: Picture) -> str:
        """The ``srcset`` of a raster picture (every stored width), empty for an SVG."""
        if picture.type not in RASTER_TYPES:
            return ""
        return ", ".join(f"{self.url(picture, w)} {w}w" for w in sorted(picture.widths))

    def absolute(self, picture: Picture) -> str:
        """A full URL of the picture's largest file, for structured data."""
        width = max(picture.widths) if picture.type in RASTER_TYPES else None
        url = self.url(picture, width)
        return url if "://" in url else self._origin() + url
