"""The one adapter between Chalice and our values, and routes declared with a cache policy.

This is the only web module that imports Chalice: a package declares its routes on a
``Routes`` and its handlers take and return ``Request`` and ``Response``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from chalice import Blueprint
from chalice import Response as ChaliceResponse
from chalice.app import Request as ChaliceRequest

from chalicelib.web import caching
from chalicelib.web.caching import CachePolicy
from chalicelib.web.http import Request, Response

log = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")
# A route's fallback when its handler raises: a page, never Chalice's JSON or a trace.
Fallback = Callable[[Request, Exception], Response]


def to_request(current: ChaliceRequest) -> Request:
    """Chalice's request as ours: path below the stage prefix, query, headers, body."""
    event = current.to_original_event() or {}
    context = current.context or {}
    full_path = context.get("path") or "/"
    # API Gateway puts the stage prefix ("/api") in the context path but not in the event's.
    path = event.get("path") or full_path
    prefix = full_path[: -len(path)] if path != "/" and full_path.endswith(path) else ""
    if path == "/" and full_path != "/":
        prefix = full_path.rstrip("/")
    params = current.query_params
    query = {k: params.getlist(k) for k in params} if params else {}
    method = (current.method or "GET").upper()
    return Request(
        path=path,
        prefix=prefix,
        query=query,
        headers={k.lower(): v for k, v in current.headers.items()},
        method=method,
        body=b"" if method in READ_METHODS else (current.raw_body or b""),
    )


def to_chalice(request: Request, response: Response) -> ChaliceResponse:
    """Our response as Chalice's: several Set-Cookie headers, no body for HEAD."""
    headers: dict[str, Any] = dict(response.headers)
    if response.cookies:
        headers["Set-Cookie"] = [cookie.header() for cookie in response.cookies]
    body = "" if request.method == "HEAD" else response.body
    return ChaliceResponse(body=body, status_code=response.status, headers=headers)


class Routes:
    """A package's routes on a Chalice Blueprint, each declared with its cache policy."""

    def __init__(self, name: str, fallback: Fallback) -> None:
        self.blueprint = Blueprint(name)
        self.fallback = fallback

    def route(
        self,
        path: str,
        policy: CachePolicy,
        methods: Sequence[str] = READ_METHODS,
        content_types: Sequence[str] | None = None,
    ) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
        """Declare ``handler(request, **url_params)`` at ``path`` under a cache policy."""
        if not isinstance(policy, CachePolicy):
            raise TypeError(f"route {path} needs a CachePolicy, got {policy!r}")
        writes = [m for m in methods if m not in READ_METHODS]
        if writes and policy.public:
            raise ValueError(f"route {path}: {', '.join(writes)} cannot be publicly cached")
        # Chalice answers a Content-Type it was not told about with its own JSON 415, even on
        # a GET; every type is let through, and a form that is not one is refused by
        # Request.form, as a page in the person's language.
        content_types = list(content_types or ["*/*"])

        def decorate(handler: Callable[..., Response]) -> Callable[..., Response]:
            def view(**params: str) -> ChaliceResponse:
                request = to_request(self.blueprint.current_request)
                try:
                    response = handler(request, **params)
                except Exception as error:  # a bug below the package's own guard
                    log.exception("unhandled error on %s", request.path)
                    response = self.fallback(request, error)
                return to_chalice(request, caching.apply(policy, request, response))

            view.__name__ = view.__qualname__ = handler.__name__
            view.__doc__ = handler.__doc__
            view.cache_policy = policy  # type: ignore[attr-defined]
            self.blueprint.route(path, methods=list(methods), content_types=list(content_types))(
                view
            )
            return handler

        return decorate
