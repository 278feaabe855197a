"""Shoppers' pages carry security headers, and their one inline script is allowed by hash."""

from __future__ import annotations

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.web.security import script_hashes
from tests.conftest import body


@pytest.mark.parametrize("code", MARKETS)
def test_every_market_page_carries_the_headers_and_its_script_hash(client, code):
    for path in (f"/{code}/", f"/{code}/p/apple-iphone-13", f"/{code}/no-such-page"):
        response = client.http.get(path)
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "connect-src 'self';" in policy  # robots.txt readable from the page, no more
        scripts = script_hashes(body(response))
        assert scripts and all(h in policy for h in scripts), path  # the script may run
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Frame-Options"] == "DENY"


def test_sitemaps_robots_and_the_picker_carry_them_too(client):
    for path in ("/robots.txt", "/sitemap.xml", "/fr-fr/sitemap.xml", "/?choose=1", "/xx-yy/"):
        assert "Content-Security-Policy" in client.http.get(path).headers, path


def test_a_cached_page_keeps_its_headers_on_a_304(client):
    first = client.http.get("/fr-fr/")
    again = client.http.get("/fr-fr/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
