"""The Lambda runtime a package is built for, and its bytecode compiled by that runtime's Python.

Chalice 1.34 takes the function's runtime from the Python that runs it
(``Config.lambda_python_version``) and fetches that runtime's wheels. A package for another
runtime runs Chalice with that property (and the architecture) set from the environment, so
Chalice writes the target's runtime into the SAM template and fetches the target's wheels
(MarkupSafe's compiled part for cp312 on aarch64). Bytecode is compiled by a Python of the
target's version when this machine has one; otherwise the zip keeps sources, which the runtime
compiles as it initializes (before the snapshot, on SnapStart). docs/package.md says what a
local test can prove of a package for another runtime.
"""

from __future__ import annotations

import glob
import io
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

# The deployed runtime: SnapStart for Python needs 3.12 or newer; arm64 costs 20% less per
# GB-second and every dependency has an aarch64 wheel or none is needed (docs/deploy.md).
TARGET_PYTHON = "python3.12"
TARGET_ARCHITECTURE = "arm64"
# Kept as sources: the handler module Lambda imports by name (and nothing else needs them).
KEPT_SOURCES = ("app.py",)
OPTIMIZE = 2
RUNTIME_ENV = "STOREFRONT_LAMBDA_PYTHON"
ARCHITECTURE_ENV = "STOREFRONT_LAMBDA_ARCHITECTURE"
# `chalice ...` with the runtime and architecture properties read from the environment.
CHALICE = f"""
import os, sys
from chalice.config import Config
Config.lambda_python_version = property(lambda self: os.environ[{RUNTIME_ENV!r}])
Config.lambda_architecture = property(lambda self: os.environ[{ARCHITECTURE_ENV!r}])
from chalice.deploy import packager
execute = packager.PipRunner._execute
def execute_for_target(self, command, args, *more, **named):
    # Chalice asks pip for the target's wheels by ABI (cp312) but not by Python version, which
    # pip then takes from the Python running it; without it no cp312 wheel matches on 3.11.
    if command == "download" and "--abi" in args and "--python-version" not in args:
        args = [*args, "--python-version", args[args.index("--abi") + 1].removeprefix("cp")]
    return execute(self, command, args, *more, **named)
packager.PipRunner._execute = execute_for_target
from chalice.cli import main
sys.argv[0] = "chalice"
sys.exit(main())
"""
# Run by the target's Python over an unpacked zip: each module compiled to a .pyc in its place
# (a sourceless module), with hash-based headers so the same sources give the same bytes.
COMPILE = """
import py_compile, sys
from pathlib import Path
root = Path(sys.argv[1])
for name in sys.argv[3:]:
    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
    py_compile.compile(str(root / name), cfile=str(root / (name + "c")), dfile=name,
                       doraise=True, invalidation_mode=mode, optimize=int(sys.argv[2]))
"""


@dataclass(frozen=True)
class Runtime:
    """A Lambda runtime: its Python and its processor architecture."""

    python: str  # python3.12
    architecture: str  # arm64 or x86_64

    @property
    def version(self) -> str:
        """The Python version, e.g. ``3.12``."""
        return self.python.removeprefix("python")


TARGET = Runtime(TARGET_PYTHON, TARGET_ARCHITECTURE)


def local() -> Runtime:
    """The runtime of this machine's Python, whose packages this machine can run."""
    machine = platform.machine()
    return Runtime(
        f"python{sys.version_info.major}.{sys.version_info.minor}",
        "arm64" if machine in ("aarch64", "arm64") else "x86_64",
    )


def chalice_command(runtime: Runtime) -> tuple[list[str], dict[str, str]]:
    """The command (and its environment) that runs Chalice as if on the runtime's Python."""
    env = {RUNTIME_ENV: runtime.python, ARCHITECTURE_ENV: runtime.architecture}
    return [sys.executable, "-c", CHALICE], env


def interpreter(runtime: Runtime) -> str | None:
    """A Python of the runtime's version on this machine, or None."""
    if runtime.version == local().version:
        return sys.executable
    name = f"python{runtime.version}"
    candidates = [shutil.which(name), f"/usr/bin/{name}", f"/usr/local/bin/{name}"]
    candidates += sorted(
        glob.glob(os.path.expanduser(f"~/.pyenv/versions/{runtime.version}*/bin/{name}"))
    )
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        check = [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        found = subprocess.run(check, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() == runtime.version:
            return candidate
    return None


def compile_sources(zip_path: Path, python: str) -> int:
    """Replace the zip's modules by their bytecode, compiled by ``python``; how many."""
    from tools.package_prune import write_entry

    with zipfile.ZipFile(zip_path) as zipped:
        entries = [(i, zipped.read(i)) for i in zipped.infolist()]
    sources = [i.filename for i, _ in entries if i.filename.endswith(".py")]
    sources = [n for n in sources if n not in KEPT_SOURCES]
    with tempfile.TemporaryDirectory() as tmp:
        for info, data in entries:
            if info.filename in sources:
                target = Path(tmp, info.filename)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        # -X no_debug_ranges: no column tables (tracebacks keep their lines, lose the carets).
        command = [python, "-I", "-X", "no_debug_ranges", "-c", COMPILE, tmp, str(OPTIMIZE)]
        result = subprocess.run([*command, *sources], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{python} cannot compile the package:\n{result.stderr[-2000:]}")
        compiled = {n + "c": Path(tmp, n + "c").read_bytes() for n in sources}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        written = [
            (info.filename, data, bool((info.external_attr >> 16) & 0o111))
            for info, data in entries
            if info.filename not in sources
        ]
        written += [(name, data, False) for name, data in compiled.items()]
        for name, data, executable in sorted(written):
            write_entry(target, name, data, executable)
    zip_path.write_bytes(buffer.getvalue())
    return len(sources)
