"""Running a zip as Lambda would: its own folder, the runtime's boto3, its environment."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six")
# Runs in `python -S -I`: the standard library, then the zip and the runtime's packages.
IMPORT_APP = """
import sys
sys.path[:0] = sys.argv[1:3]
import app
"""


def runtime_site(directory: Path) -> Path:
    """A folder holding only what the Lambda runtime adds to the path: boto3 and its deps."""
    directory.mkdir(parents=True, exist_ok=True)
    for module in RUNTIME_MODULES:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise FileNotFoundError(f"{module} is not installed here")
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        link = directory / source.name
        if not link.exists():
            link.symlink_to(source)
    return directory


def function_environment(stage: str, region: str) -> dict[str, str]:
    """A Chalice stage's environment on Lambda, from .chalice/config.json, with no credentials
    that could reach AWS."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"}
    env.update(config.get("environment_variables", {}))
    env.update(config["stages"].get(stage, {}).get("environment_variables", {}))
    env.update(
        AWS_DEFAULT_REGION=region,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def import_problem(zip_path: Path, stage: str, region: str) -> str | None:
    """Why ``import app`` fails from the unpacked zip in the stage's environment, or None."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(zip_path) as zipped:
        task = Path(tmp) / "task"
        zipped.extractall(task)
        runtime = runtime_site(Path(tmp) / "runtime")
        # Importing must call no AWS service: any call fails at once against this endpoint.
        env = dict(function_environment(stage, region), AWS_ENDPOINT_URL="http://127.0.0.1:9")
        result = subprocess.run(
            [sys.executable, "-B", "-S", "-I", "-c", IMPORT_APP, str(task), str(runtime)],
            capture_output=True,
            text=True,
            env=env,
            cwd=task,
            timeout=120,
        )
    return None if result.returncode == 0 else result.stderr.strip()[-3000:]


# The floor a function's dependencies set: boto3 and a DynamoDB client, in the same bare Python.
RUN_BOTO = """
import json, sys, time
sys.path[:0] = sys.argv[1:2]
started = time.perf_counter()
import boto3
boto3.client("dynamodb")
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def run_boto(runtime: Path, env: dict[str, str]) -> float:
    """Seconds to import boto3 and make a DynamoDB client, as the runtime would."""
    result = subprocess.run(
        [sys.executable, "-B", "-S", "-I", "-c", RUN_BOTO, str(runtime)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]
