"""Canned API Gateway (REST, Lambda proxy) events, as files, for the tests, bench and package.

``load("product", market="ja-jp", product="sony-wh-1000xm4")`` reads ``product.json`` and
moves it to another market or product; query, headers and a stage prefix can be changed too.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

EVENTS = Path(__file__).resolve().parent


@functools.cache
def _file(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def names() -> list[str]:
    """Every canned event."""
    return sorted(p.stem for p in EVENTS.glob("*.json"))


def load(
    name: str,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    stage_prefix: str | None = None,
    **path_parameters: str,
) -> dict:
    """A copy of a canned event, with other path parameters, query, headers or stage prefix."""
    event = copy.deepcopy(_file(name))
    context = event["requestContext"]
    prefix = context["path"].removesuffix(event["path"])
    if path_parameters:
        merged = {**(event["pathParameters"] or {}), **path_parameters}
        event["pathParameters"] = merged
        path = event["resource"].format(**merged)
        event["path"] = path + ("/" if event["path"].endswith("/") and path != "/" else "")
    context["path"] = (prefix if stage_prefix is None else stage_prefix) + event["path"]
    if query is not None:
        event["queryStringParameters"] = query or None
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
    if headers is not None:
        event["headers"] = dict(headers)
        event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
    return event
