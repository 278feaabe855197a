"""`python tools/stage_config.py write|check`: the Chalice config, generated from the stages.

Each stage fact is written once: regions, tables and public addresses in
chalicelib/kernel/stages.json, which markets a stage serves in the market registry. The
environment Chalice gives each stage's function (STAGE, TABLE_NAME) and each stage's IAM
policy file are generated from them; `check` (run by `make test`) fails when they differ.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from chalicelib.kernel import stages  # noqa: E402

CHALICE_DIR = ROOT / ".chalice"
CONFIG = CHALICE_DIR / "config.json"
APP_NAME = "storefront"
# Keys of a stage's environment that are generated; anything else there is kept as written.
GENERATED_ENV = ("STAGE", "TABLE_NAME")
RETIRED_ENV = ("MARKETS",)  # the registry says which markets a stage serves


def policy(stage: stages.Stage) -> dict:
    """The least-privilege policy of a stage's function: read its table, write its logs."""
    table = f"arn:aws:dynamodb:{stage.region}:*:table/{stage.table}"
    log_group = f"arn:aws:logs:{stage.region}:*:log-group:/aws/lambda/{APP_NAME}-{stage.name}:*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadCatalog",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                "Resource": [table, f"{table}/index/*"],
            },
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": log_group,
            },
        ],
    }


def generated() -> dict[Path, str]:
    """Every generated file and its content."""
    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    files: dict[Path, str] = {}
    for name, stage in stages.all_stages().items():
        settings = config["stages"].setdefault(name, {})
        env = settings.setdefault("environment_variables", {})
        for key in RETIRED_ENV:
            env.pop(key, None)
        kept = {k: v for k, v in env.items() if k not in GENERATED_ENV}
        settings["environment_variables"] = {"STAGE": name, "TABLE_NAME": stage.table, **kept}
        settings["iam_policy_file"] = f"policy-{name}.json"
        files[CHALICE_DIR / f"policy-{name}.json"] = _json(policy(stage))
    for name in set(config["stages"]) - set(stages.all_stages()):
        del config["stages"][name]
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
    stale = [path for path, text in generated().items() if _read(path) != text]
    if args == ["write"]:
        for path, text in generated().items():
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
