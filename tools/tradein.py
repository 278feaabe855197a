"""Move a trade-in through its states, as a refurbisher's tools will (issue 12: a command for now).

Usage: python tools/tradein.py --table NAME [--region R] [--endpoint-url URL]
           REFERENCE MARKET STATE [--price MINOR_UNITS] [--reason CODE ...]

STATE is the next state: received, checked, countered (with --price and one or more --reason:
screen_worse body_worse battery_low function_fault other_model liquid), paid, returned or
expired. Every move is a conditional write on the state it starts from: a move the trade-in
cannot make (paid before checked, a second check) is refused and nothing changes. The command
never reads or prints the seller's sealed details.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.catalog.repository import CatalogUnavailable  # noqa: E402
from chalicelib.kernel import aws  # noqa: E402
from chalicelib.kernel.markets import MARKETS  # noqa: E402
from chalicelib.kernel.money import Money  # noqa: E402
from chalicelib.tradein.model import (  # noqa: E402
    COUNTER_REASONS,
    COUNTERED,
    MOVES,
    Counter,
    digest,
    is_reference,
)
from chalicelib.tradein.repository import MoveRefused, TradeInRepository  # noqa: E402

STATES = sorted({s for nexts in MOVES.values() for s in nexts} - {"accepted"})
SHOPPER_MOVES = ("counter_accepted", "counter_refused")  # the shopper's own, on the status page


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--table", required=True, help="DynamoDB table name")
    p.add_argument("--region", help="AWS region (default: from the environment)")
    p.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. a local moto server")
    p.add_argument("reference")
    p.add_argument("market", choices=sorted(c for c, m in MARKETS.items() if m.trade_in))
    p.add_argument("state", choices=[s for s in STATES if s not in SHOPPER_MOVES])
    p.add_argument("--price", type=int, help="a counter-offer's price, in minor units")
    p.add_argument("--reason", action="append", choices=COUNTER_REASONS, default=[])
    return p


def run(args: argparse.Namespace, table=None, clock=time.time) -> int:
    """Make the move; 0 when done, 1 when refused, 2 for a bad request."""
    if not is_reference(args.reference):
        print("not a trade-in reference", file=sys.stderr)
        return 2
    table = table or aws.dynamodb_table(args.table, args.region, args.endpoint_url)
    repository = TradeInRepository(table, clock)
    tradein = repository.get(digest(args.reference), args.market)
    if tradein is None:
        print(f"no trade-in {args.reference} in {args.market}", file=sys.stderr)
        return 1
    counter = None
    if args.state == COUNTERED:
        price = tradein.offer.price if tradein.offer else None
        if price is None or args.price is None or not args.reason:
            print("a counter-offer needs --price and at least one --reason", file=sys.stderr)
            return 2
        if not 0 < args.price < price.amount:
            print(f"a counter-offer is below the offer ({price.amount})", file=sys.stderr)
            return 2
        counter = Counter(Money(args.price, price.currency), tuple(dict.fromkeys(args.reason)))
    try:
        repository.move(tradein, args.state, counter)
    except MoveRefused:
        allowed = ", ".join(MOVES.get(tradein.status, ())) or "none: it has ended"
        print(f"refused: {tradein.status} cannot become {args.state} (next: {allowed})",
              file=sys.stderr)  # fmt: skip
        return 1
    except CatalogUnavailable as error:
        print(f"DynamoDB: {error}", file=sys.stderr)
        return 1
    print(f"{args.reference} {args.market}: {tradein.status} -> {args.state}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse and run."""
    return run(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
