"""Product pictures as shoppers get them: per colour, localized alt text, lazy cards, JSON-LD."""

from __future__ import annotations

import copy
import html
import json
import os
import re
from urllib.parse import urlsplit

import pytest

from chalicelib.catalog.model import COLORS
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.settings import Settings
from tests.conftest import body, loaded_table, stage_client

CODES = list(MARKETS)
PHONE = "apple-iphone-13"
IMG = re.compile(r"<img ([^>]*)>")
ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
GALLERY = re.compile(r'<div class="gallery">(.*?)</div>', re.S)
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def images_in(page: str) -> list[dict[str, str]]:
    """The attributes of every <img> of a page, unescaped."""
    return [{k: html.unescape(v) for k, v in ATTR.findall(a)} for a in IMG.findall(page)]


def hero(page: str) -> list[dict[str, str]]:
    return images_in(GALLERY.search(page).group(1))


def structured(page: str) -> dict:
    return json.loads(LD_JSON.search(page).group(1))


def alt_text(code: str, title: str, color: str) -> str:
    """ "{title} in {color}" as the market's catalogs say it."""
    translations = translations_for(MARKETS[code].translation_chain)
    return translations.gettext("%(title)s in %(color)s") % {
        "title": title,
        "color": translations.gettext(COLORS[color]),
    }


def title_in(product: dict, code: str) -> str:
    chain = (*MARKETS[code].text_chain, "en")
    return next(product["title"][name] for name in chain if name in product["title"])


def sold_colors(product: dict, code: str) -> list[str]:
    offers = product["markets"][code]["offers"]
    return [c for c in product["colors"] if any(o["color"] == c and o["stock"] for o in offers)]


@pytest.mark.parametrize("code", CODES)
def test_the_product_page_shows_each_colour_with_alt_text_in_the_market_language(
    client, shop_catalog, code
):
    product = next(p for p in shop_catalog["products"] if p["id"] == PHONE)
    for color in sold_colors(product, code):
        page = body(client.http.get(f"/{code}/p/{PHONE}?color={color}"))
        [first] = hero(page)
        picture = product["images"][color][0]
        assert first["src"].endswith(f"/media/{picture['key']}.svg")
        assert first["alt"] == alt_text(code, title_in(product, code), color)
        assert (first["width"], first["height"]) == ("480", "360")
        # The page's largest element: fetched first, never lazily.
        assert first["fetchpriority"] == "high" and "loading" not in first
        assert "srcset" not in first  # an SVG is one file at every size
        urls = structured(page)["image"]
        assert [urlsplit(u).path for u in urls] == [f"/media/{picture['key']}.svg"]
        assert all(urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc for u in urls)


@pytest.mark.parametrize("code", CODES)
def test_cards_below_the_fold_load_lazily(client, code):
    home = images_in(body(client.http.get(f"/{code}/")))
    assert len(home) == 8  # the deals, below the promises and the category tiles
    for card in home:
        assert card["loading"] == "lazy" and card["decoding"] == "async"
        assert "fetchpriority" not in card
        assert (card["width"], card["height"]) == ("240", "180")  # no shift as they load
        assert card["alt"] and card["src"].startswith("/media/products/")
    listing = images_in(body(client.http.get(f"/{code}/l/smartphones")))
    assert [c.get("loading") for c in listing] == [None, None] + ["lazy"] * (len(listing) - 2)


def test_a_card_names_its_colour_in_the_market_language(client, shop_catalog):
    page = body(client.http.get("/fr-fr/search?q=iphone"))
    cards = images_in(page)
    by_key = {
        pictures[0]["key"]: (p, color)
        for p in shop_catalog["products"]
        for color, pictures in p["images"].items()
    }
    assert cards
    for card in cards:
        product, color = by_key[card["src"].removeprefix("/media/").removesuffix(".svg")]
        assert card["alt"] == alt_text("fr-fr", title_in(product, "fr-fr"), color)


@pytest.fixture(scope="module")
def pictures_table(moto_dynamodb, shop_catalog):
    """Three phones: one without pictures, one missing a colour's, one with raster photos."""

    data = copy.deepcopy(shop_catalog)
    phones = [p for p in data["products"] if p["category"] == "smartphones"][:3]
    data["products"] = phones
    bare, partial, photos = phones
    bare.pop("images")
    partial["images"] = {c: v for c, v in partial["images"].items() if c != partial["colors"][0]}
    photos["images"] = {
        color: [
            {
                "key": f"products/{photos['id']}/{color}-{n}.v1",
                "type": "image/webp",
                "widths": [320, 640, 1280],
                "width": 1280,
                "height": 960,
            }
            for n in (1, 2)
        ]
        for color in photos["colors"]
    }
    return loaded_table(moto_dynamodb, "storefront-pictures", data), bare, partial, photos


def test_without_pictures_a_product_shows_its_category_never_a_broken_image(pictures_table):
    table, bare, partial, _ = pictures_table
    with stage_client(table) as client:
        page = body(client.http.get(f"/fr-fr/p/{bare['id']}"))
        assert not hero(page)
        assert '<use href="#i-phone"/>' in GALLERY.search(page).group(1)
        assert "image" not in structured(page)
        missing = partial["colors"][0]
        page = body(client.http.get(f"/fr-fr/p/{partial['id']}?color={missing}"))
        assert not hero(page) and "image" not in structured(page)
        listing = body(client.http.get("/fr-fr/l/smartphones"))
        srcs = [i["src"] for i in images_in(listing)]
        assert not any(bare["id"] in s for s in srcs)
        assert any(partial["id"] in s and f"/{missing}-" not in s for s in srcs)


def test_photos_are_served_at_every_stored_width(pictures_table):
    table, _, _, photos = pictures_table
    color = photos["colors"][0]
    base = f"/media/products/{photos['id']}/{color}"
    with stage_client(table) as client:
        page = body(client.http.get(f"/fr-fr/p/{photos['id']}?color={color}"))
        first, second = hero(page)
        assert first["src"] == f"{base}-1.v1-640.webp"
        assert first["srcset"] == ", ".join(f"{base}-1.v1-{w}.webp {w}w" for w in (320, 640, 1280))
        assert first["sizes"] and (first["width"], first["height"]) == ("1280", "960")
        assert second["loading"] == "lazy" and "fetchpriority" not in second
        assert [urlsplit(u).path for u in structured(page)["image"]] == [
            f"{base}-{n}.v1-1280.webp" for n in (1, 2)
        ]
        cards = images_in(body(client.http.get("/fr-fr/l/smartphones")))
        card = next(c for c in cards if photos["id"] in c["src"])
        assert card["srcset"].endswith("-640.webp 640w") and "-320.webp 320w" in card["srcset"]


def test_pictures_come_from_media_base_url(pictures_table):
    table, _, _, photos = pictures_table
    color = photos["colors"][0]

    def settings() -> Settings:
        return Settings.from_env({**os.environ, "MEDIA_BASE_URL": "https://cdn.example/pictures/"})

    with stage_client(table, settings=settings) as client:
        page = body(client.http.get(f"/fr-fr/p/{photos['id']}?color={color}"))
    key = f"products/{photos['id']}/{color}-1.v1"
    assert hero(page)[0]["src"] == f"https://cdn.example/pictures/{key}-640.webp"
    assert structured(page)["image"][0] == f"https://cdn.example/pictures/{key}-1280.webp"
