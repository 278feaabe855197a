"""No English left on a non-English page: every message a page shows is translated."""

import html
import re

import pytest

from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tests.conftest import body
from tools import i18n

TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
SHOWN_ATTRIBUTE = re.compile(r'(?:placeholder|aria-label|title|content|data-offer)="([^"]*)"')


def visible(page: str) -> str:
    """Text a shopper reads or hears: text nodes and the attributes browsers show."""
    attributes = " ".join(SHOWN_ATTRIBUTE.findall(page))
    return html.unescape(TAG.sub(" ", page) + " " + attributes)


def messages():
    """Plain msgids without placeholders: the ones that can be looked for as they are."""
    return [
        m.id
        for m in i18n.read(i18n.TEMPLATE)
        if isinstance(m.id, str) and m.id and "%(" not in m.id and len(m.id) > 3
    ]


@pytest.mark.parametrize("code", [c for c, m in MARKETS.items() if m.language != "en"])
def test_no_english_message_on_a_non_english_page(client, shop_catalog, code):
    translations = translations_for(MARKETS[code].translation_chain)
    product = shop_catalog["products"][0]["id"]
    paths = [
        f"/{code}/",
        f"/{code}/l/smartphones",
        f"/{code}/l/laptops?brand=nokia",
        f"/{code}/p/{product}",
        f"/{code}/search?q=apple",
        f"/{code}/search?q=zzqx",
        f"/{code}/search",
        f"/{code}/p/nothing-here",
        f"/{code}/l/laptops?sort=bad",
    ]
    text = " ".join(visible(body(client.http.get(path))) for path in paths)
    english = [
        m
        for m in messages()
        if translations.gettext(m) != m and re.search(rf"(?<!\w){re.escape(m)}(?!\w)", text)
    ]
    assert not english
