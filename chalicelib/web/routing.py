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

from chalicelib.kernel import logs
from chalicelib.web import caching
from chalicelib.web.caching import PRIVATE, CachePolicy
from chalicelib.web.errors import MethodNotAllowed
from chalicelib.web.http import Request, Response
from chalicelib.web.route_tree import fall_through

log = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")
# Path parameters that are secrets: whoever has a trade-in's reference may read it, so the
# logs write "…" in its place.
SECRET_PARAMS = ("reference",)
# The methods API Gateway (REST) passes on; a route answers those it does not take with a 405
# page instead of API Gateway's JSON 403 (or Chalice's JSON 405 locally).
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# A route's fallback when its handler, the caching step or the conversion raises: a page,
# never Chalice's JSON or a trace. It logs what it did not expect (MarketGuard.failure does).
Fallback = Callable[[Request, Exception], Response]
# When even the fallback fails (a broken template): no translations to hand, but still a page.
LAST_RESORT = Response(
    500,
    "<!doctype html><title>Error</title><h1>Something went wrong on our side</h1>"
    "<p>Please try again in a moment.</p>",
    {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
)


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
        source_ip=str((context.get("identity") or {}).get("sourceIp") or ""),
    )


def to_chalice(request: Request, response: Response) -> ChaliceResponse:
    """Our response as Chalice's: several Set-Cookie headers, no body for HEAD."""
    headers: dict[str, Any] = dict(response.headers)
    for name, value in headers.items():
        if "\n" in value or "\r" in value:  # Chalice would answer its own JSON 500
            raise ValueError(f"header {name} spans lines")
    if response.cookies:
        headers["Set-Cookie"] = [cookie.header() for cookie in response.cookies]
    body = response.body
    if request.method == "HEAD":
        body = ""
    elif "ETag" not in headers and not body.isascii():
        body = _encodable(body)  # an ETag was computed from the encoded body, which was checked
    return ChaliceResponse(body=body, status_code=response.status, headers=headers)


def _encodable(body: str) -> str:
    try:
        body.encode()
    except UnicodeEncodeError:
        return caching.well_formed(body)
    return body


def log_fields(current: ChaliceRequest, lambda_context: Any, market: str | None) -> dict[str, str]:
    """What every log line of a request says about it: ids, method, path, market."""
    context = current.context or {}
    fields = {"method": (current.method or "GET").upper()}
    path = (current.to_original_event() or {}).get("path") or context.get("path")
    for name in SECRET_PARAMS:
        secret = (current.uri_params or {}).get(name)
        if path and secret:
            path = path.replace(secret, "…")
    if path:
        fields["path"] = path
    if market:
        fields["market"] = market
    request_id = context.get("requestId")
    if request_id:
        fields["request_id"] = request_id
    aws_request_id = getattr(lambda_context, "aws_request_id", None)
    if aws_request_id:
        fields["aws_request_id"] = aws_request_id
    return fields


class Routes:
    """A package's routes on a Chalice Blueprint, each declared with its cache policy."""

    def __init__(
        self,
        name: str,
        fallback: Fallback,
        headers: dict[str, str] | None = None,
        every_method: bool = False,
    ) -> None:
        self.blueprint = Blueprint(name)
        self.fallback = fallback
        # Headers every answer of the package carries unless its handler set them itself.
        self.headers = headers or {}
        # Whether each route answers every other method with a 405 page (and Allow).
        self.every_method = every_method
        self.paths: list[str] = []

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
            self._register(path, policy, list(methods), content_types, handler)
            self.paths.append(path)
            others = [m for m in METHODS if m not in methods]
            if self.every_method and others:
                self._register(path, PRIVATE, others, ["*/*"], self._refusal(list(methods)))
            return handler

        return decorate

    def complete(
        self, handler: Callable[..., Response], policy: CachePolicy, under: str = "/"
    ) -> None:
        """Answer every path under ``under`` that no route matches with ``handler`` (a 404)."""
        prefix = under.rstrip("/") + "/"
        for path in fall_through(self.paths):
            if path == under or path.startswith(prefix):
                self.route(path, policy)(handler)

    def _register(
        self,
        path: str,
        policy: CachePolicy,
        methods: list[str],
        content_types: list[str],
        handler: Callable[..., Response],
    ) -> None:
        def view(**params: str) -> ChaliceResponse:
            current = self.blueprint.current_request
            fields = log_fields(current, self.blueprint.lambda_context, params.get("market"))
            token = logs.bind(fields)
            try:
                return self._serve(current, handler, policy, params)
            finally:
                logs.unbind(token)

        view.__name__ = view.__qualname__ = handler.__name__
        view.__doc__ = handler.__doc__
        view.cache_policy = policy  # type: ignore[attr-defined]
        self.blueprint.route(path, methods=methods, content_types=content_types)(view)

    def _refusal(self, allowed: list[str]) -> Callable[..., Response]:
        def refuse(request: Request, **_: str) -> Response:
            """A method the address does not take: a 405 page that says which it does."""
            page = self.fallback(request, MethodNotAllowed())
            page.headers["Allow"] = ", ".join(allowed)
            return page

        return refuse

    def _serve(
        self,
        current: ChaliceRequest,
        handler: Callable[..., Response],
        policy: CachePolicy,
        params: dict[str, str],
    ) -> ChaliceResponse:
        """The handler's page through the cache policy; any failure on the way, the fallback."""
        request = None
        try:
            request = to_request(current)
            response = handler(request, **params)
            for name, value in self.headers.items():
                response.headers.setdefault(name, value)
            served = to_chalice(request, caching.apply(policy, request, response))
        except Exception as error:  # a bug below the package's guard, in caching or to_chalice
            if request is None:  # Chalice's request could not be read: a page all the same
                request = Request(path=logs.request_fields().get("path", "/"))
            served = self._fall_back(request, policy, error)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("answered", extra={"status": served.status_code})
        return served

    def _fall_back(
        self, request: Request, policy: CachePolicy, error: Exception
    ) -> ChaliceResponse:
        try:
            page = self.fallback(request, error)
            for name, value in self.headers.items():
                page.headers.setdefault(name, value)
            return to_chalice(request, caching.apply(policy, request, page))
        except Exception as failure:
            log.error("error page failed", exc_info=failure, extra={"code": type(error).__name__})
            return to_chalice(request, LAST_RESORT)
