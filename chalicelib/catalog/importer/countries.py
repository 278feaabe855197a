"""One country, one price: markets that share a country sell alike, only their language differs.

Belgium is two markets (fr-be, nl-be) and one country: a shopper who switches language must
see the same offers, prices and stock. The loader refuses a product that breaks this, and an
offer update for one market of a country applies to all of them (docs/data-model.md).
"""

from __future__ import annotations

from chalicelib.catalog.importer.fields import RecordError
from chalicelib.catalog.records import ProductRecord
from chalicelib.kernel.markets import MARKETS, country_markets


def check_countries(resolved: dict[str, ProductRecord]) -> None:
    """Raise if a country's markets do not all sell this product with the same terms."""
    for code in resolved:
        markets = country_markets(code)
        first = markets[0]
        missing = [m for m in markets if m not in resolved]
        if missing:
            raise RecordError(
                "markets",
                f"sells in {code} but not in {', '.join(missing)}: the markets of"
                f" {MARKETS[code].country} ({', '.join(markets)}) are one country and must"
                " sell the same products",
            )
        if code == first:
            continue
        differs = _difference(resolved[first], resolved[code])
        if differs:
            raise RecordError(
                f"markets.{code}",
                f"differs from markets.{first} in {differs}: {' and '.join(markets)} are one"
                f" country ({MARKETS[code].country}) and need identical currency, new prices"
                " and offers",
            )


def _difference(first: ProductRecord, other: ProductRecord) -> str | None:
    """What differs between two markets' terms of one product, in words, or None."""
    if first.market.currency != other.market.currency:
        return "its currency"
    if first.new_prices != other.new_prices:
        return "its new prices"
    if len(first.offers) != len(other.offers):
        return f"its number of offers ({len(other.offers)}, not {len(first.offers)})"
    for i, (a, b) in enumerate(zip(first.offers, other.offers, strict=True)):
        if a != b:
            fields = [f for f in a.__dataclass_fields__ if getattr(a, f) != getattr(b, f)]
            what = ", ".join(f"{f} {getattr(b, f)!r}, not {getattr(a, f)!r}" for f in fields)
            return f"offers[{i}] ({what})"
    return None
