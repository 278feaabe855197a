"""Every page type is valid HTML, as the Nu Html Checker (vnu.jar) reads it.

The pages of a few markets that stress the templates most (long words, CJK, Greek, two
languages of one country, SEK) are rendered by the app, written to files and checked in one
run of the checker (one JVM start). Without Java the test is skipped on a developer's machine
and fails in CI, which installs it (`make vnu` fetches the checker from npm into build/).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.page_types import rendered_pages

MARKETS_CHECKED = ("fr-fr", "ja-jp", "el-gr", "nl-be", "en-us", "sv-se")
# `make vnu` puts the checker's official npm package here (VNU_JAR names another jar).
JARS = "vnu-*/node_modules/vnu-jar/build/dist/vnu.jar"
CONTROL = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Control</title>
<h1>Page</h1><h3>A card under no section</h3>"""


def _checker() -> list[str]:
    """The command that runs vnu.jar, or a skip (an error in CI) when it cannot run."""
    java = shutil.which("java")
    jars = sorted((ROOT / "build").glob(JARS))
    jar = Path(os.environ.get("VNU_JAR") or (jars[-1] if jars else ROOT / "build" / JARS))
    if java and jar.is_file():
        return [java, "-Xss16m", "-jar", str(jar)]
    missing = "java" if java is None else f"{jar} (make vnu)"
    if os.environ.get("CI"):
        raise RuntimeError(f"{missing} is missing: .ci/run installs it")
    pytest.skip(f"{missing} is not installed")


@pytest.fixture(scope="module")
def pages(shop_table, shop_catalog, tmp_path_factory) -> dict[str, str]:
    """The rendered pages as files: the address each file came from, by file name."""
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for code, kind, path, html in rendered_pages(shop_table, shop_catalog, MARKETS_CHECKED):
        file = folder / f"{code}-{kind.name}.html"
        file.write_text(html, encoding="utf-8")
        written[str(file)] = path
    return written


def test_every_page_type_has_no_html_error(pages, tmp_path):
    # A page with one known error goes through the same run: it proves the checker ran and
    # reads headings as the pages need (skipping a level is an error since vnu 26).
    control = tmp_path / "control.html"
    control.write_text(CONTROL, encoding="utf-8")
    command = _checker() + ["--errors-only", "--format", "json", str(control), *pages]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    caught = [m for m in messages if m.get("url", "").endswith("/control.html")]
    assert caught and all("heading" in m["message"] for m in caught), run.stderr[:2000]
    errors = [
        f"{pages.get(m.get('url', '').removeprefix('file:'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m not in caught
    ]
    assert not errors, "\n".join(errors)
