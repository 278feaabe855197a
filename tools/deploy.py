"""Deploy a stage to its AWS region, or load a catalog into its table, with your credentials.

    python tools/deploy.py table                    the global table (infra/table.yaml), once
    python tools/deploy.py deploy STAGE             package, upload, create or update the stack
    python tools/deploy.py admin-table STAGE        the stage's editor table (admin-table.yaml)
    python tools/deploy.py admin-secret STAGE [--overwrite]  the editor's signing secret
    python tools/deploy.py deploy-admin STAGE       the stage's editor, its own function and role
    python tools/deploy.py load-catalog STAGE FILE  load a catalog into the stage's table
    python tools/deploy.py update-offers STAGE FEED apply an offer feed to the stage's table

The region, tables and markets of each stage come from chalicelib/stages.json. The catalog
table is one DynamoDB global table with a replica in each stage's region, deployed from
eu-west-3; each stage has its own editor table in its region.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402

from chalicelib.kernel import stages  # noqa: E402
from tools.stage_config import (  # noqa: E402
    Deployment,
    cursor_parameter,
    deployment,
    editor_of,
    secret_parameter,
)

TABLE_STACK = "storefront-table"
TABLE_HOME_REGION = "eu-west-3"
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
SECRET_BYTES = 32


class DeployError(Exception):
    """Something the developer must fix before a deploy can go on."""


def session_for(stage: stages.Stage) -> Any:
    """A boto3 session in the stage's region, refusing clearly when credentials are missing."""
    if not stage.region:
        raise DeployError(f"stage {stage.name} has no region in chalicelib/stages.json")
    # Never wait on the EC2 metadata endpoint of a laptop: credentials come from the
    # environment or a profile.
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    session = boto3.Session(region_name=stage.region)
    if session.get_credentials() is None:
        raise DeployError(
            "no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
            " AWS_SECRET_ACCESS_KEY, for the account of this stage (see docs/deploy.md)"
        )
    return session


def package(item: Deployment) -> Path:
    """Build build/<eu or eu-admin>/ with `make package` (`package-admin`); return the folder."""
    target = "package-admin" if item.function == "admin" else "package"
    subprocess.run(["make", target, f"STAGE={item.stage.name}"], cwd=ROOT, check=True)
    return ROOT / "build" / item.name


def upload(s3: Any, folder: Path, stage: stages.Stage, account: str, prefix: str = "") -> dict:
    """Put the zip in the stage's deployment bucket; return the template pointing at it."""
    bucket = f"storefront-deploy-{account}-{stage.region}"
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError:
        config = {} if stage.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": stage.region}
        }  # fmt: skip
        s3.create_bucket(Bucket=bucket, **config)
    template = json.loads((folder / "sam.json").read_text())
    key = f"{prefix or stage.name}/{uuid.uuid4().hex}.zip"
    s3.upload_file(str(folder / "deployment.zip"), bucket, key)
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{bucket}/{key}"
    return template


def apply_stack(cloudformation: Any, name: str, template: dict | str, parameters=()) -> dict:
    """Create or update a stack through a change set and wait; return its outputs."""
    body = template if isinstance(template, str) else json.dumps(template)
    try:
        cloudformation.describe_stacks(StackName=name)
        kind = "UPDATE"
    except ClientError:
        kind = "CREATE"
    change_set = f"deploy-{uuid.uuid4().hex[:12]}"
    cloudformation.create_change_set(
        StackName=name,
        ChangeSetName=change_set,
        ChangeSetType=kind,
        TemplateBody=body,
        Capabilities=CAPABILITIES,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters],
    )
    waiter = cloudformation.get_waiter("change_set_create_complete")
    try:
        waiter.wait(StackName=name, ChangeSetName=change_set)
    except Exception as error:  # a change set with no changes "fails": nothing to deploy
        described = cloudformation.describe_change_set(StackName=name, ChangeSetName=change_set)
        if "didn't contain changes" not in described.get("StatusReason", ""):
            raise DeployError(f"{name}: {described.get('StatusReason', error)}") from error
    else:
        cloudformation.execute_change_set(StackName=name, ChangeSetName=change_set)
        done = "stack_create_complete" if kind == "CREATE" else "stack_update_complete"
        cloudformation.get_waiter(done).wait(StackName=name)
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def deploy_table(session: Any = None) -> dict:
    """The global table, from its home region; its replicas follow the stages' regions."""
    home = stages.get("eu")
    session = session or session_for(home)
    template = (ROOT / "infra" / "table.yaml").read_text()
    cloudformation = session.client("cloudformation", region_name=TABLE_HOME_REGION)
    return apply_stack(cloudformation, TABLE_STACK, template, [("TableName", home.table)])


def deploy(stage: stages.Stage, session: Any = None, admin: bool = False) -> str:
    """Deploy a stage's shoppers' function, or its editor's, to its region; return its URL."""
    item = editor_of(stage) if admin else deployment(stage.name)
    if admin and item.function != "admin":
        raise DeployError(f"{stage.name} serves its editor from its one function: make deploy")
    session = session or session_for(stage)
    if admin:
        require_secret(session, stage)
    ensure_cursor_secret(session, stage)
    folder = package(item)
    account = session.client("sts").get_caller_identity()["Account"]
    template = upload(session.client("s3"), folder, stage, account, item.name)
    # The stack's name is the function's: its policy logs to /aws/lambda/<that name> only.
    outputs = apply_stack(session.client("cloudformation"), item.function_name, template)
    return outputs.get("EndpointURL", "")


def deploy_admin_table(stage: stages.Stage, session: Any = None) -> dict:
    """The stage's editor table, in the stage's region (infra/admin-table.yaml)."""
    session = session or session_for(stage)
    template = (ROOT / "infra" / "admin-table.yaml").read_text()
    cloudformation = session.client("cloudformation")
    name = f"storefront-{stage.name}-admin-table"
    return apply_stack(cloudformation, name, template, [("TableName", stage.admin_table)])


def put_admin_secret(stage: stages.Stage, session: Any = None, overwrite: bool = False) -> str:
    """Put a new random signing secret for the stage's editor; return the parameter's name."""
    session = session or session_for(stage)
    name = secret_parameter(stage)
    arguments: dict[str, Any] = {
        "Name": name,
        "Description": "Signing secret of the storefront's marketing editor (docs/deploy.md)",
        "Value": secrets.token_urlsafe(SECRET_BYTES),  # 32 random bytes, 43 characters
        "Type": "SecureString",
        "KeyId": "alias/aws/ssm",
        "Overwrite": overwrite,
    }
    if not overwrite:  # SSM takes tags only on creation
        arguments["Tags"] = [{"Key": "app", "Value": "storefront"}]
    try:
        session.client("ssm").put_parameter(**arguments)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterAlreadyExists":
            raise
        raise DeployError(
            f"{name} exists: kept. OVERWRITE=1 replaces it, and whatever the old secret"
            " signed (editors' sessions) stops being valid"
        ) from None
    return name


def require_secret(session: Any, stage: stages.Stage) -> None:
    """Refuse to deploy an editor that could not sign anything."""
    name = secret_parameter(stage)
    filters = [{"Key": "Name", "Option": "Equals", "Values": [name]}]
    found = session.client("ssm").describe_parameters(ParameterFilters=filters)["Parameters"]
    if not found:
        raise DeployError(f"no signing secret {name}: run make admin-secret STAGE={stage.name}")


def ensure_cursor_secret(session: Any, stage: stages.Stage) -> bool:
    """Create the stage's cursor-signing key if it has none; True when it was created.

    A String parameter, not a SecureString: CloudFormation resolves it into the functions'
    environment at deploy time ({{resolve:ssm:…}}, which Lambda's environment cannot take
    from a SecureString), so no function calls SSM. It is kept across deploys: replacing it
    only turns the "next page" links that shoppers hold into the expired-link page.
    """
    ssm = session.client("ssm")
    try:
        ssm.put_parameter(
            Name=cursor_parameter(stage),
            Description="Signs the storefront's pagination cursors (docs/decisions.md)",
            Value=secrets.token_urlsafe(SECRET_BYTES),
            Type="String",
            Overwrite=False,
            Tags=[{"Key": "app", "Value": "storefront"}],
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterAlreadyExists":
            raise
        return False
    return True


def load_catalog(stage: stages.Stage, path: str) -> int:
    """Load a catalog file into the stage's table with the project's loader."""
    from tools import load_catalog

    return load_catalog.main([path, "--table", stage.table, "--region", stage.region])


def update_offers(stage: stages.Stage, path: str) -> int:
    """Apply an offer feed to the stage's table."""
    from tools import update_offers

    return update_offers.main([path, "--table", stage.table, "--region", stage.region])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/deploy.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("table")
    for name in ("deploy", "deploy-admin", "admin-table"):
        commands.add_parser(name).add_argument("stage")
    secret = commands.add_parser("admin-secret")
    secret.add_argument("stage")
    secret.add_argument("--overwrite", action="store_true", help="replace an existing secret")
    load = commands.add_parser("load-catalog")
    load.add_argument("stage")
    load.add_argument("file")
    offers = commands.add_parser("update-offers")
    offers.add_argument("stage")
    offers.add_argument("file")
    args = parser.parse_args(argv)
    try:
        if args.command == "table":
            outputs = deploy_table()
            print(f"table ready: {outputs}")
            return 0
        stage = stages.get(args.stage)
        if args.command in ("deploy", "deploy-admin"):
            admin = args.command == "deploy-admin"
            url = deploy(stage, admin=admin)
            what = f"{stage.name}'s editor" if admin else stage.name
            print(f"{what} ({stage.region}) is live at {url}{'admin/' if admin else ''}")
            return 0
        if args.command == "admin-table":
            print(f"{stage.admin_table} ready in {stage.region}: {deploy_admin_table(stage)}")
            return 0
        if args.command == "admin-secret":
            name = put_admin_secret(stage, overwrite=args.overwrite)
            print(f"{name} ({stage.region}): a new SecureString (its value is printed nowhere)")
            return 0
        session_for(stage)
        if args.command == "update-offers":
            return update_offers(stage, args.file)
        return load_catalog(stage, args.file)
    except (stages.UnknownStage, DeployError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
