"""Chromium decodes the 7-bit ICO and the SVG favicon to the pixels they were drawn with."""

import pytest

from chalicelib.storefront.site_files import _pixels
from tests.browser.test_pages_in_chromium import ORIGIN, _serve
from tests.conftest import stage_client

DRAW = """async (src) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth || 32;
  canvas.height = image.naturalHeight || 32;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  return {width: canvas.width, pixels: Array.from(data)};
}"""


@pytest.fixture(scope="module")
def shop(shop_table):
    with stage_client(shop_table) as client:
        yield client


def _rgb(drawn: dict, x: int, y: int) -> tuple[int, int, int]:
    start = (y * drawn["width"] + x) * 4
    return tuple(drawn["pixels"][start : start + 3])


def test_the_ico_and_the_svg_decode_to_the_leaf_on_the_brand_green(browser, shop):
    page = browser.new_page()
    page.route("**/*", lambda route: _serve(shop, route))
    page.goto(ORIGIN + "/fr-fr/")
    # Playwright never routes the browser's own request for /favicon.ico: ask with a query.
    icon = page.evaluate(DRAW, "/favicon.ico?decode")
    assert icon["width"] == 32  # the larger of its two images
    rows = list(_pixels(32))
    for y, row in enumerate(rows):
        for x, value in enumerate(row):
            assert _rgb(icon, x, y) == ((0, 0, 0) if value else (11, 110, 79)), (x, y)
    svg = page.evaluate(DRAW, "/favicon.svg")
    assert _rgb(svg, 16, 2) == (11, 110, 79)  # the rounded square, in the brand colour
    assert max(_rgb(svg, x, y)[0] for y in range(32) for x in range(32)) > 240  # a white leaf
    page.close()
