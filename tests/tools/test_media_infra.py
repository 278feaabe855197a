"""The CDN's /media/* behaviour as infra/check.py checks it, on the template and broken copies."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import pytest

from infra.check_media import check_media

INFRA = Path(__file__).resolve().parents[2] / "infra"


@pytest.fixture(scope="module")
def cdn() -> dict:
    spec = importlib.util.spec_from_file_location("infra_check_media", INFRA / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_template(INFRA / "cloudfront.yaml")


def media_behaviour(template: dict) -> dict:
    config = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    return next(b for b in config["CacheBehaviors"] if b["PathPattern"] == "/media/*")


def test_the_template_serves_pictures_privately_and_for_a_year(cdn):
    assert check_media(cdn) == []
    behaviour = media_behaviour(cdn)
    origin = next(
        o
        for o in cdn["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["Origins"]
        if o["Id"] == behaviour["TargetOriginId"]
    )
    assert origin["DomainName"] == {"Fn::GetAtt": ["MediaBucket", "RegionalDomainName"]}
    policy = cdn["Resources"]["MediaCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["DefaultTTL"] >= 365 * 24 * 3600


def _forward_cookies(t):
    keyed = t["Resources"]["MediaCachePolicy"]["Properties"]["CachePolicyConfig"]
    keyed["ParametersInCacheKeyAndForwardedToOrigin"]["CookiesConfig"] = {"CookieBehavior": "all"}


def _forward_queries(t):
    keyed = t["Resources"]["MediaCachePolicy"]["Properties"]["CachePolicyConfig"]
    keyed["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"] = {
        "QueryStringBehavior": "all"
    }


def _short_ttl(t):
    t["Resources"]["MediaCachePolicy"]["Properties"]["CachePolicyConfig"]["DefaultTTL"] = 300


def _no_oac(t):
    config = t["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    origin = next(o for o in config["Origins"] if o.get("Id") == "media")
    del origin["OriginAccessControlId"]


def _unsigned(t):
    oac = t["Resources"]["MediaOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    oac["SigningBehavior"] = "never"


def _public_bucket(t):
    statement = t["Resources"]["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    statement[0]["Principal"] = "*"


def _public_access(t):
    block = t["Resources"]["MediaBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    block["RestrictPublicBuckets"] = False


def _to_the_api(t):
    media_behaviour(t)["TargetOriginId"] = "api"


def _writable(t):
    media_behaviour(t)["AllowedMethods"] = [
        "GET",
        "HEAD",
        "OPTIONS",
        "PUT",
        "POST",
        "PATCH",
        "DELETE",
    ]


def _shadowed(t):
    config = t["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    config["CacheBehaviors"].insert(0, {"PathPattern": "/*", "TargetOriginId": "api"})


def _missing(t):
    config = t["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    config["CacheBehaviors"] = [b for b in config["CacheBehaviors"] if b is not media_behaviour(t)]


BROKEN = {
    "cookies forwarded": (_forward_cookies, "CookiesConfig"),
    "query strings forwarded": (_forward_queries, "QueryStringsConfig"),
    "a short TTL": (_short_ttl, "a year"),
    "no origin access control": (_no_oac, "Origin Access Control"),
    "unsigned requests": (_unsigned, "Origin Access Control"),
    "a public bucket policy": (_public_bucket, "only let this distribution"),
    "public access allowed": (_public_access, "block every public access"),
    "the API as origin": (_to_the_api, "S3 bucket"),
    "writes allowed": (_writable, "GET and HEAD only"),
    "a behaviour before it": (_shadowed, "come before /media/*"),
    "no behaviour": (_missing, "no cache behaviour for /media/*"),
}


@pytest.mark.parametrize("what", BROKEN)
def test_a_broken_media_behaviour_is_reported(cdn, what):
    breaks, message = BROKEN[what]
    template = copy.deepcopy(cdn)
    breaks(template)
    problems = check_media(template)
    assert any(message in p for p in problems), problems
