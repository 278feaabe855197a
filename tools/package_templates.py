"""Templates compiled at package time: Jinja2 modules the function imports instead of parsing.

`chalicelib/web/render.py` loads `templates_compiled/` through a ModuleLoader when the folder
is there (only in a package: the source tree and the dev server read templates/ directly), and
falls back to the template file for anything not compiled. The modules are Python source,
so they do not depend on the Python version that builds them (docs/package.md).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from chalicelib.web.render import COMPILED_DIR_NAME, MANIFEST

# The editor's templates go only into a zip that serves the editor.
EDITOR_TEMPLATES = "admin/"
# Read as a file by chalicelib/web/security.py (the hash of its inline script), so it stays.
READ_AS_FILES = ("base.html",)


def compiled_templates(edits: bool) -> dict[str, bytes]:
    """Every template the function renders, compiled: zip entry name -> module source."""
    from chalicelib.composition import TEMPLATE_GLOBALS
    from chalicelib.web.render import Renderer

    environment = Renderer(TEMPLATE_GLOBALS).environment
    names = [n for n in environment.list_templates() if edits or not n.startswith(EDITOR_TEMPLATES)]
    with tempfile.TemporaryDirectory() as tmp:
        environment.compile_templates(tmp, zip=None, filter_func=names.__contains__,
                                      ignore_errors=False)  # fmt: skip
        files = {
            f"{COMPILED_DIR_NAME}/{p.name}": p.read_bytes() for p in sorted(Path(tmp).iterdir())
        }
    files[f"{COMPILED_DIR_NAME}/{MANIFEST}"] = ("\n".join(sorted(names)) + "\n").encode()
    return files


def compiled_sources(compiled: dict[str, bytes]) -> frozenset[str]:
    """The template files a zip no longer needs once their modules are in it."""
    names = compiled[f"{COMPILED_DIR_NAME}/{MANIFEST}"].decode().split()
    return frozenset(f"templates/{name}" for name in names if name not in READ_AS_FILES)
