"""tools/media.py against moto's S3: what a stage's media bucket receives, and what it refuses."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from tools import media

REGION = "eu-west-3"
KEY = "products/apple-iphone-13/blue-1.3f9a2c1d07"
PHOTO = "products/apple-iphone-13/pink-1.v2"


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        yield client


@pytest.fixture
def bucket(s3) -> str:
    account = boto3.client("sts", region_name=REGION).get_caller_identity()["Account"]
    name = media.bucket_name(account, REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield name
    # Inside the suite's one moto session the bucket outlives this test: empty and drop it.
    for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=item["Key"])
    s3.delete_bucket(Bucket=name)


@pytest.fixture
def folder(tmp_path):
    """A folder as the loader's catalog names its files: one SVG, one photo at two widths."""
    for name, content in (
        (f"{KEY}.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        (f"{PHOTO}-320.webp", b"RIFF-small"),
        (f"{PHOTO}-640.webp", b"RIFF-larger-one"),
        (".DS_Store", b"junk"),
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return tmp_path


def catalog(*pictures: dict) -> dict:
    return {"products": [{"id": "apple-iphone-13", "images": {"blue": list(pictures)}}]}


SVG = {"key": KEY, "type": "image/svg+xml", "width": 480, "height": 360}
WEBP = {"key": PHOTO, "type": "image/webp", "widths": [320, 640], "width": 640, "height": 480}


def test_each_file_goes_under_media_with_its_type_and_a_year_of_caching(s3, bucket, folder):
    report = media.upload(s3, bucket, folder, catalog(SVG, WEBP))
    assert sorted(report.uploaded) == [f"{KEY}.svg", f"{PHOTO}-320.webp", f"{PHOTO}-640.webp"]
    for name, kind in ((f"{KEY}.svg", "image/svg+xml"), (f"{PHOTO}-640.webp", "image/webp")):
        head = s3.head_object(Bucket=bucket, Key=f"media/{name}")
        assert head["ContentType"] == kind
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
    body = s3.get_object(Bucket=bucket, Key=f"media/{PHOTO}-640.webp")["Body"].read()
    assert body == b"RIFF-larger-one"
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert {o["Key"] for o in listed} == {f"media/{n}" for n in report.uploaded}  # no .DS_Store


def test_files_already_there_are_not_sent_again(s3, bucket, folder):
    media.upload(s3, bucket, folder)
    again = media.upload(s3, bucket, folder)
    assert again.uploaded == [] and len(again.skipped) == 3


def test_a_dry_run_sends_nothing(s3, bucket, folder):
    report = media.upload(s3, bucket, folder, dry_run=True)
    assert len(report.uploaded) == 3
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_a_catalog_picture_found_nowhere_stops_the_upload_before_it_starts(s3, bucket, folder):
    wider = {**WEBP, "widths": [320, 640, 960]}
    with pytest.raises(media.MediaError, match=rf"1 file\(s\) found nowhere: {PHOTO}-960.webp"):
        media.upload(s3, bucket, folder, catalog(SVG, wider))
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


@pytest.mark.parametrize("name", ["products/a b.svg", "products/photo.png", "products/x.svg.bak"])
def test_a_file_that_no_catalog_could_name_is_refused(s3, bucket, folder, name):
    (folder / name).write_bytes(b"x")
    with pytest.raises(media.MediaError, match="not pictures named by key"):
        media.upload(s3, bucket, folder)


def test_the_command_uploads_to_the_stage_bucket(s3, bucket, folder, tmp_path_factory, capsys):
    file = tmp_path_factory.mktemp("catalog") / "catalog.json"
    file.write_text(json.dumps(catalog(SVG, WEBP)))
    assert media.main(["upload", "eu", str(folder), "--catalog", str(file)]) == 0
    assert f"{bucket}: uploaded 3, already there 0" in capsys.readouterr().out
    assert media.main(["upload", "nowhere", str(folder)]) == 2
    assert "unknown stage" in capsys.readouterr().err


def test_the_demo_pictures_are_the_files_the_demo_catalog_names(demo_catalog, tmp_path):
    assert media.main(["demo", str(tmp_path)]) == 0
    files = media.folder_files(tmp_path)
    assert media.catalog_files(demo_catalog) == set(files)
