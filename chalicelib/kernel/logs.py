"""Structured logs: one JSON object a line, carrying the fields of the request being served.

Only what an operator needs to find a request and its cause: request ids, method, path (never
the query string, headers, cookies or bodies, which may hold personal data), market and an
error code. ``web/routing.py`` binds the request's fields; every line logged under it has them.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any

LOGGER = "chalicelib"
# Fields a log call may add with ``extra=``: what failed, and how.
EXTRA_FIELDS = ("code", "kind", "status")

_request: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "request_log_fields", default=None
)


def bind(fields: dict[str, str]) -> contextvars.Token:
    """Give every line logged from now on in this context these request fields."""
    return _request.set(fields)


def unbind(token: contextvars.Token) -> None:
    """Forget the fields bound with ``token``."""
    _request.reset(token)


def request_fields() -> dict[str, str]:
    """The fields bound to the request being served (empty outside a request)."""
    return _request.get() or {}


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, request fields, code, trace."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object on one line."""
        seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        entry: dict[str, Any] = {
            "time": f"{seconds}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **request_fields(),
        }
        for name in EXTRA_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # ASCII escapes keep a line valid whatever text it quotes, lone surrogates included.
        return json.dumps(entry, default=str)


class _Stdout(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is when a line is logged (Lambda, a test's capture)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure(level: str) -> logging.Logger:
    """JSON lines on stdout for every ``chalicelib`` logger, at ``level`` and above."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(handler, _Stdout) for handler in logger.handlers):
        handler = _Stdout()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        # The Lambda runtime's root handler would print each line a second time, as text.
        logger.propagate = False
    logger.setLevel(level)
    return logger
