"""Choosing a market for a visitor from Accept-Language and the CDN's viewer country."""

from __future__ import annotations

from chalicelib.kernel.markets import MARKETS, Market

# Which market a bare language goes to when the country does not decide it.
LANGUAGE_HOMES = {m.language: m.code for m in reversed(list(MARKETS.values()))} | {
    "en": "en-us",
    "fr": "fr-fr",
    "nl": "nl-nl",
    "de": "de-de",
    "pt": "pt-pt",
}


def parse_accept_language(header: str) -> list[tuple[str, str | None]]:
    """Language ranges as (language, region) pairs, best first; ``*`` and q=0 dropped."""
    ranges = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        subtags = tag.strip().replace("_", "-").split("-")
        if not subtags[0].isalpha() or quality <= 0 or subtags[0] == "*":
            continue
        region = next((s.upper() for s in subtags[1:] if len(s) == 2 and s.isalpha()), None)
        ranges.append((-quality, position, subtags[0].lower(), region))
    return [(language, region) for _, _, language, region in sorted(ranges)]


def choose_market(accept_language: str, viewer_country: str) -> Market | None:
    """The market a visitor most likely wants, or None when nothing points to one."""
    languages = parse_accept_language(accept_language or "")
    country = (viewer_country or "").strip().upper()
    in_country = [m for m in MARKETS.values() if m.country == country]
    if in_country:
        for language, _ in languages:
            for market in in_country:
                if market.language == language:
                    return market
        return in_country[0]
    for language, region in languages:
        for market in MARKETS.values():
            if market.language == language and market.country == region:
                return market
        for market in MARKETS.values():
            if market.language == language and region is None:
                return MARKETS[LANGUAGE_HOMES[language]]
    for language, _ in languages:
        for market in MARKETS.values():
            if market.language == language:
                return MARKETS[LANGUAGE_HOMES[language]]
    return None
