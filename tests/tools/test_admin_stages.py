"""The editor's Chalice stages: their environment, their least-privilege policies, their zip.

Each deployed stage runs the shoppers' pages (`eu`) and the marketing editor (`eu-admin`) as
two functions with two roles; `dev` runs both in one. The policies are read as JSON and
held to exactly what docs/deploy.md lists.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chalicelib.admin import keys as admin_keys
from chalicelib.i18n.published import PUBLISHED_PK
from chalicelib.kernel import stages
from chalicelib.kernel.markets import MARKETS
from tests.tools.test_package import _registry_reachable
from tools import coldstart, package, package_prune, package_runtime, stage_config

# Builds share Chalice's dependency cache (.chalice/deployments): one xdist worker runs them.
pytestmark = pytest.mark.xdist_group("package")

ROOT = Path(__file__).resolve().parents[2]
CHALICE = ROOT / ".chalice"
DEPLOYED = ["eu", "us", "ap"]
WRITES = {
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
}
EDITOR_ACTIONS = WRITES | {
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
}


def config() -> dict:
    return json.loads((CHALICE / "config.json").read_text())


def policy_of(name: str) -> list[dict]:
    return json.loads((CHALICE / f"policy-{name}.json").read_text())["Statement"]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def grants(statements: list[dict], table: str) -> list[tuple[str, dict | None]]:
    """(action, condition) of every grant on a table's ARN or its indexes' ARNs."""
    found = []
    for statement in statements:
        assert statement["Effect"] == "Allow" and "NotAction" not in statement
        if any(
            r == table or r.startswith(f"{table}/index/") for r in as_list(statement["Resource"])
        ):
            found += [(a, statement.get("Condition")) for a in as_list(statement["Action"])]
    return found


def table_arn(stage: stages.Stage, table: str) -> str:
    return f"arn:aws:dynamodb:{stage.region}:*:table/{table}"


def test_every_deployed_stage_has_an_editor_stage_and_dev_has_one_function():
    assert list(config()["stages"]) == ["dev", *DEPLOYED, *(f"{s}-admin" for s in DEPLOYED)]
    assert config()["stages"]["dev"]["environment_variables"]["FUNCTION"] == "all"


@pytest.mark.parametrize("name", DEPLOYED)
def test_editor_stage_environment(name):
    stage = stages.get(name)
    settings = config()["stages"][f"{name}-admin"]
    assert settings["environment_variables"] == {
        "STAGE": name,
        "FUNCTION": "admin",
        "TABLE_NAME": stage.table,
        "ADMIN_TABLE_NAME": stage.admin_table,
        "ADMIN_SIGNING_SECRET_PARAMETER": f"/storefront/{name}/admin/signing-secret",
        "PUBLIC_BASE_URL": stage.public_url,
        "CURSOR_SIGNING_SECRET": "{{resolve:ssm:/storefront/" + name + "/cursor-signing-secret}}",
    }
    assert settings["iam_policy_file"] == f"policy-{name}-admin.json"


@pytest.mark.parametrize("name", DEPLOYED)
def test_shoppers_stage_environment_names_the_admin_table_and_no_secret(name):
    env = config()["stages"][name]["environment_variables"]
    assert env["FUNCTION"] == "storefront"
    assert env["ADMIN_TABLE_NAME"] == stages.get(name).admin_table == "storefront-admin"
    assert not {k for k in env if k.startswith("ADMIN_SIGNING_SECRET")}


def test_no_stage_holds_a_literal_secret():
    text = (CHALICE / "config.json").read_text()
    assert '"ADMIN_SIGNING_SECRET"' not in text and '"ADMIN_SIGNING_SECRET_ID"' not in text


@pytest.mark.parametrize("name", DEPLOYED)
def test_shoppers_policy_only_queries_the_published_partition(name):
    stage = stages.get(name)
    statements = policy_of(name)
    admin = grants(statements, table_arn(stage, stage.admin_table))
    leading = {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [PUBLISHED_PK]}}
    assert admin == [("dynamodb:Query", leading)]
    shoppers = ("WriteCarts", "WriteTradeIns", "SealTradeInDetails")
    [statement] = [s for s in statements if "Condition" in s and s["Sid"] not in shoppers]
    assert statement["Resource"] == table_arn(stage, stage.admin_table)  # not its indexes
    catalog = grants(statements, table_arn(stage, stage.table))
    reads = {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}
    trades_in = any(MARKETS[code].trade_in for code in stage.markets)
    writes = {"dynamodb:PutItem", "dynamodb:UpdateItem"} if trades_in else {"dynamodb:PutItem"}
    assert {action for action, _ in catalog} == reads | writes
    # Its writes are a cart's and a trade-in's (tests/tools/test_cart_policy.py evaluates them).
    carts = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["CART#*"]}}
    tradeins = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["TRADEIN#*"]}}
    expected = [("dynamodb:PutItem", carts)]
    if trades_in:
        expected += [("dynamodb:PutItem", tradeins), ("dynamodb:UpdateItem", tradeins)]
    assert [(a, c) for a, c in catalog if a in WRITES] == expected
    actions = {a for s in statements for a in as_list(s["Action"])}
    assert not {a for a in actions if a.startswith(("ssm:", "secretsmanager:"))}
    # KMS: Encrypt for trade-in's sealing, where there is trade-in; never a decrypt.
    assert {a for a in actions if a.startswith("kms:")} == ({"kms:Encrypt"} if trades_in else set())


@pytest.mark.parametrize("name", DEPLOYED)
def test_editor_policy_owns_its_table_reads_the_catalog_and_its_one_secret(name):
    stage = stages.get(name)
    statements = policy_of(f"{name}-admin")
    arn = table_arn(stage, stage.admin_table)
    on_table = [s for s in statements if s["Resource"] == arn]
    assert [set(s["Action"]) for s in on_table] == [EDITOR_ACTIONS]
    indexes = [f"{arn}/index/{i['IndexName']}" for i in admin_keys.table_definition("x")[
        "GlobalSecondaryIndexes"
    ]]  # fmt: skip
    on_indexes = [s for s in statements if s["Resource"] == indexes]
    assert [s["Action"] for s in on_indexes] == [["dynamodb:Query"]]
    catalog = {a for a, _ in grants(statements, table_arn(stage, stage.table))}
    assert catalog == {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
    parameter = f"arn:aws:ssm:{stage.region}:*:parameter/storefront/{name}/admin/signing-secret"
    by_service = {}
    for statement in statements:
        for action in as_list(statement["Action"]):
            by_service.setdefault(action.split(":")[0], []).append((action, statement))
    assert [(a, s["Resource"]) for a, s in by_service["ssm"]] == [("ssm:GetParameter", parameter)]
    [(action, decrypt)] = by_service["kms"]
    assert action == "kms:Decrypt"
    assert decrypt["Condition"]["StringEquals"] == {
        "kms:ViaService": f"ssm.{stage.region}.amazonaws.com"
    }
    assert decrypt["Condition"]["StringLike"] == {"kms:EncryptionContext:PARAMETER_ARN": parameter}
    assert set(by_service) == {"dynamodb", "ssm", "kms", "logs"}
    logs = {s["Resource"] for _, s in by_service["logs"]}
    assert logs == {
        f"arn:aws:logs:{stage.region}:*:log-group:/aws/lambda/storefront-{name}-admin:*"
    }


def test_every_resource_is_in_the_functions_own_region():
    for name, item in stage_config.deployments().items():
        for statement in policy_of(name):
            for resource in as_list(statement["Resource"]):
                assert resource.split(":")[3] == item.stage.region, (name, resource)


def test_dev_serves_both_and_may_read_no_secret_it_does_not_name():
    statements = policy_of("dev")
    stage = stages.get("dev")
    assert {a for a, _ in grants(statements, table_arn(stage, stage.admin_table))} >= EDITOR_ACTIONS
    assert not [s for s in statements if "ssm:GetParameter" in s["Action"]]


def test_check_fails_when_the_committed_files_differ(tmp_path, monkeypatch, capsys):
    for path in CHALICE.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    monkeypatch.setattr(stage_config, "CHALICE_DIR", tmp_path)
    monkeypatch.setattr(stage_config, "CONFIG", tmp_path / "config.json")
    monkeypatch.setattr(stage_config, "ROOT", tmp_path.parent)
    assert stage_config.main(["check"]) == 0
    edited = json.loads((tmp_path / "config.json").read_text())
    edited["stages"]["eu-admin"]["environment_variables"]["FUNCTION"] = "all"
    (tmp_path / "config.json").write_text(json.dumps(edited))
    (tmp_path / "policy-us-admin.json").unlink()
    assert stage_config.main(["check"]) == 1
    assert "2 stale file(s)" in capsys.readouterr().out


# ----------------------------------------------------------------------------- the zip

EDITOR_MODULES = """
import importlib, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
for name in sys.argv[3:]:
    importlib.import_module(name)
from babel.messages.pofile import read_po

with open(sys.argv[1] + "/locales/messages.pot", "rb") as template:
    print(json.dumps(len(read_po(template))))
"""


@pytest.fixture(scope="module")
def editor_package(tmp_path_factory) -> package.Package:
    """The eu editor's package, built once (chalice downloads Linux wheels the first time)."""
    try:
        folder = tmp_path_factory.mktemp("build-eu-admin")
        return package.build("eu-admin", folder, runtime=package_runtime.local())
    except package.PackageError as error:
        if not _registry_reachable():
            pytest.skip(f"the package registry is unreachable, chalice needs it: {error}")
        raise


def test_editor_zip_keeps_babel_messages_and_the_message_list(editor_package):
    with zipfile.ZipFile(editor_package.zip_path) as zipped:
        names = set(zipped.namelist())
    assert {"babel/messages/pofile.pyc", "babel/messages/mofile.pyc"} <= names  # bytecode
    assert "locales/messages.pot" in names
    assert "chalicelib/admin/__init__.pyc" in names
    assert not [n for n in names if n.endswith(".po") or n.split("/")[0] == "boto3"]
    catalogs = {n.split("/")[1] for n in names if n.endswith("/LC_MESSAGES/messages.mo")}
    assert catalogs == set(editor_package.catalogs)
    template = json.loads(editor_package.template_path.read_text())
    variables = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["FUNCTION"] == "admin" and variables["STAGE"] == "eu"
    role = template["Resources"]["ApiHandlerRole"]["Properties"]["Policies"]
    assert [p["PolicyDocument"] for p in role] == [
        json.loads((CHALICE / "policy-eu-admin.json").read_text())
    ]


def test_editor_modules_import_from_the_zip_alone(editor_package, tmp_path_factory):
    """Every editor module imports in a bare Python over the unpacked zip and the runtime."""
    task = coldstart.unpack(editor_package.zip_path, tmp_path_factory.mktemp("task-eu-admin"))
    runtime = coldstart.runtime_site(tmp_path_factory.mktemp("runtime-admin"))
    modules = sorted(
        ".".join(p.relative_to(task).with_suffix("").parts)
        for p in (task / "chalicelib" / "admin").glob("*.pyc")
    )
    env = coldstart.stage_environment("eu-admin", "storefront", "http://127.0.0.1:9")
    result = subprocess.run(
        [sys.executable, "-B", "-S", "-I", "-c", EDITOR_MODULES, str(task), str(runtime)]
        + [m.removesuffix(".__init__") for m in modules],
        capture_output=True,
        text=True,
        env=env,
        cwd=task,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) > 50  # messages in the list


def test_shoppers_prune_leaves_the_editor_out(tmp_path, editor_package):
    """Pruning the editor's zip for the shoppers drops Babel's tooling and the message list."""
    copy = tmp_path / "shoppers.zip"
    copy.write_bytes(editor_package.zip_path.read_bytes())
    package_prune.prune(copy, editor_package.locale_data, editor_package.catalogs, "storefront")
    with zipfile.ZipFile(copy) as zipped:
        names = set(zipped.namelist())
        importers = package_prune.editor_importers(zipped)
    assert not package_prune.editor_only(names)
    assert not [n for n in names if n.startswith("babel/messages/")]
    if not importers:  # composition imports the editor only for FUNCTION=admin or all
        assert not [n for n in names if n.startswith(("chalicelib/admin/", "templates/admin/"))]


def test_a_hand_written_dev_secret_parameter_is_kept_and_granted():
    dev = stage_config.deployment("dev")
    written = {"LOG_LEVEL": "DEBUG", "ADMIN_SIGNING_SECRET_PARAMETER": "/storefront/dev/x"}
    env = stage_config.environment(dev, written)
    assert env["ADMIN_SIGNING_SECRET_PARAMETER"] == "/storefront/dev/x"
    statements = stage_config.policy(dev, env["ADMIN_SIGNING_SECRET_PARAMETER"])["Statement"]
    [read] = [s for s in statements if s["Action"] == ["ssm:GetParameter"]]
    assert read["Resource"] == "arn:aws:ssm:eu-west-3:*:parameter/storefront/dev/x"
    shoppers = stage_config.environment(stage_config.deployment("eu"), written)
    assert "ADMIN_SIGNING_SECRET_PARAMETER" not in shoppers
