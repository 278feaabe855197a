"""Security headers of the shoppers' pages: nothing loads from elsewhere, nothing frames them.

The layout's one inline script (the language suggestion in templates/base.html) is allowed
by its hash, computed from the template itself, so no other script, injected or not, runs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

from chalicelib.web.render import TEMPLATES_DIR

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def script_hashes(html: str) -> list[str]:
    """CSP sources of the inline scripts (not data blocks) of a page or template."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
        for code in INLINE_SCRIPT.findall(html)
    ]


@functools.cache
def shop_headers(layout: Path = TEMPLATES_DIR / "base.html") -> dict[str, str]:
    """The headers every shopper's answer carries."""
    scripts = " ".join(script_hashes(layout.read_text(encoding="utf-8"))) or "'none'"
    # connect-src 'self': same-origin reads only, such as a crawler audit fetching robots.txt
    # from the page (Lighthouse does) or the cart's item count later; nothing else may connect.
    return {
        "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; manifest-src 'self'; "
        "connect-src 'self'; "
        f"style-src 'unsafe-inline'; script-src {scripts}; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
