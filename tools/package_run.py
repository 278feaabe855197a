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
RUNTIME_MODULES = (
    "boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six",
    "snapshot_restore_py",  # SnapStart's runtime hooks, in Lambda's Python 3.12+ runtimes
)  # fmt: skip
# Runs in `python -S -I`: the standard library, then the zip and the runtime's packages.
IMPORT_APP = """
import sys
sys.path[:0] = sys.argv[1:3]
import app
"""


class RunFailed(Exception):
    """An unpacked package that failed or printed no result."""


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


def import_problem(
    zip_path: Path, stage: str, region: str, python: str = sys.executable
) -> str | None:
    """Why ``import app`` fails from the unpacked zip in the stage's environment, or None."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(zip_path) as zipped:
        task = Path(tmp) / "task"
        zipped.extractall(task)
        runtime = runtime_site(Path(tmp) / "runtime")
        # Importing must call no AWS service: any call fails at once against this endpoint.
        env = dict(function_environment(stage, region), AWS_ENDPOINT_URL="http://127.0.0.1:9")
        result = subprocess.run(
            [python, "-B", "-S", "-I", "-c", IMPORT_APP, str(task), str(runtime)],
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
client = boto3.client("dynamodb")
if len(sys.argv) > 2:  # and one GetItem, as the first page makes
    client.get_item(TableName=sys.argv[2], Key={"PK": {"S": "-"}, "SK": {"S": "-"}})
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def run_boto(runtime: Path, env: dict[str, str], table: str | None = None) -> float:
    """Seconds to import boto3 and make a DynamoDB client (and a GetItem of ``table``)."""
    read = [table] if table else []
    result = subprocess.run(
        [sys.executable, "-B", "-S", "-I", "-c", RUN_BOTO, str(runtime), *read],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


# Runs in `python -S -I`: the standard library only, then the package and the runtime's
# packages, in the order Lambda puts /var/task and /var/runtime on the path.
RUN_APP = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
events = json.load(sys.stdin)
started = time.perf_counter()
from app import app
responses = [app(event, None) for event in events[:1]]
first = time.perf_counter() - started
responses += [app(event, None) for event in events[1:]]
import babel.localedata
modules = {
    name: getattr(module, "__file__", None)
    for name, module in sorted(sys.modules.items())
    if getattr(module, "__file__", None)
}
print(json.dumps({
    "seconds": first,
    "responses": [
        {"status": r["statusCode"], "body": r["body"], "headers": r["headers"]} for r in responses
    ],
    "locales_loaded": sorted(babel.localedata._cache),
    "modules": modules,
}))
"""


# The same as Lambda runs a SnapStart function: import, the hooks before the snapshot, then in a
# restored copy the hooks after restore and the first page (timed from the restore).
RUN_SNAPSTART = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
events = json.load(sys.stdin)
from app import app
import snapshot_restore_py as hooks
for hook, args, kwargs in reversed(hooks.get_before_snapshot()):
    hook(*args, **kwargs)
snapshot = set(sys.modules)
started = time.perf_counter()
for hook, args, kwargs in hooks.get_after_restore():
    hook(*args, **kwargs)
responses = [app(event, None) for event in events[:1]]
first = time.perf_counter() - started
from chalicelib.kernel import aws
def open_pools():
    clients = [r.meta.client for r in aws._resources.values()]
    return [len(c._endpoint.http_session._manager.pools) for c in clients]
pools = open_pools()
for hook, args, kwargs in hooks.get_after_restore():
    hook(*args, **kwargs)
dropped = open_pools()
responses += [app(event, None) for event in events[1:]]
print(json.dumps({
    "seconds": first,
    "hooks": [len(hooks.get_before_snapshot()), len(hooks.get_after_restore())],
    "responses": [{"status": r["statusCode"], "body": r["body"]} for r in responses],
    "imported_after_restore": sorted(set(sys.modules) - snapshot),
    "pools": [pools, dropped],
}))
"""


def run_app(
    task: Path, runtime: Path, events: list[dict], env: dict[str, str], script: str = RUN_APP
) -> dict:
    """Import the app from an unpacked package in a bare Python and answer the events."""
    result = subprocess.run(
        [sys.executable, "-B", "-S", "-I", "-c", script, str(task), str(runtime)],
        input=json.dumps(events),
        capture_output=True,
        text=True,
        env=env,
        cwd=task,
        timeout=120,
    )
    if result.returncode != 0:
        raise RunFailed(f"the unpacked package failed:\n{result.stderr}")
    # The app logs to stdout too (as on Lambda): the result is the last line.
    lines = result.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        raise RunFailed(f"the unpacked package printed no result:\n{result.stdout}") from None
