"""The favicon (SVG and ICO) and the web manifests: real files, right types, cached, linked."""

import json
import struct
import xml.etree.ElementTree as ET

import pytest

from chalicelib.i18n.names import country_name
from chalicelib.kernel.markets import MARKETS
from chalicelib.storefront.site_files import DESCRIPTION
from tests.conftest import body
from tests.dynamodb_faults import translated

FILES = {
    "/favicon.svg": "image/svg+xml",
    "/favicon.ico": "image/x-icon",
    "/manifest.webmanifest": "application/manifest+json",
    "/fr-fr/manifest.webmanifest": "application/manifest+json",
}


@pytest.mark.parametrize("path, kind", FILES.items())
def test_each_file_has_its_type_is_cached_a_day_and_revalidates(client, path, kind):
    response = client.http.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == kind
    assert response.headers["Cache-Control"] == "public, max-age=86400, s-maxage=86400"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert 0 < len(response.body) < 2_000
    etag = response.headers["ETag"]
    again = client.http.get(path, headers={"If-None-Match": f"W/{etag}"})
    assert again.status_code == 304 and again.body in (b"", "")
    head = client.http.head(path)
    assert head.status_code == 200 and head.headers["Content-Type"] == kind


def test_the_svg_is_an_svg_in_the_brand_colour(client):
    root = ET.fromstring(client.http.get("/favicon.svg").body)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"
    assert root.find("{http://www.w3.org/2000/svg}rect").get("fill") == "#0b6e4f"


def _images(data: bytes) -> list[tuple[int, list[list[int]]]]:
    """The ICO's images as (size, rows of palette indexes), checked field by field."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 2)
    images = []
    for index in range(count):
        size, height, colors, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert size == height and (colors, planes, bits) == (16, 1, 4)
        assert offset + length <= len(data)
        header = struct.unpack_from("<IiiHHIIiiII", data, offset)
        assert header[:5] == (40, size, size * 2, 1, 4) and header[5] == 0  # BI_RGB
        stride = ((size * 4 + 31) // 32) * 4
        pixels = offset + 40 + 16 * 4
        rows = []
        for y in range(size):
            row = data[pixels + y * stride : pixels + y * stride + size // 2]
            rows.append([n for byte in row for n in (byte >> 4, byte & 15)])
        mask = data[pixels + stride * size : pixels + stride * size + size * 4]
        assert set(mask) == {0}  # every pixel opaque
        images.append((size, rows[::-1]))
    return images


def test_the_ico_holds_a_16_and_a_32_pixel_leaf_in_seven_bit_bytes(client):
    data = client.http.get("/favicon.ico").body
    assert data.isascii()  # it travels through API Gateway as text, unchanged
    images = _images(data)
    assert [size for size, _ in images] == [16, 32]
    for size, rows in images:
        leaf = sum(row.count(1) for row in rows)
        assert size * size // 20 < leaf < size * size // 2, size  # a leaf, not a blank or a blot
        assert {n for row in rows for n in row} == {0, 1}


def test_the_site_manifest_starts_at_the_chooser_and_its_icons_answer(client):
    data = json.loads(client.http.get("/manifest.webmanifest").body)
    assert data["name"] == "ReCircle" and data["start_url"] == "/"
    assert data["theme_color"] == "#0b6e4f"
    for icon in data["icons"]:
        served = client.http.get(icon["src"])
        assert served.status_code == 200 and served.headers["Content-Type"] == icon["type"]


@pytest.mark.parametrize("code", MARKETS)
def test_each_market_has_its_manifest_in_its_language(client, code):
    response = client.http.get(f"/{code}/manifest.webmanifest")
    data = json.loads(body(response))
    market = MARKETS[code]
    assert data["lang"] == market.html_lang
    assert data["start_url"] == data["scope"] == data["id"] == f"/{code}/"
    assert country_name(code) in data["name"]
    assert data["description"] == translated(code, DESCRIPTION)
    assert data["display"] == "browser"


@pytest.mark.parametrize("code", MARKETS)
def test_every_page_names_the_icons_and_its_market_manifest(client, code):
    for path in (f"/{code}/", f"/{code}/l/laptops", f"/{code}/no-such-page"):
        response = client.http.get(path)
        page = body(response)
        assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page, path
        assert '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32">' in page, path
        assert f'<link rel="manifest" href="/{code}/manifest.webmanifest">' in page, path
        policy = response.headers["Content-Security-Policy"]
        assert "manifest-src 'self'" in policy and "img-src 'self'" in policy


def test_a_manifest_of_no_market_is_the_404_page(client):
    response = client.http.get("/xx-yy/manifest.webmanifest", headers={"Accept-Language": "sv"})
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
