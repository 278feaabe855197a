"""Caching is declared per route group: public catalog pages, or private, never both.

Every route names its policy when it is declared (web/routing.py); nothing is cacheable by
default, and a response that sets a cookie is private whatever its route declared.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from chalicelib.web.http import Request, Response

PRIVATE_NO_STORE = "private, no-store"


@dataclass(frozen=True)
class CachePolicy:
    """Cache-Control by outcome, and whether answers get an ETag and 304s."""

    name: str
    ok: str
    client_error: str
    server_error: str
    etag: bool = False
    vary: str | None = None

    @property
    def public(self) -> bool:
        """Whether a shared cache (the CDN) may keep answers."""
        return self.ok.startswith("public")


# CloudFront keeps pages 30 s and for a day when the origin fails; browsers always revalidate
# (the ETag makes that a 304). 30 s here plus the function's 30 s refresh of marketing's
# wording (composition.py) is the 60 s in which a published change reaches every page; a
# stale-while-revalidate copy would be served past that, so there is none (docs/admin.md).
PUBLIC_CATALOG = CachePolicy(
    "public-catalog",
    ok="public, max-age=0, s-maxage=30, stale-if-error=86400",
    client_error="public, max-age=0, s-maxage=30",
    server_error="no-store",
    etag=True,
)
# Pages whose content follows the visitor's headers rather than the address.
NEGOTIATED = CachePolicy(
    "negotiated",
    ok="private, max-age=0",
    client_error="private, max-age=0",
    server_error="no-store",
    vary="Accept-Language, CloudFront-Viewer-Country",
)
# Anything that reads a session or a cart: never stored anywhere.
PRIVATE = CachePolicy(
    "private",
    ok=PRIVATE_NO_STORE,
    client_error=PRIVATE_NO_STORE,
    server_error=PRIVATE_NO_STORE,
)
# Files that change with a deploy, not with the catalog (the favicon, the web manifest): a
# day everywhere; the ETag makes the browser's revalidation after that a 304.
STATIC_FILE = CachePolicy(
    "static-file",
    ok="public, max-age=86400, s-maxage=86400",
    client_error="public, max-age=0, s-maxage=30",
    server_error="no-store",
    etag=True,
)
POLICIES = (PUBLIC_CATALOG, NEGOTIATED, PRIVATE, STATIC_FILE)
# An If-None-Match list (RFC 9110 §8.8.3, §5.6.1): entity-tags (optional W/, a quoted
# opaque tag) between commas and spaces, empty elements allowed; anything else is junk.
_LIST_PART = re.compile(r'(?:W/)?"([\x21\x23-\x7e\x80-\xff]*)"|[ \t,]+|(.)')
MAX_IF_NONE_MATCH = 8192


def negotiated(response: Response) -> Response:
    """Mark one answer of a public route as depending on the visitor's headers."""
    response.headers["Cache-Control"] = NEGOTIATED.ok
    response.headers["Vary"] = NEGOTIATED.vary or ""
    return response


def _is_private(cache_control: str) -> bool:
    directives = {d.strip().split("=")[0].lower() for d in cache_control.split(",")}
    return bool(directives & {"private", "no-store"})


def apply(policy: CachePolicy, request: Request, response: Response) -> Response:
    """Set the policy's headers on a response; 304 when the shopper already has the page."""
    headers = response.headers
    sets_cookie = response.cookies or any(k.lower() == "set-cookie" for k in headers)
    if sets_cookie or not policy.public and policy.ok == PRIVATE_NO_STORE:
        # Whatever the route or handler said: a cookie is one person's, never a shared
        # cache's, and a private route's answers are stored nowhere.
        for name in [k for k in headers if k.lower() in ("cache-control", "etag")]:
            del headers[name]
        headers["Cache-Control"] = PRIVATE_NO_STORE
        return response
    explicit = headers.get("Cache-Control")
    if explicit and _is_private(explicit):
        return response  # a handler may make one answer stricter than its route, never looser
    if response.status >= 500:
        headers["Cache-Control"] = policy.server_error
    elif response.status >= 400:
        headers["Cache-Control"] = policy.client_error
    else:
        headers["Cache-Control"] = policy.ok
    if policy.vary:
        headers["Vary"] = policy.vary
    if policy.etag and response.status == 200:
        etag = '"' + hashlib.blake2b(_sent_bytes(response), digest_size=16).hexdigest() + '"'
        headers["ETag"] = etag
        if request.method in ("GET", "HEAD") and none_match(request.header("if-none-match"), etag):
            kept = {k: v for k, v in headers.items() if k != "Content-Type"}
            return Response(304, "", kept)
    return response


def opaque_tags(header: str) -> list[str] | None:
    """The opaque tags of an If-None-Match list, W/ or not; None when it is not such a list."""
    if len(header) > MAX_IF_NONE_MATCH:
        return None
    tags = []
    for part in _LIST_PART.finditer(header):
        if part.group(2) is not None:
            return None
        if part.group(1) is not None:
            tags.append(part.group(1))
    return tags


def none_match(header: str, etag: str) -> bool:
    """Whether If-None-Match names this ETag by weak comparison (RFC 9110 §13.1.2), or is *."""
    if header.strip() == "*":
        return True
    tags = opaque_tags(header)
    return bool(tags) and etag.removeprefix("W/").strip('"') in tags


def _sent_bytes(response: Response) -> bytes:
    """The body as UTF-8, the bytes the ETag names; a lone surrogate is sent as U+FFFD."""
    try:
        return response.body.encode()
    except UnicodeEncodeError:
        # Stored text can hold half of a surrogate pair; the page shows U+FFFD, not a 500.
        response.body = well_formed(response.body)
        return response.body.encode()


def well_formed(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so that it encodes to UTF-8."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
