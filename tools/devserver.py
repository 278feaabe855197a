"""`make run`: an embedded DynamoDB (moto) on loopback, the demo catalog, and chalice local."""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))
DEMO_CATALOG = ROOT / "data" / "demo-catalog.json"
DEMO_MEDIA = ROOT / "build" / "media"  # `make run` draws the demo's pictures there
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


DEMO_ACCOUNTS = (
    ("admin@example.com", "admin", [], "DEV_ADMIN_PASSWORD"),
    ("editor@example.com", "editor", ["fr-be", "nl-be"], "DEV_EDITOR_PASSWORD"),
)


def demo_accounts(stage: str) -> None:
    """The two demo accounts on the embedded table, with their passwords printed."""
    from chalicelib.admin.accounts import AccountRepository
    from chalicelib.admin.audit import AuditLog
    from chalicelib.admin.people import People, Refused
    from tools.accounts import admin_table, generated_password

    if stage != "dev" or not os.environ.get("DYNAMODB_ENDPOINT_URL", "").startswith("http://127."):
        raise SystemExit("demo accounts are for the embedded DynamoDB only")
    table = admin_table(stage, os.environ["DYNAMODB_ENDPOINT_URL"], create=True)
    people = People(AccountRepository(table), AuditLog(table))
    for email, role, markets, variable in DEMO_ACCOUNTS:
        password = os.environ.get(variable) or generated_password()
        try:
            people.create("make run", email, role, markets, password)
        except Refused as refused:
            raise SystemExit(f"{variable}: the password is refused ({refused.code})") from None
        where = f" of {', '.join(markets)}" if markets else ""
        print(f"  {role}{where}: {email}  password: {password}")


def tradein_key(endpoint: str) -> None:
    """The KMS key trade-in seals sellers' details with, in the local moto (a fresh one per run)."""
    import boto3

    from chalicelib.kernel.settings import TRADEIN_KEY_ALIAS

    kms = boto3.client("kms", region_name="eu-west-3", endpoint_url=endpoint)
    key = kms.create_key(Description="storefront trade-in (local)")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=TRADEIN_KEY_ALIAS, TargetKeyId=key)


def main() -> int:
    """Start moto, load the demo catalog, serve the app until Ctrl-C."""
    # Ctrl-C and a plain `kill` both stop cleanly, even when a shell started us with
    # SIGINT ignored (as non-interactive shells do for background jobs).
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    from moto.server import ThreadedMotoServer

    port = int(os.environ.get("PORT", "8000"))
    # Local only: sessions of this run are signed with a secret that dies with it.
    os.environ.setdefault("ADMIN_SIGNING_SECRET", secrets.token_urlsafe(32))
    stage = "dev"
    moto_port = _free_port()
    # moto accepts any credentials; these keep boto3 from looking for real ones.
    os.environ.update(
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION="eu-west-3",
        DYNAMODB_ENDPOINT_URL=f"http://{HOST}:{moto_port}",
        KMS_ENDPOINT_URL=f"http://{HOST}:{moto_port}",  # the same moto seals trade-in details
        TEMPLATES_AUTO_RELOAD="1",  # an edited template shows on the next request
        # The address pages link to, and the origin the editor's forms must come from.
        PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL") or f"http://{HOST}:{port}",
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per DynamoDB call
    server = ThreadedMotoServer(ip_address=HOST, port=moto_port, verbose=False)
    server.start()
    try:
        from chalicelib.catalog.importer.load import load
        from chalicelib.catalog.importer.table import ensure_table
        from chalicelib.kernel import aws, stages
        from tools.load_catalog import progress_printer

        table = aws.dynamodb_table(
            stages.get(stage).table,
            endpoint_url=os.environ["DYNAMODB_ENDPOINT_URL"],
            budget=aws.LOAD_BUDGET,
        )
        ensure_table(table)
        started = time.monotonic()
        data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
        report = load(table, data, progress_printer("loading demo catalog"))
        print(
            f"loaded {report.products} products ({report.items_written} items)"
            f" in {time.monotonic() - started:.1f} s"
        )
        for rejection in report.rejections:
            print(f"rejected: {rejection}", file=sys.stderr)
        demo_accounts(stage)
        tradein_key(os.environ["KMS_ENDPOINT_URL"])
        endpoint = os.environ["DYNAMODB_ENDPOINT_URL"]
        print(
            "trade-in states: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local"
            f" .venv/bin/python tools/tradein.py --table {stages.get(stage).table}"
            f" --endpoint-url {endpoint} REFERENCE MARKET received|checked|countered|paid|…",
            flush=True,
        )
        print(f"storefront on http://{HOST}:{port}/  (Ctrl-C stops it)", flush=True)
        print(f"marketing editor on http://{HOST}:{port}/admin/login", flush=True)
        from chalice.cli import main as chalice_main

        from tools import local_gateway

        local_gateway.install()  # greedy {proxy+} routes, as API Gateway has them
        from tools.devmedia import serve_media_from

        serve_media_from(DEMO_MEDIA)  # /media/*, as the CDN serves the media bucket
        if not DEMO_MEDIA.is_dir():
            print(f"no pictures in {DEMO_MEDIA}: run `make run` (or tools/media.py demo)")

        sys.argv = [
            "chalice",
            "--project-dir",
            str(ROOT),
            "local",
            "--no-autoreload",
            "--host",
            HOST,
            "--port",
            str(port),
            "--stage",
            stage,
        ]
        try:
            chalice_main()
        except SystemExit as done:
            return int(done.code or 0)
        except KeyboardInterrupt:
            pass
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        print("\nstopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
