"""Product pictures: draw the demo's, and upload a folder of them to a stage's media bucket.

    python tools/media.py demo [OUT]                    # the demo's SVGs into build/media/
    python tools/media.py upload STAGE DIR [--catalog FILE] [--bucket NAME] [--dry-run]

A folder holds the files as the catalog names them (chalicelib/web/media.py): ``{key}.svg``,
or ``{key}-{width}.webp``/``.jpg`` for each stored width of a raster picture. Each file goes
to ``media/{its path}`` in the bucket (CloudFront's /media/* behaviour reads that prefix),
with its Content-Type and a year of immutable caching: keys change with their content, so
a file is never replaced, and one already in the bucket is skipped. With ``--catalog``,
every file the catalog names must be in the folder or the bucket before anything is sent.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.catalog.importer.images import KEY  # noqa: E402
from chalicelib.web.media import CACHE_CONTROL, EXTENSIONS, file_name  # noqa: E402

PREFIX = "media/"  # where the CDN's /media/* finds files in the bucket
DEMO_OUT = ROOT / "build" / "media"
TYPES = {extension: kind for kind, extension in EXTENSIONS.items()}


class MediaError(ValueError):
    """A folder or catalog that cannot be uploaded as it is."""


def bucket_name(account: str, region: str) -> str:
    """The media bucket infra/cloudfront.yaml creates for a stage (one stage per region)."""
    return f"storefront-media-{account}-{region}"


def folder_files(folder: Path) -> dict[str, Path]:
    """Every picture file of a folder by its path there; anything else is refused."""
    files, refused = {}, []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in name.split("/")):
            continue  # .DS_Store, build stamps: never pictures
        stem, _, extension = name.rpartition(".")
        if extension not in TYPES or not KEY.match(stem) or ".." in stem:
            refused.append(name)
        else:
            files[name] = path
    if refused:
        listed = ", ".join(refused[:5]) + (" …" if len(refused) > 5 else "")
        raise MediaError(f"{len(refused)} file(s) are not pictures named by key: {listed}")
    return files


def catalog_files(catalog: dict) -> set[str]:
    """Every file the pictures of a catalog file name: one per SVG, one per raster width."""
    names = set()
    for product in catalog.get("products", []):
        for pictures in (product.get("images") or {}).values():
            for picture in pictures:
                widths = picture.get("widths") or [None]
                names |= {file_name(picture["key"], picture["type"], w) for w in widths}
    return names


def stored(s3: Any, bucket: str) -> dict[str, int]:
    """The media files already in the bucket, with their sizes."""
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PREFIX):
        for item in page.get("Contents", []):
            found[item["Key"][len(PREFIX) :]] = item["Size"]
    return found


@dataclass
class UploadReport:
    """What an upload sent and what it found already there."""

    uploaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def upload(
    s3: Any, bucket: str, folder: Path, catalog: dict | None = None, dry_run: bool = False
) -> UploadReport:
    """Send a folder's pictures that the bucket lacks; refuse first if the catalog's are missing."""
    files = folder_files(folder)
    there = stored(s3, bucket)
    if catalog is not None:
        missing = sorted(catalog_files(catalog) - set(files) - set(there))
        if missing:
            listed = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            raise MediaError(f"the catalog names {len(missing)} file(s) found nowhere: {listed}")
    report = UploadReport()
    for name, path in files.items():
        if there.get(name) == path.stat().st_size:
            report.skipped.append(name)
            continue
        if not dry_run:
            s3.put_object(
                Bucket=bucket,
                Key=PREFIX + name,
                Body=path.read_bytes(),
                ContentType=TYPES[name.rpartition(".")[2]],
                CacheControl=CACHE_CONTROL,
            )
        report.uploaded.append(name)
    return report


def write_demo(out: Path) -> int:
    """Draw every demo product's illustrations into ``out``."""
    from tools.illustrations import write_all

    products = json.loads((ROOT / "data" / "demo" / "products.json").read_text())["products"]
    return write_all(products, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/media.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="draw the demo catalog's pictures")
    demo.add_argument("out", nargs="?", type=Path, default=DEMO_OUT)
    send = commands.add_parser("upload", help="upload a folder of pictures to a stage")
    send.add_argument("stage")
    send.add_argument("folder", type=Path)
    send.add_argument("--catalog", type=Path, help="refuse unless this file's pictures are there")
    send.add_argument("--bucket", help="the bucket (default: the stage's media bucket)")
    send.add_argument("--dry-run", action="store_true", help="list what would be sent")
    args = parser.parse_args(argv)
    if args.command == "demo":
        print(f"wrote {write_demo(args.out)} pictures to {args.out}")
        return 0
    import boto3

    from chalicelib.kernel import stages

    try:
        region = stages.get(args.stage).region
        if not args.folder.is_dir():
            raise MediaError(f"{args.folder} is not a folder")
        catalog = json.loads(args.catalog.read_text(encoding="utf-8")) if args.catalog else None
        account = None if args.bucket else boto3.client("sts").get_caller_identity()["Account"]
        bucket = args.bucket or bucket_name(account, region)
        s3 = boto3.client("s3", region_name=region)
        report = upload(s3, bucket, args.folder, catalog, args.dry_run)
    except (MediaError, stages.UnknownStage) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    verb = "would upload" if args.dry_run else "uploaded"
    print(f"{bucket}: {verb} {len(report.uploaded)}, already there {len(report.skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
