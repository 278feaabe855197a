"""Translations are an input: a provider with a time-to-live, and layers that slot in."""

import gettext
import html

from chalicelib.i18n.provider import Refreshing, ShippedTranslations
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from tests.conftest import body, stage_client

HEADLINE = "Shop by category"


class Overlay(gettext.NullTranslations):
    """Some messages said differently, over a market's compiled catalogs."""

    def __init__(self, wording: dict[str, str], below: gettext.NullTranslations) -> None:
        super().__init__()
        self.wording = wording
        self.add_fallback(below)

    def gettext(self, message: str) -> str:
        if message in self.wording:
            return self.wording[message]
        return self._fallback.gettext(message)


class Marketing:
    """A stand-in for the editor's published wording: changed at run time, read per market."""

    def __init__(self) -> None:
        self.wording: dict[str, dict[str, str]] = {}
        self.asked = 0

    def for_market(self, market):
        self.asked += 1
        below = ShippedTranslations().for_market(market)
        return Overlay(dict(self.wording.get(market.code, {})), below)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_compiled_catalogs_follow_the_market_chain():
    for market in MARKETS.values():
        provided = ShippedTranslations().for_market(market)
        assert provided is translations_for(market.translation_chain)


def test_a_refreshing_provider_asks_again_only_after_its_ttl():
    source, clock = Marketing(), Clock()
    provider = Refreshing(source, ttl=60, clock=clock)
    market = MARKETS["de-at"]
    first = provider.for_market(market)
    assert provider.for_market(market) is first and source.asked == 1
    clock.now += 59.9
    assert provider.for_market(market) is first
    clock.now += 0.2
    assert provider.for_market(market) is not first and source.asked == 2
    provider.for_market(MARKETS["fr-be"])
    assert source.asked == 3  # one answer per market
    provider.expire()
    provider.for_market(market)
    assert source.asked == 4


def test_wording_changed_at_run_time_shows_on_the_page_within_the_ttl(shop_table):
    source, clock = Marketing(), Clock()
    provider = Refreshing(source, ttl=60, clock=clock)
    with stage_client(shop_table, translations=provider) as client:
        before = html.unescape(body(client.http.get("/de-at/")))
        german = translations_for(MARKETS["de-at"].translation_chain).gettext(HEADLINE)
        assert german in before
        source.wording["de-at"] = {HEADLINE: "Winterangebote nach Kategorie"}
        cached = html.unescape(body(client.http.get("/de-at/")))
        assert "Winterangebote" not in cached  # still within the minute
        clock.now += 61
        after = html.unescape(body(client.http.get("/de-at/")))
        assert "Winterangebote nach Kategorie" in after and german not in after
        other = html.unescape(body(client.http.get("/de-de/")))
        assert "Winterangebote" not in other  # one market's wording, nobody else's
