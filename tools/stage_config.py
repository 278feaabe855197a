"""`python tools/stage_config.py write|check`: the Chalice config, generated from the stages.

Each stage fact is written once: regions, tables and public addresses in
chalicelib/kernel/stages.json, which markets a stage serves in the market registry. Every
deployed stage runs two functions, each a Chalice stage with its own role: the shoppers'
pages (`eu`) and the marketing editor (`eu-admin`); `dev` runs both in one. The environment
Chalice gives each function and each function's IAM policy file are generated from them;
`check` (run by `make test`) fails when they differ.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.kernel import stages  # noqa: E402

CHALICE_DIR = ROOT / ".chalice"
CONFIG = CHALICE_DIR / "config.json"
APP_NAME = "storefront"
LOCAL_STAGE = "dev"  # one function serving shoppers and editors, for local runs
ADMIN_SUFFIX = "-admin"
SECRET_ENV = "ADMIN_SIGNING_SECRET_PARAMETER"
# Keys of a function's environment that are generated; anything else there is kept as written
# (in dev, a hand-written ADMIN_SIGNING_SECRET_PARAMETER too: its policy then may read it).
ADMIN_MEMORY_MB = 1024
GENERATED_ENV = ("STAGE", "FUNCTION", "TABLE_NAME", "ADMIN_TABLE_NAME")
# Generated for deployed stages only: links take their origin from configuration alone
# (stages.json's public_url), and cursors are signed with a key CloudFormation resolves
# from the stage's SSM parameter at deploy time (docs/decisions.md); dev keeps its own.
DEPLOYED_ENV = ("PUBLIC_BASE_URL", "CURSOR_SIGNING_SECRET")
RETIRED_ENV = ("MARKETS",)  # the registry says which markets a stage serves
# What each function may do to the catalog table: shoppers' pages read one item or one
# partition; a cart page reads its products in one batch; the editor's previews render the
# same pages.
CATALOG_READ = {
    "storefront": ("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"),
    "admin": ("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"),
}
CATALOG_READ["all"] = CATALOG_READ["admin"]
# The shoppers' function writes carts, and no other item of the catalog table.
CART_WRITES = ("dynamodb:PutItem",)
# ... and trade-ins: a quote is put, then moved by conditional updates.
TRADEIN_WRITES = ("dynamodb:PutItem", "dynamodb:UpdateItem")
SEAL_CONTEXT_KEYS = ("market", "part", "tradein")  # chalicelib/tradein/accept.py seals with them
# The editor owns the admin table (transactions are authorized item by item).
ADMIN_TABLE_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
LOG_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")


@dataclass(frozen=True)
class Deployment:
    """One Chalice stage: one function and its role, serving the markets of one stage."""

    name: str
    stage: stages.Stage
    function: str  # FUNCTION: "storefront", "admin" or "all"

    @property
    def function_name(self) -> str:
        """The name of the function, of its stack and of its log group's last part."""
        return f"{APP_NAME}-{self.name}"

    @property
    def edits(self) -> bool:
        """Whether the function serves the marketing editor."""
        return self.function in ("admin", "all")


def deployments() -> dict[str, Deployment]:
    """Every Chalice stage: each stage's storefront (dev: everything), then the editors."""
    found = {}
    for name, stage in stages.all_stages().items():
        found[name] = Deployment(name, stage, "all" if name == LOCAL_STAGE else "storefront")
    for name, stage in stages.all_stages().items():
        if name != LOCAL_STAGE:
            found[name + ADMIN_SUFFIX] = Deployment(name + ADMIN_SUFFIX, stage, "admin")
    return found


def deployment(name: str) -> Deployment:
    """The Chalice stage of this name; UnknownStage rather than a silent default."""
    try:
        return deployments()[name]
    except KeyError:
        raise stages.UnknownStage(
            f"unknown stage {name!r}; stages are {', '.join(deployments())}"
        ) from None


def editor_of(stage: stages.Stage) -> Deployment:
    """The function that serves a stage's marketing editor."""
    return deployment(stage.name if stage.name == LOCAL_STAGE else stage.name + ADMIN_SUFFIX)


def secret_parameter(stage: stages.Stage) -> str:
    """The SSM SecureString parameter holding the editor's signing secret of a stage."""
    return f"/{APP_NAME}/{stage.name}/admin/signing-secret"


def cursor_parameter(stage: stages.Stage) -> str:
    """The SSM String parameter holding the key that signs a stage's pagination cursors."""
    return f"/{APP_NAME}/{stage.name}/cursor-signing-secret"


def environment(item: Deployment, written: dict[str, str]) -> dict[str, str]:
    """The function's environment: the generated keys, then what was written by hand."""
    generated = (*GENERATED_ENV, *RETIRED_ENV)
    if item.stage.name != LOCAL_STAGE:
        generated += DEPLOYED_ENV
    kept = {k: v for k, v in written.items() if k not in generated}
    env = {
        "STAGE": item.stage.name,
        "FUNCTION": item.function,
        "TABLE_NAME": item.stage.table,
        "ADMIN_TABLE_NAME": item.stage.admin_table,
    }
    if item.stage.name != LOCAL_STAGE:
        env["PUBLIC_BASE_URL"] = item.stage.public_url
        env["CURSOR_SIGNING_SECRET"] = "{{resolve:ssm:" + cursor_parameter(item.stage) + "}}"
    if item.function == "admin":
        env[SECRET_ENV] = secret_parameter(item.stage)
        kept.pop(SECRET_ENV, None)
    elif item.function == "storefront":
        kept.pop(SECRET_ENV, None)  # the shoppers' function reads no secret
    return {**env, **kept}


def _arn(service: str, region: str, resource: str) -> str:
    # A policy file cannot name the account (docs/deploy.md): `*` stands for it.
    return f"arn:aws:{service}:{region}:*:{resource}"


def _statement(sid: str, actions, resources, condition: dict | None = None) -> dict:
    statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions)}
    statement["Resource"] = resources
    if condition:
        statement["Condition"] = condition
    return statement


def admin_indexes() -> list[str]:
    """The names of the admin table's indexes, from its definition."""
    from chalicelib.admin import keys as admin_keys

    definition = admin_keys.table_definition("admin")
    return [index["IndexName"] for index in definition.get("GlobalSecondaryIndexes", [])]


def cart_condition() -> dict:
    """Writes only to items whose partition key is a cart's (chalicelib/cart/repository.py)."""
    from chalicelib.cart.repository import PREFIX

    return {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{PREFIX}*"]}}


def tradein_condition() -> dict:
    """Writes only to items keyed as trade-ins (chalicelib/tradein/repository.py)."""
    from chalicelib.tradein.repository import PREFIX

    return {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{PREFIX}*"]}}


def sealing_condition() -> dict:
    """Encrypt with the trade-in key only, bound to a trade-in's encryption context."""
    from chalicelib.kernel.settings import TRADEIN_KEY_ALIAS

    return {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": [TRADEIN_KEY_ALIAS]},
        "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": list(SEAL_CONTEXT_KEYS)},
        "Null": {"kms:EncryptionContextKeys": "false"},  # ForAllValues of no context is true
    }


def trades_in(item: Deployment) -> bool:
    """Whether the function serves trade-in pages: shoppers' pages of a stage with trade-in."""
    from chalicelib.kernel.markets import MARKETS

    served = [MARKETS[code] for code in item.stage.markets]
    return item.function in ("storefront", "all") and any(m.trade_in for m in served)


def policy(item: Deployment, secret: str | None = None) -> dict:
    """The least-privilege policy of a function (docs/deploy.md has the table of grants)."""
    region = item.stage.region
    catalog = _arn("dynamodb", region, f"table/{item.stage.table}")
    admin = _arn("dynamodb", region, f"table/{item.stage.admin_table}")
    found = [
        _statement("ReadCatalog", CATALOG_READ[item.function], [catalog, f"{catalog}/index/*"])
    ]
    if item.function in ("storefront", "all"):
        found.append(_statement("WriteCarts", CART_WRITES, catalog, cart_condition()))
    if trades_in(item):
        found.append(_statement("WriteTradeIns", TRADEIN_WRITES, catalog, tradein_condition()))
        # Encrypt only: the function can seal a seller's details, never read them back.
        key = _arn("kms", region, "key/*")
        found.append(_statement("SealTradeInDetails", ["kms:Encrypt"], key, sealing_condition()))
    if item.function == "storefront":
        # One Query on the PUBLISHED partition (i18n/published.py), and nothing else there:
        # no draft, account or session can be read, and nothing written.
        from chalicelib.i18n.published import PUBLISHED_PK

        leading = {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [PUBLISHED_PK]}}
        found.append(_statement("ReadPublishedWording", ["dynamodb:Query"], admin, leading))
    if item.edits:
        indexes = [f"{admin}/index/{name}" for name in admin_indexes()]
        found.append(_statement("EditAdminTable", ADMIN_TABLE_ACTIONS, admin))
        found.append(_statement("QueryAdminIndexes", ["dynamodb:Query"], indexes))
    if item.edits and secret:
        parameter = _arn("ssm", region, f"parameter{secret}")
        found.append(_statement("ReadSigningSecret", ["ssm:GetParameter"], parameter))
        # SSM decrypts with the key on the function's behalf, for this parameter only.
        through_ssm = {
            "StringEquals": {"kms:ViaService": f"ssm.{region}.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:PARAMETER_ARN": parameter},
        }
        key = _arn("kms", region, "key/*")
        found.append(_statement("DecryptSigningSecret", ["kms:Decrypt"], key, through_ssm))
    log_group = _arn("logs", region, f"log-group:/aws/lambda/{item.function_name}:*")
    found.append(_statement("Logs", LOG_ACTIONS, log_group))
    return {"Version": "2012-10-17", "Statement": found}


def generated() -> dict[Path, str]:
    """Every generated file and its content."""
    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    files: dict[Path, str] = {}
    every = deployments()
    for name in set(config["stages"]) - set(every):
        del config["stages"][name]
    for name, item in every.items():
        settings = config["stages"].setdefault(name, {})
        env = environment(item, settings.get("environment_variables", {}))
        settings["environment_variables"] = env
        settings["iam_policy_file"] = f"policy-{name}.json"
        if item.function == "admin":
            # scrypt's 32 MiB fit anywhere; a sign-in's hash wants CPU (docs/admin.md).
            settings["lambda_memory_size"] = ADMIN_MEMORY_MB
        files[CHALICE_DIR / f"policy-{name}.json"] = _json(policy(item, env.get(SECRET_ENV)))
    config["stages"] = {name: config["stages"][name] for name in every}
    files[CONFIG] = _json(config)
    return files


def _json(value: dict) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`write` the generated files, or `check` that they are up to date."""
    args = sys.argv[1:] if argv is None else argv
    if args not in (["write"], ["check"]):
        print(__doc__, file=sys.stderr)
        return 2
    files = generated()
    stale = [path for path, text in files.items() if _read(path) != text]
    if args == ["write"]:
        for path, text in files.items():
            path.write_text(text, encoding="utf-8")
        print(f"stage config: wrote {len(stale)} file(s)")
        return 0
    for path in stale:
        print(f"{path.relative_to(ROOT)} is not what stages.json says: run make stage-config")
    print(f"stage config: {len(stale)} stale file(s)")
    return 1 if stale else 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
