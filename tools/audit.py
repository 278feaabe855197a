"""`make audit`: Lighthouse (mobile) scores and gzipped HTML size of each page type.

Starts the local server (tools/devserver.py) on a free loopback port, runs Lighthouse from
build/audit/node_modules against Debian's Chromium, and prints one row per page. Lighthouse
is a measurement, not a test: the suite checks the same rules (layout, labels, headings)
itself, so CI does not depend on it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "build" / "audit"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/{m}/",
    "listing": "/{m}/l/smartphones",
    "product": "/{m}/p/apple-iphone-13",
    "search": "/{m}/search?q=iphone",
    "legal": "/{m}/legal/terms",
    "cart (empty)": "/{m}/cart",
}
# Lighthouse refuses to audit an error status; the suite checks these pages (a11y, Nu, layout).
SIZE_ONLY = {"not found": "/{m}/no-such-page"}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _install() -> None:
    if LIGHTHOUSE.exists():
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "init", "-y"], cwd=NODE_DIR, check=True, capture_output=True)
    subprocess.run(["npm", "install", "--no-fund", "lighthouse@12"], cwd=NODE_DIR, check=True)


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the local server did not answer at {url}")


def gzipped_size(url: str) -> int:
    """Bytes of a page's HTML once gzipped at the default level, as a CDN would send it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
    except urllib.error.HTTPError as error:  # a 404 page is a page too
        body = error.read()
    return len(gzip.compress(body))


def lighthouse(url: str, out: Path) -> dict[str, int]:
    """Lighthouse's mobile scores (0-100) of one page."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    subprocess.run(command, env=env, check=True, timeout=180)
    report = json.loads(out.read_text())
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    """Audit the page types of the given markets and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("markets", nargs="*", default=["fr-fr", "ja-jp"])
    args = parser.parse_args(argv)
    _install()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "devserver.py")],
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    reports = ROOT / "build" / "audit" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    failed = 0
    try:
        _wait(f"{base}/robots.txt")
        print(f"{'market':7} {'page':10} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'gzip':>7}")
        for market in args.markets:
            for name, pattern in PAGES.items():
                url = base + pattern.format(m=market)
                try:
                    scores = lighthouse(url, reports / f"{market}-{name.replace(' ', '-')}.json")
                except subprocess.CalledProcessError:
                    failed += 1
                    print(f"{market:7} {name:10} Lighthouse could not load {url}", flush=True)
                    continue
                size = gzipped_size(url)
                print(
                    f"{market:7} {name:10} {scores['performance']:>4} "
                    f"{scores['accessibility']:>4} {scores['best-practices']:>4} "
                    f"{scores['seo']:>4} {size:>7}",
                    flush=True,
                )
            for name, pattern in SIZE_ONLY.items():
                size = gzipped_size(base + pattern.format(m=market))
                print(f"{market:7} {name:10} {'(an error status: not audited)':>19} {size:>7}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
