"""`python tools/memory_curve.py STAGE`: a function's cold start and warm page at each memory size.

Lambda gives a function CPU in proportion to its memory, one vCPU at 1,769 MB, through the
kernel's CFS quota. This runs the stage's unpacked zip (built for this machine's Python) in a
bare Python placed in a cpu cgroup with the quota of each size, against a moto server that runs
unthrottled, as DynamoDB would. It needs root and a writable cgroup cpu controller; elsewhere
it says so and stops. docs/deploy.md turns the figures into the memory size and its cost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make chalicelib importable
    sys.path.insert(0, str(ROOT))

from tools import coldstart  # noqa: E402
from tools.package import STAGES, build  # noqa: E402
from tools.package_contents import served_markets  # noqa: E402
from tools.package_runtime import local  # noqa: E402

FULL_CPU_MB = 1769  # Lambda's memory size that gets one full vCPU
SIZES_MB = (256, 512, 768, 1024, 1536, 1769)
PERIOD_US = 100_000
CGROUP = Path("/sys/fs/cgroup/cpu")
# arm64 duration and requests, per GB-second and per million (us-east-1; docs/deploy.md).
ARM_GB_SECOND = 0.0000133334
REQUESTS_PER_MILLION = 0.20
RUN = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
events = json.load(sys.stdin)
started = time.perf_counter()
from app import app
app(events[0], None)
cold = time.perf_counter() - started
warm = []
for event in events[1:]:
    started = time.perf_counter()
    assert app(event, None)["statusCode"] == 200
    warm.append(time.perf_counter() - started)
print(json.dumps({"cold": cold, "warm": warm}))
"""


def throttled(size_mb: int) -> Path:
    """A cpu cgroup with the CFS quota Lambda gives a function of this size."""
    group = CGROUP / f"storefront-{size_mb}mb"
    group.mkdir(exist_ok=True)
    share = min(1.0, size_mb / FULL_CPU_MB)
    (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
    (group / "cpu.cfs_quota_us").write_text(str(int(PERIOD_US * share)))
    return group


def run_at(
    size_mb: int, task: Path, runtime: Path, events: list, env: dict, script: str = RUN
) -> dict:
    """Cold start and warm pages of the unpacked zip, at one memory size's CPU."""
    group = throttled(size_mb)

    def enter() -> None:
        (group / "tasks").write_text(str(os.getpid()))

    try:
        result = subprocess.run(
            [sys.executable, "-B", "-S", "-I", "-c", script, str(task), str(runtime)],
            input=json.dumps(events), capture_output=True, text=True, env=env, cwd=task,
            timeout=600, preexec_fn=enter, check=True,
        )  # fmt: skip
    finally:
        if not (group / "tasks").read_text().strip():
            group.rmdir()
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Command line: the curve of one stage."""
    parser = argparse.ArgumentParser(
        prog="tools/memory_curve.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--pages", type=int, default=100, help="warm pages per size (100)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0 or not os.access(CGROUP, os.W_OK):
        print("memory curve: skipped, it needs root and a writable cgroup cpu controller")
        return 0
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server, endpoint = coldstart.start_moto()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            package = build(args.stage, Path(tmp) / "build", runtime=local())
            runtime = coldstart.runtime_site(Path(tmp) / "runtime")
            catalog = coldstart.sample_catalog(args.stage)
            table = f"curve-{args.stage}"
            coldstart.load_table(endpoint, STAGES[args.stage]["region"], table, catalog)
            market = served_markets(args.stage)[0]
            event = coldstart.page_events([market], catalog["products"][0]["id"])[1][2]
            env = coldstart.stage_environment(args.stage, table, endpoint)
            print(
                f"{args.stage}: import + first product page, then {args.pages} warm product pages"
            )
            print(f"{'memory':>8}{'CPU':>7}{'cold':>9}{'restored':>10}{'warm p50':>10}"
                  f"{'GB-s/page':>11}{'$ per M pages':>15}")  # fmt: skip
            for size in SIZES_MB:
                task = coldstart.unpack(package.zip_path, Path(tmp) / f"task-{size}")
                figures = run_at(size, task, runtime, [event] * (args.pages + 1), env)
                # On SnapStart: the after-restore hooks and the first page, Lambda's restore aside.
                restored = run_at(size, task, runtime, [event], env, coldstart.RUN_SNAPSTART)
                warm = statistics.median(figures["warm"])
                # Lambda bills each invocation's duration rounded up to the millisecond.
                billed = (int(warm * 1000) + 1) / 1000 * size / 1024
                cost = billed * 1e6 * ARM_GB_SECOND + REQUESTS_PER_MILLION
                share, cold = min(1, size / FULL_CPU_MB), figures["cold"] * 1e3
                back = restored["seconds"] * 1e3
                print(f"{size:>5} MB{share:>7.2f}{cold:>6.0f} ms{back:>7.0f} ms"
                      f"{warm * 1e3:>7.1f} ms{billed:>11.5f}{cost:>14.3f}", flush=True)  # fmt: skip
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
