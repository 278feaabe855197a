"""Apply a refurbisher's offer feed (new prices and stock) to a storefront table.

Usage: python tools/update_offers.py FEED --table NAME [--refurbisher ID] [--region R]
       [--endpoint-url URL]

FEED is JSON (``{"refurbisher": "shop-a", "offers": [{"product", "market", "storage_gb",
"color", "grade", "price", "stock"}, …]}``) or CSV with those columns (and ``refurbisher``, or
``--refurbisher``). Prices are whole minor units (cents, pence, yen). Only the items derived
from the changed offers are rewritten; a row that is not valid, or that names no existing
offer, is refused with its position and the others are applied. A row for one market of a
country with two (fr-be, nl-be) applies to both: one country, one price.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402

from chalicelib.catalog.importer.lease import TableBusy  # noqa: E402
from chalicelib.catalog.importer.offers import update_offers, validate_feed  # noqa: E402
from tools.load_catalog import progress_printer, table_arguments, table_of  # noqa: E402


def read_feed(path: str) -> tuple[list, str | None]:
    """The rows of a feed file and the refurbisher it names, if any."""
    with open(path, encoding="utf-8-sig", newline="") as fileobj:
        if path.lower().endswith(".csv"):
            return list(csv.DictReader(fileobj)), None
        data = json.load(fileobj)
    if isinstance(data, list):
        return data, None
    if not isinstance(data, dict) or not isinstance(data.get("offers"), list):
        raise ValueError('a JSON feed is a list of offers or {"offers": [...]}')
    return data["offers"], data.get("refurbisher")


def main(argv: list[str] | None = None) -> int:
    """Command line: apply FEED to a table, report refused rows, exit 1 if any."""
    parser = argparse.ArgumentParser(
        prog="tools/update_offers.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("feed", help="offer feed, .json or .csv")
    parser.add_argument("--refurbisher", help="the refurbisher, when the feed does not say")
    table_arguments(parser)
    args = parser.parse_args(argv)
    try:
        rows, named = read_feed(args.feed)
    except (OSError, ValueError, RecursionError, csv.Error) as error:
        print(f"error: cannot read {args.feed}: {error}", file=sys.stderr)
        return 2
    changes, refused = validate_feed(rows, args.refurbisher or named)
    table = table_of(args)
    try:
        progress = progress_printer("updating markets")
        report = update_offers(table, changes, progress, break_lease=args.break_lease)
    except (BotoCoreError, ClientError) as error:
        print(f"error: DynamoDB: {error} (run the update again: it is idempotent)", file=sys.stderr)
        return 2
    except TableBusy as error:
        print(f"error: {error} (nothing was changed)", file=sys.stderr)
        return 2
    for rejection in sorted(refused + report.rejections, key=lambda r: r.index):
        print(f"refused: {rejection}", file=sys.stderr)
    print(
        f"updated {report.offers} offers of {report.products} products in {args.table}:"
        f" {report.items_written} items written, {report.items_deleted} deleted,"
        f" {len(refused) + len(report.rejections)} rows refused",
        file=sys.stderr,
    )
    return 1 if refused or report.rejections else 0


if __name__ == "__main__":
    sys.exit(main())
