"""The editor's infrastructure: its table template, the checks of infra/check.py, the CDN's
/admin routing, the merged SAM template's rule, and the deploy commands short of AWS."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

from chalicelib.admin import keys as admin_keys
from chalicelib.kernel import stages
from tools import deploy

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"


@pytest.fixture(scope="module")
def check():
    """infra/check.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("infra_check", INFRA / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def admin_table(check) -> dict:
    return check.load_template(INFRA / "admin-table.yaml")


@pytest.fixture
def cdn(check) -> dict:
    return check.load_template(INFRA / "cloudfront.yaml")


@pytest.fixture
def config() -> dict:
    return json.loads((ROOT / ".chalice" / "config.json").read_text())


def test_committed_infrastructure_passes_every_check(check, admin_table, cdn, config):
    assert check.check_admin_table(admin_table) == []
    assert check.check_policies(config) == []
    assert check.check_merge(check.load_template(INFRA / "merge.json")) == []
    assert check.check_cdn(cdn) == []


def test_admin_table_is_the_code_s_definition(admin_table):
    expected = admin_keys.table_definition("storefront-admin")
    props = admin_table["Resources"]["Table"]["Properties"]
    assert props["KeySchema"] == expected["KeySchema"]
    assert props["GlobalSecondaryIndexes"] == expected["GlobalSecondaryIndexes"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert admin_table["Resources"]["Table"]["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda p: p.pop("TimeToLiveSpecification"), "TTL on expires_at"),
        (lambda p: p.pop("GlobalSecondaryIndexes"), "GlobalSecondaryIndexes differ"),
        (lambda p: p.pop("PointInTimeRecoverySpecification"), "point-in-time recovery"),
        (lambda p: p.pop("SSESpecification"), "encryption"),
        (lambda p: p.update(BillingMode="PROVISIONED"), "BillingMode"),
    ],
)
def test_admin_table_check_catches(check, admin_table, edit, problem):
    edit(admin_table["Resources"]["Table"]["Properties"])
    assert any(problem in p for p in check.check_admin_table(admin_table))


def _statements(config: dict, name: str) -> list[dict]:
    path = ROOT / ".chalice" / config["stages"][name]["iam_policy_file"]
    return json.loads(path.read_text())["Statement"]


def _check_with(check, config, name, statements) -> list[str]:
    """check_policies with one function's policy file replaced."""

    def read(file: str) -> dict:
        if file == f"policy-{name}.json":
            return {"Version": "2012-10-17", "Statement": statements}
        return json.loads((ROOT / ".chalice" / file).read_text())

    return check.check_policies(config, read)


def test_policy_check_refuses_a_shoppers_write_to_the_admin_table(check, config):
    statements = _statements(config, "eu")
    published = next(s for s in statements if s["Sid"] == "ReadPublishedWording")
    published["Action"] = ["dynamodb:Query", "dynamodb:PutItem"]
    problems = _check_with(check, config, "eu", statements)
    assert any("may only Query PUBLISHED" in p for p in problems)


def test_policy_check_refuses_an_unconditioned_published_query(check, config):
    statements = _statements(config, "us")
    next(s for s in statements if s["Sid"] == "ReadPublishedWording").pop("Condition")
    problems = _check_with(check, config, "us", statements)
    assert any(p.endswith(":table/storefront-admin is not needed") for p in problems)
    assert any("LeadingKeys" in p and "missing" in p for p in problems)


def test_policy_check_refuses_an_editor_write_to_the_catalog(check, config):
    statements = _statements(config, "ap-admin")
    catalog = next(s for s in statements if s["Sid"] == "ReadCatalog")
    catalog["Action"].append("dynamodb:PutItem")
    problems = _check_with(check, config, "ap-admin", statements)
    assert any("writes to the catalog table" in p for p in problems)


def test_policy_check_refuses_an_unconditioned_decrypt(check, config):
    statements = _statements(config, "eu-admin")
    next(s for s in statements if s["Sid"] == "DecryptSigningSecret").pop("Condition")
    problems = _check_with(check, config, "eu-admin", statements)
    assert any("kms:Decrypt" in p and "not needed" in p for p in problems)


def test_environment_check_wants_the_editor_s_function_and_secret(check, config):
    env = config["stages"]["eu-admin"]["environment_variables"]
    env["FUNCTION"] = "all"
    env.pop("ADMIN_SIGNING_SECRET_PARAMETER")
    problems = check.check_policies(config)
    assert any("eu-admin FUNCTION" in p for p in problems)
    assert any("eu-admin ADMIN_SIGNING_SECRET_PARAMETER" in p for p in problems)


def test_merge_rule_names_every_function_s_stack(check):
    merge = check.load_template(INFRA / "merge.json")
    [assertion] = merge["Rules"]["StackIsAStage"]["Assertions"]
    names = set(assertion["Assert"]["Fn::Contains"][0])
    assert {"storefront-eu-admin", "storefront-us-admin", "storefront-ap-admin"} <= names
    assert merge["Resources"]["FunctionLogGroup"]["Properties"]["LogGroupName"] == {
        "Fn::Sub": "/aws/lambda/${AWS::StackName}"
    }
    assertion["Assert"]["Fn::Contains"][0].remove("storefront-us-admin")
    assert any("stack-name rule" in p for p in check.check_merge(merge))


def _behaviour(cdn: dict, path: str) -> dict:
    config = cdn["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    return next(b for b in config["CacheBehaviors"] if b["PathPattern"] == path)


@pytest.mark.parametrize("path", ["/admin", "/admin/*"])
def test_admin_goes_uncached_to_its_own_origin_over_https(check, cdn, path):
    behaviour = _behaviour(cdn, path)
    assert behaviour["CachePolicyId"] == check.CACHING_DISABLED
    forwarded = cdn["Resources"][behaviour["OriginRequestPolicyId"]["Ref"]]["Properties"][
        "OriginRequestPolicyConfig"
    ]
    assert forwarded["CookiesConfig"] == {"CookieBehavior": "all"}
    headers = {h.lower() for h in forwarded["HeadersConfig"]["Headers"]}
    assert {"origin", "referer", "cloudfront-viewer-address"} <= headers
    assert "host" not in headers
    assert behaviour["ViewerProtocolPolicy"] == "https-only"
    assert behaviour["TargetOriginId"] == {"Fn::If": ["HasAdminOrigin", "admin", "api"]}
    assert {"GET", "POST"} <= set(behaviour["AllowedMethods"])


def test_default_behaviour_forwards_no_cookie(cdn):
    config = cdn["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    default = config["DefaultCacheBehavior"]
    assert "OriginRequestPolicyId" not in default
    pages = cdn["Resources"][default["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
    keyed = pages["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keyed["CookiesConfig"] == {"CookieBehavior": "none"}
    assert pages["DefaultTTL"] <= 60 <= pages["MaxTTL"]


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda c: _behaviour(c, "/admin/*").update(CachePolicyId="x"), "/admin/* CachePolicyId"),
        (
            lambda c: _behaviour(c, "/admin").update(ViewerProtocolPolicy="allow-all"),
            "/admin Viewer",
        ),
        (
            lambda c: c["Resources"]["AdminOriginRequestPolicy"]["Properties"][
                "OriginRequestPolicyConfig"
            ]["HeadersConfig"]["Headers"].append("Host"),
            "never Host",
        ),
        (
            lambda c: c["Resources"]["AdminOriginRequestPolicy"]["Properties"][
                "OriginRequestPolicyConfig"
            ]["CookiesConfig"].update(CookieBehavior="none"),
            "session cookie",
        ),
        (
            lambda c: c["Resources"]["Distribution"]["Properties"]["DistributionConfig"][
                "DefaultCacheBehavior"
            ].update(OriginRequestPolicyId="x"),
            "forward no cookie",
        ),
        (
            lambda c: c["Resources"]["Distribution"]["Properties"]["DistributionConfig"][
                "CacheBehaviors"
            ].insert(0, {"PathPattern": "/a*"}),
            "match it",
        ),
    ],
)
def test_cdn_check_catches(check, cdn, edit, problem):
    edit(cdn)
    assert any(problem in p for p in check.check_cdn(cdn))


# ----------------------------------------------------------------------------- deploy commands


@pytest.fixture
def aws(moto_dynamodb):
    """The session's moto, left as found: no bucket or parameter outlives a test."""
    yield
    for region in {s.region for s in stages.all_stages().values()}:
        ssm = boto3.client("ssm", region_name=region)
        names = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
        if names:
            ssm.delete_parameters(Names=names)
    s3 = boto3.client("s3", region_name="us-east-1")
    for bucket in s3.list_buckets()["Buckets"]:
        for item in s3.list_objects_v2(Bucket=bucket["Name"]).get("Contents", []):
            s3.delete_object(Bucket=bucket["Name"], Key=item["Key"])
        s3.delete_bucket(Bucket=bucket["Name"])


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))


@pytest.mark.parametrize(
    "command", [["deploy-admin", "eu"], ["admin-table", "us"], ["admin-secret", "ap"]]
)
def test_admin_commands_refuse_clearly_without_credentials(no_credentials, capsys, command):
    assert deploy.main(command) == 2
    assert "no AWS credentials" in capsys.readouterr().err


def test_dev_has_no_separate_editor_to_deploy(capsys):
    assert deploy.main(["deploy-admin", "dev"]) == 2
    assert "one function" in capsys.readouterr().err


def test_admin_secret_is_a_random_secure_string_never_overwritten_unasked(aws, capsys):
    stage = stages.get("ap")
    session = boto3.Session(region_name=stage.region)
    ssm = session.client("ssm")
    name = deploy.put_admin_secret(stage, session)
    assert name == "/storefront/ap/admin/signing-secret"
    first = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    assert first["Type"] == "SecureString" and len(first["Value"]) >= 32
    with pytest.raises(deploy.DeployError, match="exists"):
        deploy.put_admin_secret(stage, session)
    assert ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"] == first["Value"]
    deploy.put_admin_secret(stage, session, overwrite=True)
    second = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    assert second != first["Value"]
    assert first["Value"] not in capsys.readouterr().out


def test_editor_deploy_refuses_without_its_secret(aws, monkeypatch):
    stage = stages.get("us")
    session = boto3.Session(region_name=stage.region)
    monkeypatch.setattr(deploy, "package", lambda item: pytest.fail("packaged without secret"))
    with pytest.raises(deploy.DeployError, match="make admin-secret STAGE=us"):
        deploy.deploy(stage, session=session, admin=True)


def test_editor_deploys_to_its_own_stack_and_key_prefix(aws, monkeypatch, tmp_path):
    from tests.tools.test_deploy import fake_build

    stage = stages.get("eu")
    session = boto3.Session(region_name=stage.region)
    deploy.put_admin_secret(stage, session, overwrite=True)
    built = []
    folder = fake_build(tmp_path)
    monkeypatch.setattr(deploy, "package", lambda item: built.append(item.name) or folder)
    stacks = []
    monkeypatch.setattr(
        deploy, "apply_stack", lambda cf, name, template, *a: stacks.append(name) or {}
    )
    deploy.deploy(stage, session=session, admin=True)
    assert built == ["eu-admin"] and stacks == ["storefront-eu-admin"]
    s3 = session.client("s3")
    bucket = next(
        b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].endswith(stage.region)
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="eu-admin/")["Contents"]]
    assert len(keys) == 1


def test_admin_table_stack_is_per_stage_in_its_region():
    stage = stages.get("us")
    session = boto3.Session(region_name=stage.region)
    cloudformation = session.client("cloudformation")
    stub = Stubber(cloudformation)
    stub.add_client_error("describe_stacks", "ValidationError", "does not exist", 400)
    stub.add_response(
        "create_change_set",
        {"Id": "cs"},
        {
            "StackName": "storefront-us-admin-table",
            "ChangeSetName": ANY,
            "ChangeSetType": "CREATE",
            "TemplateBody": (INFRA / "admin-table.yaml").read_text(),
            "Capabilities": deploy.CAPABILITIES,
            "Parameters": [{"ParameterKey": "TableName", "ParameterValue": "storefront-admin"}],
        },
    )
    stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE"}, None)
    stub.add_response("execute_change_set", {}, None)
    done = {"StackName": "x", "StackStatus": "CREATE_COMPLETE", "CreationTime": "2026-01-01"}
    stub.add_response("describe_stacks", {"Stacks": [done]}, None)
    stub.add_response("describe_stacks", {"Stacks": [done]}, None)
    stub.activate()
    session.client = lambda name, **kw: cloudformation
    deploy.deploy_admin_table(stage, session)
    stub.assert_no_pending_responses()
    assert cloudformation.meta.region_name == "us-east-1"
