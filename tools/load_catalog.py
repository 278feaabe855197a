"""Load a catalog JSON file into a storefront table: validated, batched, idempotent.

Usage: python tools/load_catalog.py FILE --table NAME [--region R] [--endpoint-url URL]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402

from chalicelib.catalog.importer.lease import TableBusy  # noqa: E402
from chalicelib.catalog.importer.load import load  # noqa: E402
from chalicelib.catalog.importer.table import ensure_table  # noqa: E402
from chalicelib.catalog.importer.validation import RecordError  # noqa: E402
from chalicelib.kernel import aws  # noqa: E402


def progress_printer(label: str) -> Callable[[int, int, int], None]:
    """A progress callback: one updating line on a terminal, five lines in a log."""
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int, items: int) -> None:
        line = f"{label}: products {done}/{total} · items {items}"
        if interactive:
            print(f"\r{line}", end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done % max(1, total // 5) == 0 or done == total:
            print(line, file=sys.stderr, flush=True)

    return progress


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def table_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that name the table a writer works on, and its lease."""
    parser.add_argument("--table", required=True, help="DynamoDB table name")
    parser.add_argument("--region", help="AWS region (default: from the environment)")
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. a local moto server")
    parser.add_argument(
        "--break-lease",
        action="store_true",
        help="take the table's lease from a load or update that was killed",
    )


def table_of(args: argparse.Namespace) -> Any:
    """The table the options name, with the budget of a writer that no shopper waits for."""
    return aws.dynamodb_table(args.table, args.region, args.endpoint_url, budget=aws.LOAD_BUDGET)


def main(argv: list[str] | None = None) -> int:
    """Command line: load FILE into a table, report rejected records, exit 1 if any."""
    parser = argparse.ArgumentParser(
        prog="tools/load_catalog.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("file", help="catalog JSON file")
    table_arguments(parser)
    parser.add_argument(
        "--create-table", action="store_true", help="create the table if it is missing"
    )
    args = parser.parse_args(argv)

    try:
        with open(args.file, encoding="utf-8") as fileobj:
            data = json.load(fileobj, parse_constant=_refuse_constant)
    except (OSError, ValueError, RecursionError) as error:  # RecursionError: nested too deep
        print(f"error: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    table = table_of(args)
    if args.create_table:
        ensure_table(table)
    progress = progress_printer("loading")
    try:
        report = load(table, data, progress, break_lease=args.break_lease)
    except RecordError as error:
        print(f"error: {error} (nothing was loaded)", file=sys.stderr)
        return 2
    except TableBusy as error:
        print(f"error: {error} (nothing was loaded)", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"error: DynamoDB: {error} (run the load again: it is idempotent)", file=sys.stderr)
        return 2
    for rejection in report.rejections:
        print(f"rejected: {rejection}", file=sys.stderr)
    print(
        f"loaded {report.products} products and {report.buyback_grids} buy-back grids"
        f" into {args.table}:"
        f" {report.items_written} items written, {report.items_deleted} stale items deleted,"
        f" {len(report.rejections)} records rejected",
        file=sys.stderr,
    )
    return 1 if report.rejections else 0


if __name__ == "__main__":
    sys.exit(main())
