"""infra/cloudfront.yaml's product pictures: /media/* from a private bucket, cached a year.

Called by infra/check.py. What must hold:

- a /media/* behaviour, before any pattern that would match it first, to an S3 origin of
  this template's bucket with Origin Access Control (signing always, sigv4) and no legacy
  origin access identity;
- GET and HEAD only, HTTPS for viewers;
- a cache policy of this template keying on the path alone (no cookie, header or query
  string) with a TTL of at least a year, and no origin request policy forwarding more;
- the bucket private (every public access block on, owner-enforced objects) and readable
  only by this distribution: the one statement allows cloudfront.amazonaws.com to GetObject
  under media/ where AWS:SourceArn is the distribution.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

MEDIA_PATH = "/media/*"
YEAR = 365 * 24 * 3600
PUBLIC_BLOCKS = (
    "BlockPublicAcls",
    "BlockPublicPolicy",
    "IgnorePublicAcls",
    "RestrictPublicBuckets",
)


def _ref(value: Any) -> str | None:
    """The logical id a Ref or GetAtt names, or None."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return (target[0] if isinstance(target, list) else target.split(".")[0]).split(".")[0]
    return None


def check_media(template: dict) -> list[str]:
    """Every way the media behaviour, its origin, cache policy and bucket fall short."""
    resources = template.get("Resources", {})
    config = resources.get("Distribution", {}).get("Properties", {}).get("DistributionConfig", {})
    behaviours = config.get("CacheBehaviors", [])
    patterns = [b.get("PathPattern") for b in behaviours]
    if MEDIA_PATH not in patterns:
        return [f"cloudfront.yaml: no cache behaviour for {MEDIA_PATH}"]
    index = patterns.index(MEDIA_PATH)
    behaviour = behaviours[index]
    problems = []
    shadowing = [p for p in patterns[:index] if fnmatch.fnmatchcase("/media/x.svg", p)]
    if shadowing:
        problems.append(f"cloudfront.yaml: {shadowing} come before {MEDIA_PATH} and match it")
    if sorted(behaviour.get("AllowedMethods", [])) != ["GET", "HEAD"]:
        problems.append(f"cloudfront.yaml: {MEDIA_PATH} must allow GET and HEAD only")
    if behaviour.get("ViewerProtocolPolicy") not in ("redirect-to-https", "https-only"):
        problems.append(f"cloudfront.yaml: {MEDIA_PATH} must serve viewers over HTTPS")
    if "OriginRequestPolicyId" in behaviour:
        problems.append(f"cloudfront.yaml: {MEDIA_PATH} must forward nothing to the bucket")
    problems += _check_cache(resources, behaviour.get("CachePolicyId"))
    origins = {o.get("Id"): o for o in config.get("Origins", []) if isinstance(o, dict)}
    origin = origins.get(behaviour.get("TargetOriginId"))
    if origin is None:
        return [*problems, f"cloudfront.yaml: {MEDIA_PATH} goes to no origin of the template"]
    bucket = _ref(origin.get("DomainName"))
    if "S3OriginConfig" not in origin or resources.get(bucket, {}).get("Type") != "AWS::S3::Bucket":
        return [*problems, f"cloudfront.yaml: {MEDIA_PATH} must go to this template's S3 bucket"]
    if origin["S3OriginConfig"].get("OriginAccessIdentity"):
        problems.append("cloudfront.yaml: the media origin uses a legacy access identity, not OAC")
    problems += _check_oac(resources, _ref(origin.get("OriginAccessControlId")))
    problems += _check_bucket(resources, bucket)
    return problems


def _check_cache(resources: dict, policy_id: Any) -> list[str]:
    policy = resources.get(_ref(policy_id), {}).get("Properties", {}).get("CachePolicyConfig")
    if not policy:
        return [f"cloudfront.yaml: {MEDIA_PATH} has no cache policy of this template"]
    problems = []
    keyed = policy.get("ParametersInCacheKeyAndForwardedToOrigin", {})
    wanted = {
        "CookiesConfig": {"CookieBehavior": "none"},
        "HeadersConfig": {"HeaderBehavior": "none"},
        "QueryStringsConfig": {"QueryStringBehavior": "none"},
    }
    for name, value in wanted.items():
        if keyed.get(name) != value:
            problems.append(f"cloudfront.yaml: {MEDIA_PATH} {name} must be {value}")
    if min(policy.get("DefaultTTL", 0), policy.get("MaxTTL", 0)) < YEAR:
        problems.append(f"cloudfront.yaml: {MEDIA_PATH} needs DefaultTTL and MaxTTL of a year")
    return problems


def _check_oac(resources: dict, name: str | None) -> list[str]:
    oac = resources.get(name, {})
    config = oac.get("Properties", {}).get("OriginAccessControlConfig", {})
    wanted = {"OriginAccessControlOriginType": "s3", "SigningBehavior": "always"}
    wanted["SigningProtocol"] = "sigv4"
    if oac.get("Type") != "AWS::CloudFront::OriginAccessControl" or any(
        config.get(k) != v for k, v in wanted.items()
    ):
        return [f"cloudfront.yaml: the media origin needs Origin Access Control signing {wanted}"]
    return []


def _check_bucket(resources: dict, bucket: str) -> list[str]:
    problems = []
    props = resources[bucket].get("Properties", {})
    blocks = props.get("PublicAccessBlockConfiguration", {})
    if not all(blocks.get(name) is True for name in PUBLIC_BLOCKS):
        problems.append(f"cloudfront.yaml: {bucket} must block every public access")
    rules = props.get("OwnershipControls", {}).get("Rules", [])
    if rules != [{"ObjectOwnership": "BucketOwnerEnforced"}]:
        problems.append(f"cloudfront.yaml: {bucket} must enforce bucket-owner objects (no ACLs)")
    policies = [
        r.get("Properties", {})
        for r in resources.values()
        if r.get("Type") == "AWS::S3::BucketPolicy"
        and _ref(r.get("Properties", {}).get("Bucket")) == bucket
    ]
    statements = [s for p in policies for s in p.get("PolicyDocument", {}).get("Statement", [])]
    distribution_arn = json.dumps(statements and statements[0].get("Condition", {}))
    only = (
        len(statements) == 1
        and statements[0].get("Effect") == "Allow"
        and statements[0].get("Principal") == {"Service": "cloudfront.amazonaws.com"}
        and statements[0].get("Action") in ("s3:GetObject", ["s3:GetObject"])
        and "AWS:SourceArn" in distribution_arn
        and "${Distribution}" in distribution_arn
    )
    if not only:
        problems.append(
            f"cloudfront.yaml: {bucket}'s policy must only let this distribution GetObject"
            " (Principal cloudfront.amazonaws.com, AWS:SourceArn of the distribution)"
        )
    return problems
