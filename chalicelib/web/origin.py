"""Whether a state-changing request comes from our own pages: its Origin (or Referer)."""

from __future__ import annotations

from urllib.parse import urlsplit

from chalicelib.web.http import Request


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower case, or None."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_origin(request: Request, expected: str) -> bool:
    """Whether the browser says the request came from ``expected``; absent means no."""
    sent = request.header("origin").strip()
    if sent and sent != "null":
        return origin_of(sent) == origin_of(expected)
    referer = request.header("referer")
    return bool(referer) and origin_of(referer) == origin_of(expected)
