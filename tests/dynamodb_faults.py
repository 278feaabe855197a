"""Faults a test puts between the app and DynamoDB: an endpoint that never answers, or errors.

moto cannot hang or throttle, so ``silent_endpoint`` is a real listener on loopback that
accepts connections and never writes a byte, and ``answer_with`` answers a client's calls
with a DynamoDB error from botocore's ``before-send`` hook: below the retry loop, so every
attempt, backoff and retry hint goes through the client's real retry policy.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Iterator

from botocore.awsrequest import AWSResponse

from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS


@contextlib.contextmanager
def silent_endpoint(lifetime: float = 30.0) -> Iterator[tuple[str, list[socket.socket]]]:
    """``http://127.0.0.1:port`` of a listener that never answers, and the connections it took.

    Its thread stops when the block ends, or after ``lifetime`` seconds whatever happens.
    """
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    held: list[socket.socket] = []
    done = threading.Event()
    deadline = time.monotonic() + lifetime

    def accept() -> None:
        while not done.is_set() and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                held.append(server.accept()[0])
        for connection in held:
            connection.close()
        server.close()

    thread = threading.Thread(target=accept, name="silent-dynamodb", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", held
    finally:
        done.set()
        thread.join(timeout=2)


class _Body(io.BytesIO):
    def stream(self, **_: object) -> Iterator[bytes]:
        yield self.getvalue()


class DynamoDBError:
    """Answers every ``operation`` call of a table's client with one DynamoDB error."""

    def __init__(self, table, code: str, status: int = 400, headers: dict | None = None):
        self.code, self.status, self.headers = code, status, dict(headers or {})
        self.attempts: list[float] = []
        self._events = table.meta.client.meta.events
        self._events.register("before-send.dynamodb", self._answer)

    def _answer(self, request, **_):
        self.attempts.append(time.monotonic())
        payload = {"__type": f"com.amazonaws.dynamodb.v20120810#{self.code}", "message": "no"}
        headers = {"Content-Type": "application/x-amz-json-1.0", **self.headers}
        return AWSResponse(request.url, self.status, headers, _Body(json.dumps(payload).encode()))

    def close(self) -> None:
        """Let the client's calls through again."""
        self._events.unregister("before-send.dynamodb", self._answer)


@contextlib.contextmanager
def answer_with(table, code: str, status: int = 400, **headers: str) -> Iterator[DynamoDBError]:
    """For the block, every call of ``table`` fails with ``code`` (headers as given)."""
    fault = DynamoDBError(table, code, status, {k.replace("_", "-"): v for k, v in headers.items()})
    try:
        yield fault
    finally:
        fault.close()


def translated(code: str, message: str) -> str:
    """A message as the market's pages say it."""
    return translations_for(MARKETS[code].translation_chain).gettext(message)
