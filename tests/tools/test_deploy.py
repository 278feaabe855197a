"""The deploy commands, short of calling AWS: refusals, uploads, the stack call, loading."""

import io
import json
import zipfile

import boto3
import pytest
from botocore.stub import ANY, Stubber

from chalicelib.catalog import keys
from chalicelib.kernel import stages
from tools import deploy


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))


@pytest.mark.parametrize("command", [["deploy", "eu"], ["load-catalog", "us", "x.json"], ["table"]])
def test_refuses_clearly_without_credentials(no_credentials, capsys, command):
    assert deploy.main(command) == 2
    assert "no AWS credentials" in capsys.readouterr().err


def test_refuses_an_unknown_stage(capsys):
    assert deploy.main(["deploy", "moon"]) == 2
    assert "unknown stage 'moon'" in capsys.readouterr().err


def fake_build(tmp_path):
    folder = tmp_path / "build"
    folder.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "# app")
    (folder / "deployment.zip").write_bytes(buffer.getvalue())
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "APIHandler": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": "./deployment.zip", "Handler": "app.app"},
            }
        },
    }
    (folder / "sam.json").write_text(json.dumps(template))
    return folder


def test_deploy_uploads_the_package_and_applies_the_stack_in_the_stage_region(
    moto_dynamodb, monkeypatch, tmp_path
):
    stage = stages.get("ap")
    folder = fake_build(tmp_path)
    monkeypatch.setattr(deploy, "package", lambda item: folder if item.stage is stage else None)
    session = boto3.Session(region_name=stage.region)
    cloudformation = session.client("cloudformation")
    stub = Stubber(cloudformation)
    stack = "storefront-ap"
    missing = "Stack with id storefront-ap does not exist"
    stub.add_client_error("describe_stacks", "ValidationError", missing, 400)
    stub.add_response(
        "create_change_set",
        {"Id": "cs"},
        {
            "StackName": stack,
            "ChangeSetName": ANY,
            "ChangeSetType": "CREATE",
            "TemplateBody": ANY,
            "Capabilities": deploy.CAPABILITIES,
            "Parameters": [],
        },
    )
    stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE"}, None)
    stub.add_response("execute_change_set", {}, None)
    complete = {"StackName": stack, "StackStatus": "CREATE_COMPLETE", "CreationTime": "2026-01-01"}
    stub.add_response("describe_stacks", {"Stacks": [complete]}, None)
    outputs = [{"OutputKey": "EndpointURL", "OutputValue": "https://abc.execute-api/api/"}]
    stub.add_response("describe_stacks", {"Stacks": [{**complete, "Outputs": outputs}]}, None)
    stub.activate()
    real_client = session.client
    monkeypatch.setattr(
        session,
        "client",
        lambda name, **kw: cloudformation if name == "cloudformation" else real_client(name, **kw),
    )
    uploaded = []
    real_upload = deploy.upload
    monkeypatch.setattr(
        deploy, "upload", lambda *a: uploaded.append(real_upload(*a)) or uploaded[0]
    )
    url = deploy.deploy(stage, session=session)
    assert url == "https://abc.execute-api/api/"
    stub.assert_no_pending_responses()
    code_uri = uploaded[0]["Resources"]["APIHandler"]["Properties"]["CodeUri"]
    s3 = session.client("s3")
    bucket = s3.list_buckets()["Buckets"][0]["Name"]
    assert bucket.endswith(f"-{stage.region}")
    objects = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"].split("/")[0] for o in objects] == ["ap"]
    assert code_uri == f"s3://{bucket}/{objects[0]['Key']}"
    assert cloudformation.meta.region_name == "ap-northeast-1"


def test_load_catalog_writes_to_the_stage_table_in_its_region(moto_dynamodb, tmp_path):
    from tests.catalog.test_importer import catalog, record

    stage = stages.get("us")
    regional = boto3.resource("dynamodb", region_name=stage.region)
    from chalicelib.catalog.importer.table import ensure_table

    ensure_table(regional.Table(stage.table))
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog(record("apple-iphone-13"))))
    assert deploy.main(["load-catalog", "us", str(path)]) == 0
    item = regional.Table(stage.table).get_item(Key=keys.product("en-us", "apple-iphone-13"))
    assert item["Item"]["currency"] == "USD"
