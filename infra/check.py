"""`python infra/check.py`: the infrastructure agrees with the code, short of deploying it.

- infra/table.yaml has exactly the keys and indexes of keys.table_definition, and a replica
  with point-in-time recovery and deletion protection in every stage's region;
- each stage's .chalice/policy-<stage>.json, the function's only policy, allows GetItem and
  Query on its own table and indexes in its own region, and logging to its own log group;
- infra/merge.json holds no IAM and names no resource Chalice generates;
- cfn-lint passes on infra/*.yaml and infra/*.json and, with --package, on every stage's
  SAM template as `chalice package --merge-template infra/merge.json` writes it (offline
  once the wheels are cached in .chalice/deployments/).

Exit status 1 lists every disagreement. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.catalog import keys  # noqa: E402

INFRA = ROOT / "infra"
CHALICE_DIR = ROOT / ".chalice"
STAGES: dict[str, dict] = json.loads((ROOT / "chalicelib" / "kernel" / "stages.json").read_text())
APP_NAME = "storefront"
READ_ACTIONS = {"dynamodb:GetItem", "dynamodb:Query"}
LOG_ACTIONS = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}
# Logical ids `chalice package` generates; merge.json must not name them (see its header).
CHALICE_RESOURCES = {"APIHandler", "ApiHandlerRole", "RestAPI", "APIHandlerInvokePermission"}


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
    if props.get("TimeToLiveSpecification") != {"AttributeName": "expires_at", "Enabled": True}:
        problems.append("table.yaml: TTL on expires_at is not enabled")
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


def expected_policy_resources(stage: str) -> tuple[set[str], set[str]]:
    """The table ARNs and the log group ARNs a stage's function may use."""
    region, table = STAGES[stage]["region"], STAGES[stage]["table"]
    tables = {
        f"arn:aws:dynamodb:{region}:*:table/{table}",
        f"arn:aws:dynamodb:{region}:*:table/{table}/index/*",
    }
    logs = {f"arn:aws:logs:{region}:*:log-group:/aws/lambda/{APP_NAME}-{stage}:*"}
    return tables, logs


def check_policies(config: dict) -> list[str]:
    """Each stage's policy file: its own table, region and log group, read-only."""
    problems = []
    if config.get("autogen_policy", True):
        problems.append("config.json: autogen_policy must be false (it only reads app.py)")
    if "log_retention_in_days" in json.dumps(config):
        problems.append(
            "config.json: log_retention_in_days breaks `chalice package` (1.34) for a REST API;"
            " infra/merge.json sets the retention"
        )
    for stage in STAGES:
        settings = config["stages"].get(stage)
        if settings is None:
            problems.append(f"config.json: no stage {stage} (chalicelib/kernel/stages.json has it)")
            continue
        table = settings.get("environment_variables", {}).get("TABLE_NAME")
        if table != STAGES[stage]["table"]:
            problems.append(f"config.json: {stage} TABLE_NAME {table!r} but stages.json says")
        name = settings.get("iam_policy_file", f"policy-{stage}.json")
        path = CHALICE_DIR / name
        if not path.exists():
            problems.append(f"{stage}: no policy file .chalice/{name}")
            continue
        tables, logs = expected_policy_resources(stage)
        allowed: dict[str, set[str]] = {}
        for statement in json.loads(path.read_text())["Statement"]:
            if statement.get("Effect") != "Allow" or "NotAction" in statement:
                problems.append(f"{name}: only plain Allow statements are expected")
                continue
            for action in _as_list(statement["Action"]):
                allowed.setdefault(action, set()).update(_as_list(statement["Resource"]))
        for action, resources in sorted(allowed.items()):
            if action in READ_ACTIONS:
                wanted = tables
            elif action in LOG_ACTIONS:
                wanted = logs
            else:
                problems.append(f"{name}: {action} is not needed by the function")
                continue
            if resources != wanted:
                problems.append(f"{name}: {action} on {sorted(resources)}, want {sorted(wanted)}")
        for action in READ_ACTIONS | {"logs:CreateLogStream", "logs:PutLogEvents"}:
            if action not in allowed:
                problems.append(f"{name}: {action} is missing")
    return problems


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
    """Chalice's template for the stage, merged with infra/merge.json, linted and read."""
    out = scratch / stage
    chalice = Path(sys.executable).with_name("chalice")
    env = dict(os.environ, AWS_DEFAULT_REGION=STAGES[stage]["region"])
    command = [str(chalice), "package", "--stage", stage, "--merge-template"]
    result = subprocess.run(
        [*command, str(INFRA / "merge.json"), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return [f"{stage}: chalice package failed:\n{result.stdout}{result.stderr}"]
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
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="infra/check.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--package", action="store_true", help="also package every stage and lint the result"
    )
    args = parser.parse_args(argv)
    config = json.loads((CHALICE_DIR / "config.json").read_text())
    problems = check_table(load_template(INFRA / "table.yaml"))
    problems += check_policies(config)
    problems += check_merge(load_template(INFRA / "merge.json"))
    problems += cfn_lint(sorted([*INFRA.glob("*.yaml"), *INFRA.glob("*.json")]))
    if args.package:
        with tempfile.TemporaryDirectory() as scratch:
            for stage in STAGES:
                problems += check_packaged(stage, Path(scratch))
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    checked = "templates, policies" + (" and packaged stages" if args.package else "")
    print(f"infra: {checked}: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
