"""Accounts of the marketing editor on any stage: create (the first admin too), list, disable.

    python tools/accounts.py create --stage eu --email a@b.example --role admin
    python tools/accounts.py create --stage eu --email e@b.example --markets fr-be,nl-be
    python tools/accounts.py list --stage eu
    python tools/accounts.py disable --stage eu --email e@b.example     (ends every session now)
    python tools/accounts.py enable|password --stage eu --email e@b.example

The password is read from standard input when it is not a terminal (``--password-stdin``
style: ``printf %s "$PW" | …``), asked for twice otherwise, or generated and printed once with
``--generate``. It is never an argument, so it stays out of shell history and process lists.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chalicelib.admin.accounts import AccountRepository, normal_email  # noqa: E402
from chalicelib.admin.audit import AuditLog  # noqa: E402
from chalicelib.admin.keys import table_definition  # noqa: E402
from chalicelib.admin.people import People, Refused  # noqa: E402
from chalicelib.kernel import aws, stages  # noqa: E402

ACTOR = "tools/accounts.py"


def admin_table(stage: str, endpoint_url: str | None, create: bool = False) -> Any:
    """The stage's admin table (created when asked and missing: local runs)."""
    found = stages.get(stage)
    table = aws.dynamodb_table(
        found.admin_table, found.region, endpoint_url, budget=aws.LOAD_BUDGET
    )
    if create:
        client = table.meta.client
        try:
            client.describe_table(TableName=found.admin_table)
        except client.exceptions.ResourceNotFoundException:
            client.create_table(**table_definition(found.admin_table))
            client.get_waiter("table_exists").wait(TableName=found.admin_table)
    return table


def generated_password() -> str:
    """A random password of five groups, easy to type once and then change."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(5))


def read_password(generate: bool) -> str:
    """The new password: generated, piped in, or typed twice."""
    if generate:
        return generated_password()
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise Refused("mismatch")
    return first


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(prog="tools/accounts.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["create", "list", "disable", "enable", "password"])
    parser.add_argument("--stage", required=True, choices=list(stages.all_stages()))
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. a local moto server")
    parser.add_argument("--email")
    parser.add_argument("--role", choices=["admin", "editor"], default="editor")
    parser.add_argument("--markets", default="", help="comma-separated, for editors")
    parser.add_argument("--generate", action="store_true", help="generate and print a password")
    parser.add_argument("--create-table", action="store_true", help="create a missing table")
    args = parser.parse_args(argv)
    table = admin_table(args.stage, args.endpoint_url, args.create_table)
    accounts = AccountRepository(table)
    people = People(accounts, AuditLog(table))
    if args.command == "list":
        for account in accounts.all():
            state = "disabled" if account.disabled else "active"
            print(f"{account.email}\t{account.role}\t{','.join(account.markets)}\t{state}")
        return 0
    if not args.email:
        parser.error("--email is needed")
    email = normal_email(args.email)
    try:
        if args.command == "create":
            password = read_password(args.generate)
            markets = [m.strip() for m in args.markets.split(",") if m.strip()]
            people.create(ACTOR, email, args.role, markets, password)
            print(f"created {email} ({args.role}{': ' + ','.join(markets) if markets else ''})")
            if args.generate:
                print(f"password: {password}")
        elif args.command in ("disable", "enable"):
            ended = people.set_disabled(ACTOR, email, args.command == "disable")
            print(f"{args.command}d {email}; {ended} sessions ended")
        else:
            password = read_password(args.generate)
            people.set_password(ACTOR, email, password)
            print(f"new password for {email}; every session ended")
            if args.generate:
                print(f"password: {password}")
    except Refused as refused:
        print(f"error: {refused.code}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
