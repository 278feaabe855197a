"""`python infra/check.py`: the infrastructure agrees with the code, short of deploying it.

- infra/table.yaml has exactly the keys and indexes of keys.table_definition, and a replica
  with point-in-time recovery and deletion protection in every stage's region, and TTL on
  keys.TTL_ATTRIBUTE (carts expire by it);
- infra/admin-table.yaml has exactly the keys and indexes of admin/keys.table_definition,
  TTL on expires_at, point-in-time recovery, encryption and deletion protection;
- .chalice/config.json has each stage's functions (`eu` for shoppers, `eu-admin` for the
  editor, `dev` both) with their environment, and no secret; every deployed function has an
  https PUBLIC_BASE_URL (its stage's public_url: links never take their origin from a
  request) and signs cursors with the key CloudFormation resolves from its SSM parameter;
- each function's .chalice/policy-<name>.json, its only policy, grants exactly its needs in its
  own region: shoppers' pages read the catalog and Query the PUBLISHED partition of the admin
  table, nothing else there; the editor owns the admin table, reads the catalog and its one
  signing secret; each logs to its own log group;
- infra/tradein-key.yaml lets the shoppers' function encrypt and the payout role alone decrypt
  (check_key.py);
- infra/merge.json holds no IAM, names no resource Chalice generates, and its stack-name rule
  names every function's stack;
- infra/cloudfront.yaml caches shoppers' pages without cookies and sends /admin uncached to
  the editor, with its cookies, over HTTPS only; it serves /media/* from a private bucket
  through Origin Access Control, keyed on the path alone and cached a year (check_media.py);
- every function runs on SnapStart (a Python 3.12+ runtime, published versions, an alias that
  API Gateway invokes);
- cfn-lint passes on infra/*.yaml and infra/*.json and, with --package, on every stage's
  SAM template as tools/package.py has `chalice package --merge-template infra/merge.json`
  write it for the deployed runtime (offline once the wheels are cached in
  .chalice/deployments/).

Exit status 1 lists every disagreement. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.admin import keys as admin_keys  # noqa: E402
from chalicelib.cart.repository import PREFIX as CART_PREFIX  # noqa: E402
from chalicelib.catalog import keys  # noqa: E402
from chalicelib.i18n.published import PUBLISHED_PK  # noqa: E402
from chalicelib.kernel.markets import MARKETS  # noqa: E402
from chalicelib.kernel.settings import TRADEIN_KEY_ALIAS  # noqa: E402
from chalicelib.tradein.repository import PREFIX as TRADEIN_PREFIX  # noqa: E402
from infra.check_key import check_tradein_key  # noqa: E402
from infra.check_media import check_media  # noqa: E402

INFRA = ROOT / "infra"
CHALICE_DIR = ROOT / ".chalice"
STAGES: dict[str, dict] = json.loads((ROOT / "chalicelib" / "kernel" / "stages.json").read_text())
APP_NAME = "storefront"
LOCAL_STAGE = "dev"
READ_ACTIONS = {"dynamodb:GetItem", "dynamodb:Query"}
BATCH_READ = "dynamodb:BatchGetItem"
ITEM_WRITES = {
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
}
ADMIN_ACTIONS = READ_ACTIONS | ITEM_WRITES | {BATCH_READ, "dynamodb:ConditionCheckItem"}
LOG_ACTIONS = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}
LEADING_PUBLISHED = {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [PUBLISHED_PK]}}
# Shoppers write their carts and nothing else of the catalog table.
LEADING_CARTS = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{CART_PREFIX}*"]}}
# ... and the trade-ins of stages that have trade-in; the KMS key encrypts, never decrypts.
LEADING_TRADEINS = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{TRADEIN_PREFIX}*"]}}
SEALING = {
    "ForAnyValue:StringEquals": {"kms:ResourceAliases": [TRADEIN_KEY_ALIAS]},
    "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["market", "part", "tradein"]},
    "Null": {"kms:EncryptionContextKeys": "false"},
}
SECRET_ENV = "ADMIN_SIGNING_SECRET_PARAMETER"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CloudFront's managed policy
ADMIN_PATHS = ("/admin", "/admin/*")
# What the editor reads of a request (chalicelib/web/origin.py, admin/sessions.py...).
ADMIN_HEADERS = {"origin", "referer", "content-type", "cloudfront-viewer-address"}
# Logical ids `chalice package` generates; merge.json must not name them (see its header).
CHALICE_RESOURCES = {"APIHandler", "ApiHandlerRole", "RestAPI", "APIHandlerInvokePermission"}
# Lambda SnapStart for Python runs on these runtimes, and restores published versions only.
SNAPSTART_RUNTIMES = ("python3.12", "python3.13", "python3.14")
SNAPSTART = {"ApplyOn": "PublishedVersions"}


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that reads CloudFormation's short tags (!Ref, !Sub...) as long forms."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path) -> dict:
    """A CloudFormation template, YAML or JSON, as plain data."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def check_table(template: dict) -> list[str]:
    """infra/table.yaml against keys.table_definition and the stages' regions."""
    problems = []
    expected = keys.table_definition("storefront")
    table = template["Resources"]["Table"]
    props = table["Properties"]
    if table["Type"] != "AWS::DynamoDB::GlobalTable":
        problems.append(f"table.yaml: Table is a {table['Type']}, not a global table")
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if table.get(policy) != "Retain":
            problems.append(f"table.yaml: {policy} is {table.get(policy)!r}, not Retain")
    for name in ("BillingMode", "KeySchema"):
        if props.get(name) != expected[name]:
            problems.append(f"table.yaml: {name} is {props.get(name)}, not {expected[name]}")

    def by_name(items: list[dict], key: str) -> dict:
        return {item[key]: item for item in items}

    if by_name(props["AttributeDefinitions"], "AttributeName") != by_name(
        expected["AttributeDefinitions"], "AttributeName"
    ):
        problems.append("table.yaml: AttributeDefinitions differ from keys.table_definition")
    if by_name(props.get("LocalSecondaryIndexes", []), "IndexName") != by_name(
        expected["LocalSecondaryIndexes"], "IndexName"
    ):
        problems.append("table.yaml: LocalSecondaryIndexes differ from keys.table_definition")
    if props.get("GlobalSecondaryIndexes"):
        problems.append("table.yaml: has global indexes that keys.table_definition does not")
    if props.get("StreamSpecification") != {"StreamViewType": "NEW_AND_OLD_IMAGES"}:
        problems.append("table.yaml: a global table needs a NEW_AND_OLD_IMAGES stream")
    # Carts expire by TTL (chalicelib/cart): the template's attribute must be the code's.
    ttl = {"AttributeName": keys.TTL_ATTRIBUTE, "Enabled": True}
    if props.get("TimeToLiveSpecification") != ttl:
        problems.append(f"table.yaml: TTL on {keys.TTL_ATTRIBUTE} is not enabled")
    replicas = []
    for entry in props["Replicas"]:
        # A replica outside the home region is wrapped in Fn::If [Replicated, replica, NoValue].
        replica = entry["Fn::If"][1] if "Fn::If" in entry else entry
        replicas.append(replica)
        if replica.get("PointInTimeRecoverySpecification") != {"PointInTimeRecoveryEnabled": True}:
            problems.append(f"table.yaml: replica {replica['Region']} has no PITR")
        if replica.get("DeletionProtectionEnabled") is not True:
            problems.append(f"table.yaml: replica {replica['Region']} has no deletion protection")
    regions = {stage["region"] for stage in STAGES.values()}
    if {r["Region"] for r in replicas} != regions:
        problems.append(f"table.yaml: replicas {[r['Region'] for r in replicas]}, stages {regions}")
    return problems


def check_admin_table(template: dict) -> list[str]:
    """infra/admin-table.yaml against admin/keys.table_definition."""
    problems = []
    expected = admin_keys.table_definition("storefront-admin")
    table = template["Resources"]["Table"]
    props = table["Properties"]
    if table["Type"] != "AWS::DynamoDB::Table":
        problems.append(f"admin-table.yaml: Table is a {table['Type']}, not a regional table")
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if table.get(policy) != "Retain":
            problems.append(f"admin-table.yaml: {policy} is {table.get(policy)!r}, not Retain")
    for name in ("BillingMode", "KeySchema"):
        if props.get(name) != expected[name]:
            problems.append(f"admin-table.yaml: {name} is {props.get(name)}, not {expected[name]}")
    for name, key in (
        ("AttributeDefinitions", "AttributeName"),
        ("GlobalSecondaryIndexes", "IndexName"),
        ("LocalSecondaryIndexes", "IndexName"),
    ):
        if _by(props.get(name, []), key) != _by(expected.get(name, []), key):
            problems.append(f"admin-table.yaml: {name} differ from admin keys.table_definition")
    ttl = {"AttributeName": admin_keys.TTL_ATTRIBUTE, "Enabled": True}
    if props.get("TimeToLiveSpecification") != ttl:
        problems.append(f"admin-table.yaml: TTL on {admin_keys.TTL_ATTRIBUTE} is not enabled")
    if props.get("PointInTimeRecoverySpecification") != {"PointInTimeRecoveryEnabled": True}:
        problems.append("admin-table.yaml: no point-in-time recovery")
    if not props.get("SSESpecification", {}).get("SSEEnabled"):
        problems.append("admin-table.yaml: no KMS encryption (SSESpecification)")
    if props.get("DeletionProtectionEnabled") is not True:
        problems.append("admin-table.yaml: no deletion protection")
    return problems


def _by(items: list[dict], key: str) -> dict:
    return {item[key]: item for item in items}


def expected_functions() -> dict[str, tuple[str, str]]:
    """Each Chalice stage's (stage, FUNCTION): dev serves all, other stages two functions."""
    found = {name: (name, "all" if name == LOCAL_STAGE else "storefront") for name in STAGES}
    for name in STAGES:
        if name != LOCAL_STAGE:
            found[f"{name}-admin"] = (name, "admin")
    return found


def secret_parameter(stage: str) -> str:
    """The SSM parameter of the editor's signing secret (docs/deploy.md)."""
    return f"/{APP_NAME}/{stage}/admin/signing-secret"


def _condition(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if value else ""


Grant = tuple[str, str, str]  # action, resource, condition (canonical JSON, or "")


def expected_grants(name: str, secret: str | None) -> set[Grant]:
    """Every (action, resource, condition) a function needs, and so may have."""
    stage, function = expected_functions()[name]
    region, edits = STAGES[stage]["region"], function in ("admin", "all")
    arn = f"arn:aws:dynamodb:{region}:*:table/"
    catalog, admin = arn + STAGES[stage]["table"], arn + STAGES[stage]["admin_table"]
    reads = READ_ACTIONS | {BATCH_READ}
    grants = {(a, r, "") for a in reads for r in (catalog, f"{catalog}/index/*")}
    if function in ("storefront", "all"):
        grants.add(("dynamodb:PutItem", catalog, _condition(LEADING_CARTS)))
        served = [m for m in MARKETS.values() if stage == "dev" or m.stage == stage]
        if any(m.trade_in for m in served):
            for action in ("dynamodb:PutItem", "dynamodb:UpdateItem"):
                grants.add((action, catalog, _condition(LEADING_TRADEINS)))
            key = f"arn:aws:kms:{region}:*:key/*"
            grants.add(("kms:Encrypt", key, _condition(SEALING)))
    if function == "storefront":
        grants.add(("dynamodb:Query", admin, _condition(LEADING_PUBLISHED)))
    if edits:
        grants |= {(a, admin, "") for a in ADMIN_ACTIONS}
        indexes = admin_keys.table_definition("admin").get("GlobalSecondaryIndexes", [])
        grants |= {("dynamodb:Query", f"{admin}/index/{i['IndexName']}", "") for i in indexes}
    if edits and secret:
        parameter = f"arn:aws:ssm:{region}:*:parameter{secret}"
        grants.add(("ssm:GetParameter", parameter, ""))
        via_ssm = {
            "StringEquals": {"kms:ViaService": f"ssm.{region}.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:PARAMETER_ARN": parameter},
        }
        grants.add(("kms:Decrypt", f"arn:aws:kms:{region}:*:key/*", _condition(via_ssm)))
    log_group = f"arn:aws:logs:{region}:*:log-group:/aws/lambda/{APP_NAME}-{name}:*"
    return grants | {(a, log_group, "") for a in LOG_ACTIONS}


def policy_grants(policy: dict) -> tuple[set[Grant], list[str]]:
    """A policy document as grants, and what is not a plain Allow of listed actions."""
    grants: set[Grant] = set()
    problems = []
    for statement in _as_list(policy.get("Statement", [])):
        if statement.get("Effect") != "Allow" or {"NotAction", "NotResource"} & set(statement):
            problems.append("only plain Allow statements are expected")
            continue
        for action in _as_list(statement["Action"]):
            for resource in _as_list(statement["Resource"]):
                grants.add((action, resource, _condition(statement.get("Condition"))))
    return grants, problems


def cursor_reference(stage: str) -> str:
    """The dynamic reference a deployed function's CURSOR_SIGNING_SECRET must be."""
    return "{{resolve:ssm:" + f"/{APP_NAME}/{stage}/cursor-signing-secret" + "}}"


def public_url_problem(name: str, url: Any) -> str | None:
    """Why a deployed function's PUBLIC_BASE_URL is not an https origin, or None."""
    parts = urlsplit(url if isinstance(url, str) else "")
    if parts.scheme == "https" and parts.hostname and not (parts.query or parts.fragment):
        return None
    return (
        f"config.json: {name} needs an https PUBLIC_BASE_URL (its stage's public_url), not {url!r}"
    )


def check_environment(name: str, env: dict) -> list[str]:
    """A function's environment: its stage, function, tables, public address and secrets."""
    stage, function = expected_functions()[name]
    wanted = {
        "STAGE": stage,
        "FUNCTION": function,
        "TABLE_NAME": STAGES[stage]["table"],
        "ADMIN_TABLE_NAME": STAGES[stage]["admin_table"],
    }
    if function == "admin":
        wanted[SECRET_ENV] = secret_parameter(stage)
    problems = []
    if stage != LOCAL_STAGE:
        wanted["CURSOR_SIGNING_SECRET"] = cursor_reference(stage)
        unsafe = public_url_problem(name, env.get("PUBLIC_BASE_URL"))
        if unsafe:
            problems.append(unsafe)
        elif env["PUBLIC_BASE_URL"] != STAGES[stage]["public_url"]:
            problems.append(f"config.json: {name} PUBLIC_BASE_URL is not stages.json's {stage}")
    elif env.get("CURSOR_SIGNING_SECRET"):
        problems.append(
            f"config.json: {name} CURSOR_SIGNING_SECRET is a secret; git must not hold it"
        )
    problems += [
        f"config.json: {name} {key} is {env.get(key)!r}, not {value!r}"
        for key, value in wanted.items()
        if env.get(key) != value
    ]
    if function == "storefront" and {SECRET_ENV, "ADMIN_SIGNING_SECRET_ID"} & set(env):
        problems.append(f"config.json: {name} serves shoppers and must read no signing secret")
    return problems


def _read_policy(file: str) -> dict:
    return json.loads((CHALICE_DIR / file).read_text())


def check_policies(config: dict, read_policy=_read_policy) -> list[str]:
    """Each function's environment and policy file: exactly what it needs, in its region."""
    problems = []
    if config.get("autogen_policy", True):
        problems.append("config.json: autogen_policy must be false (it only reads app.py)")
    if "log_retention_in_days" in json.dumps(config):
        problems.append(
            "config.json: log_retention_in_days breaks `chalice package` (1.34) for a REST API;"
            " infra/merge.json sets the retention"
        )
    if "ADMIN_SIGNING_SECRET" in {*config.get("environment_variables", {}), *_stage_envs(config)}:
        problems.append("config.json: ADMIN_SIGNING_SECRET is a secret; git must not hold it")
    functions = expected_functions()
    for name in sorted(set(config["stages"]) - set(functions)):
        problems.append(f"config.json: stage {name} is no function of stages.json's stages")
    for name, (stage, function) in functions.items():
        settings = config["stages"].get(name)
        if settings is None:
            problems.append(f"config.json: no stage {name} (stages.json's {stage} needs it)")
            continue
        env = settings.get("environment_variables", {})
        problems += check_environment(name, env)
        file = settings.get("iam_policy_file")
        if file != f"policy-{name}.json" or not (CHALICE_DIR / file).exists():
            problems.append(f"config.json: {name} has no policy file .chalice/policy-{name}.json")
            continue
        grants, malformed = policy_grants(read_policy(file))
        problems += [f"{file}: {problem}" for problem in malformed]
        wanted = expected_grants(name, env.get(SECRET_ENV))
        for action, resource, condition in sorted(grants - wanted):
            problems.append(f"{file}: {_grant(action, resource, condition)} is not needed")
            if action in ITEM_WRITES and _on_table(resource, STAGES[stage]["table"]):
                problems.append(
                    f"{file}: writes to the catalog table beyond carts and trade-ins; "
                    "only loaders may"
                )
            if function == "storefront" and _on_table(resource, STAGES[stage]["admin_table"]):
                problems.append(f"{file}: the shoppers' function may only Query PUBLISHED")
        for action, resource, condition in sorted(wanted - grants):
            problems.append(f"{file}: {_grant(action, resource, condition)} is missing")
    return problems


def _on_table(resource: str, table: str) -> bool:
    """Whether an ARN (or a pattern) names the table or one of its indexes."""
    name = resource.split(":table/", 1)[-1] if ":table/" in resource else None
    return name is not None and (name == table or name.startswith((f"{table}/", "*")))


def _grant(action: str, resource: str, condition: str) -> str:
    return f"{action} on {resource}" + (f" if {condition}" if condition else "")


def _stage_envs(config: dict) -> set[str]:
    return {key for s in config["stages"].values() for key in s.get("environment_variables", {})}


def _names(value: Any) -> set[str]:
    """Every Ref, GetAtt and ${...} target in a template fragment."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(_as_list(inner)[0].split(".")[0])
            elif key == "Fn::Sub":
                text = _as_list(inner)[0]
                found.update(part.split("}")[0].split(".")[0] for part in text.split("${")[1:])
            found |= _names(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _names(inner)
    return found


def check_merge(template: dict) -> list[str]:
    """infra/merge.json adds to Chalice's template without touching what Chalice generates."""
    problems = []
    resources = template.get("Resources", {})
    for name, resource in resources.items():
        if resource.get("Type", "").startswith("AWS::IAM::"):
            problems.append(f"merge.json: {name} is IAM; the policy files are the one source")
    touched = (set(resources) | _names(template)) & CHALICE_RESOURCES
    if touched:
        problems.append(f"merge.json: names Chalice's {sorted(touched)}; it must stand alone")
    function = template.get("Globals", {}).get("Function", {})
    if function.get("SnapStart") != SNAPSTART or not function.get("AutoPublishAlias"):
        problems.append("merge.json: functions need SnapStart on published versions and an alias")
    stacks = {f"{APP_NAME}-{name}" for name in expected_functions()}
    rule = template.get("Rules", {}).get("StackIsAStage", {}).get("Assertions", [{}])[0]
    named = rule.get("Assert", {}).get("Fn::Contains", [[]])[0]
    if set(named) != stacks:
        problems.append(f"merge.json: the stack-name rule names {sorted(named)}, not {stacks}")
    return problems


def check_cdn(template: dict) -> list[str]:
    """Pages cached without cookies; the editor uncached, with its cookies, over HTTPS."""
    problems = []
    resources = template["Resources"]
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    default = config["DefaultCacheBehavior"]
    pages = resources.get(default.get("CachePolicyId", {}).get("Ref", ""), {})
    pages = pages.get("Properties", {}).get("CachePolicyConfig", {})
    keyed = pages.get("ParametersInCacheKeyAndForwardedToOrigin", {})
    if keyed.get("CookiesConfig") != {"CookieBehavior": "none"} or "OriginRequestPolicyId" in (
        default
    ):
        problems.append("cloudfront.yaml: the default behaviour must forward no cookie")
    if keyed.get("HeadersConfig") != {"HeaderBehavior": "none"}:
        problems.append("cloudfront.yaml: the default behaviour must key on no header")
    if not (pages.get("DefaultTTL", 0) <= 60 and pages.get("MaxTTL", 0) >= 30):
        problems.append("cloudfront.yaml: pages need DefaultTTL <= 60 s and MaxTTL >= 30 s")
    behaviours = config.get("CacheBehaviors", [])
    patterns = [b["PathPattern"] for b in behaviours]
    for path in ADMIN_PATHS:
        if path not in patterns:
            problems.append(f"cloudfront.yaml: no cache behaviour for {path}")
            continue
        index = patterns.index(path)
        behaviour = behaviours[index]
        shadowing = [p for p in patterns[:index] if fnmatch.fnmatchcase("/admin/x", p)]
        if shadowing:
            problems.append(f"cloudfront.yaml: {shadowing} come before {path} and match it")
        wanted = {"CachePolicyId": CACHING_DISABLED, "ViewerProtocolPolicy": "https-only"}
        for key, value in wanted.items():
            if behaviour.get(key) != value:
                problems.append(f"cloudfront.yaml: {path} {key} is {behaviour.get(key)!r}")
        problems += _check_admin_forwarding(path, resources, behaviour.get("OriginRequestPolicyId"))
        if "POST" not in behaviour.get("AllowedMethods", []):
            problems.append(f"cloudfront.yaml: {path} does not allow the editor's forms (POST)")
        if "admin" not in json.dumps(behaviour.get("TargetOriginId")):
            problems.append(f"cloudfront.yaml: {path} does not go to the admin origin")
    return problems


def _check_admin_forwarding(path: str, resources: dict, policy_id: Any) -> list[str]:
    """The editor's origin request policy: all cookies and query strings, its headers, no Host."""
    name = policy_id.get("Ref") if isinstance(policy_id, dict) else None
    config = resources.get(name, {}).get("Properties", {}).get("OriginRequestPolicyConfig", {})
    if not config:
        return [f"cloudfront.yaml: {path} has no origin request policy of this template"]
    problems = []
    if config.get("CookiesConfig", {}).get("CookieBehavior") != "all":
        problems.append(f"cloudfront.yaml: {path} does not forward the session cookie")
    if config.get("QueryStringsConfig", {}).get("QueryStringBehavior") != "all":
        problems.append(f"cloudfront.yaml: {path} does not forward every query string")
    headers = config.get("HeadersConfig", {})
    forwarded = {h.lower() for h in headers.get("Headers", [])}
    if headers.get("HeaderBehavior") != "whitelist" or "host" in forwarded:
        problems.append(f"cloudfront.yaml: {path} must forward listed headers, never Host")
    if ADMIN_HEADERS - forwarded:
        problems.append(f"cloudfront.yaml: {path} drops {sorted(ADMIN_HEADERS - forwarded)}")
    return problems


def cfn_lint(paths: list[Path]) -> list[str]:
    """cfn-lint's findings, errors and warnings alike."""
    linter = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(linter), *map(str, paths)], cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode == 0:
        return []
    return [f"cfn-lint:\n{result.stdout}{result.stderr}".rstrip()]


def check_packaged(stage: str, scratch: Path) -> list[str]:
    """Chalice's template for the function, merged with infra/merge.json, linted and read."""
    from tools.package import PackageError, chalice_package
    from tools.package_runtime import TARGET

    out = scratch / stage
    try:  # as tools/package.py runs it: for the deployed runtime, the API on the alias
        chalice_package(stage, out, TARGET)
    except PackageError as error:
        return [f"{stage}: {error}"]
    template_path = out / "sam.json"  # a JSON merge template keeps Chalice writing JSON
    problems = [f"{stage}: {p}" for p in cfn_lint([template_path])]
    template = load_template(template_path)
    function = template["Resources"]["APIHandler"]
    logging = template.get("Globals", {}).get("Function", {}).get("LoggingConfig", {})
    if function["Properties"].get("LoggingConfig") or logging.get("LogGroup") != {
        "Ref": "FunctionLogGroup"
    }:
        problems.append(f"{stage}: the function does not log to merge.json's FunctionLogGroup")
    role = template["Resources"]["ApiHandlerRole"]["Properties"]
    policies = [p["PolicyDocument"] for p in role.get("Policies", [])]
    own = json.loads((CHALICE_DIR / f"policy-{stage}.json").read_text())
    if policies != [own]:
        problems.append(f"{stage}: the packaged role's policy is not .chalice/policy-{stage}.json")
    problems += [f"{stage}: {p}" for p in check_snapstart(template)]
    variables = function["Properties"].get("Environment", {}).get("Variables", {})
    if variables.get("FUNCTION") != expected_functions()[stage][1]:
        problems.append(f"{stage}: the packaged function's FUNCTION is {variables.get('FUNCTION')}")
    return problems


def check_snapstart(template: dict) -> list[str]:
    """The function runs on SnapStart, and API Gateway invokes its alias, never $LATEST."""
    problems = []
    function = template["Resources"]["APIHandler"]["Properties"]
    settings = {**template.get("Globals", {}).get("Function", {}), **function}
    if settings.get("Runtime") not in SNAPSTART_RUNTIMES:
        problems.append(f"runtime {settings.get('Runtime')} has no SnapStart for Python")
    if settings.get("SnapStart") != SNAPSTART:
        problems.append("SnapStart is not on for published versions")
    alias = settings.get("AutoPublishAlias")
    logical = f"APIHandlerAlias{alias}"
    api = json.dumps(template["Resources"].get("RestAPI", {}))
    if not alias or "${APIHandler.Arn}" in api or f"${{{logical}}}" not in api:
        problems.append("API Gateway does not invoke the function's published alias")
    permission = template["Resources"].get("APIHandlerInvokePermission", {}).get("Properties", {})
    if permission.get("FunctionName") != {"Ref": logical}:
        problems.append("API Gateway's permission is not on the function's alias")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="infra/check.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--package", action="store_true", help="also package every stage and lint the result"
    )
    args = parser.parse_args(argv)
    config = json.loads((CHALICE_DIR / "config.json").read_text())
    problems = check_table(load_template(INFRA / "table.yaml"))
    problems += check_admin_table(load_template(INFRA / "admin-table.yaml"))
    problems += check_policies(config)
    problems += check_merge(load_template(INFRA / "merge.json"))
    context_keys = SEALING["ForAllValues:StringEquals"]["kms:EncryptionContextKeys"]
    problems += check_tradein_key(load_template(INFRA / "tradein-key.yaml"), context_keys)
    cdn = load_template(INFRA / "cloudfront.yaml")
    problems += check_cdn(cdn) + check_media(cdn)
    problems += cfn_lint(sorted([*INFRA.glob("*.yaml"), *INFRA.glob("*.json")]))
    if args.package:
        with tempfile.TemporaryDirectory() as scratch:
            for stage in expected_functions():
                problems += check_packaged(stage, Path(scratch))
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    checked = "templates, policies" + (" and packaged stages" if args.package else "")
    print(f"infra: {checked}: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
