"""The one place AWS clients are made: lazily, once per table, within a time budget.

A shopper's page runs in a Lambda function with a 10 s timeout (``lambda_timeout`` in
.chalice/config.json), so its DynamoDB calls must fail, as the 503 page, well before that:

    worst case = attempts x (connect + read) + backoff = 2 x (1 s + 1 s) + 1 s = 5 s

The backoff is botocore's "standard" mode: before retry i (from 0) it sleeps a random part of
min(scale x 2**i, 20 s), scale 1 s after a throttle (25 ms after other errors), so the one retry
waits at most 1 s. The other 5 s leave room for what the budget does not bound: the first
request of a process creating the client (~0.6 s), DNS, rendering the page and a response that
trickles in under the read timeout, which bounds each socket read, not the whole response.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

# How DynamoDB's errors are logged (docs/decisions.md): a deployment to fix, or a wait.
CONFIGURATION_ERRORS = frozenset(
    {
        "AccessDeniedException",
        "ResourceNotFoundException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "MissingAuthenticationTokenException",
        "ExpiredTokenException",
    }
)
THROTTLING_ERRORS = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
)
# botocore's standard retry mode: the backoff scale after a throttle, and its cap.
THROTTLING_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 20.0
# A service's hint that newer botocore honours with up to 5 s more; a page cannot wait that.
RETRY_AFTER_HINT = "x-amz-retry-after"


@dataclass(frozen=True)
class ClientBudget:
    """Timeouts and attempts of a client's calls, and the longest a failing call can take."""

    connect_timeout: float
    read_timeout: float
    attempts: int
    retry_hints: bool = True

    @property
    def worst_case_seconds(self) -> float:
        """Every attempt timing out, plus the longest sleep between them."""
        backoff = sum(
            min(THROTTLING_BACKOFF_SECONDS * 2**i, MAX_BACKOFF_SECONDS)
            for i in range(self.attempts - 1)
        )
        return self.attempts * (self.connect_timeout + self.read_timeout) + backoff

    def config(self) -> Config:
        """The botocore configuration of this budget."""
        return Config(
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            retries={"mode": "standard", "total_max_attempts": self.attempts},
        )


# A page: one retry, then the 503 page (worst case 5 s of the function's 10 s).
PAGE_BUDGET = ClientBudget(connect_timeout=1.0, read_timeout=1.0, attempts=2, retry_hints=False)
# A load run from a developer's machine or CI: no shopper waits, so it rides out throttling.
LOAD_BUDGET = ClientBudget(connect_timeout=5.0, read_timeout=30.0, attempts=8)

_lock = threading.Lock()
_tables: dict[tuple, Any] = {}
_resources: dict[tuple, Any] = {}


def dynamodb_table(
    name: str,
    region: str | None = None,
    endpoint_url: str | None = None,
    budget: ClientBudget = PAGE_BUDGET,
) -> Any:
    """A boto3 Table, created on first use and kept for the life of the process."""
    cache_key = (name, region, endpoint_url, budget)
    with _lock:
        if cache_key not in _tables:
            # One resource (one client, one connection pool) for every table it reaches: the
            # catalog and the admin table of a page share it, and a second costs ~15 ms cold.
            where = (region, endpoint_url, budget)
            resource = _resources.get(where)
            if resource is None:
                resource = _resources[where] = boto3.resource(
                    "dynamodb",
                    region_name=region,
                    endpoint_url=endpoint_url,
                    config=budget.config(),
                )
                if not budget.retry_hints:
                    resource.meta.client.meta.events.register_first(
                        "needs-retry.dynamodb", _ignore_retry_hint
                    )
            _tables[cache_key] = resource.Table(name)
        return _tables[cache_key]


def _ignore_retry_hint(response: Any = None, **_: Any) -> None:
    # Runs before botocore's retry handler, which then backs off by its own bound alone.
    if response is not None and response[0] is not None:
        response[0].headers.pop(RETRY_AFTER_HINT, None)


def failure_code(error: Exception) -> str:
    """The AWS error code of a failed call, or the name of the client-side failure."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code")
        if code:
            return str(code)
    return type(error).__name__


def failure_kind(code: str) -> str:
    """``configuration`` (fix the deployment), ``throttling`` (wait) or ``outage``."""
    if code in CONFIGURATION_ERRORS:
        return "configuration"
    return "throttling" if code in THROTTLING_ERRORS else "outage"


def failure_level(code: str) -> int:
    """The log level of a failure: WARNING for throttling, ERROR for everything else."""
    return logging.WARNING if code in THROTTLING_ERRORS else logging.ERROR


_clients: dict[tuple, Any] = {}
# botocore's loggers that write a KMS call's Plaintext at DEBUG: its request, its response.
PLAINTEXT_LOGGERS = ("botocore.endpoint", "botocore.parsers")


def client(service: str, region: str | None = None, budget: ClientBudget = PAGE_BUDGET) -> Any:
    """A boto3 client of another service (SSM, Secrets Manager), kept for the process."""
    cache_key = (service, region, budget)
    with _lock:
        if cache_key not in _clients:
            _clients[cache_key] = boto3.client(service, region_name=region, config=budget.config())
        return _clients[cache_key]


def kms_client(region: str | None = None, endpoint_url: str | None = None) -> Any:
    """A KMS client within a page's budget (trade-in's sealing), kept for the process."""
    cache_key = ("kms", region, endpoint_url, PAGE_BUDGET)
    with _lock:
        if cache_key not in _clients:
            kms = boto3.client(
                "kms", region_name=region, endpoint_url=endpoint_url, config=PAGE_BUDGET.config()
            )
            kms.meta.events.register_first("needs-retry.kms", _ignore_retry_hint)
            for logger in PLAINTEXT_LOGGERS:
                logging.getLogger(logger).addFilter(_drop_plaintext)
            _clients[cache_key] = kms
        return _clients[cache_key]


def drop_connections() -> None:
    """Close every kept client's pooled connections; the clients open new ones when next used."""
    with _lock:
        clients = [r.meta.client for r in _resources.values()] + list(_clients.values())
    for kept in clients:
        kept.close()


def _drop_plaintext(record: logging.LogRecord) -> bool:
    # At DEBUG botocore logs every request's parameters (an Encrypt's Plaintext: the seller's
    # details in base64) and every response body (a Decrypt's Plaintext). Only runs when DEBUG
    # is on for botocore, so it costs nothing otherwise.
    return "Plaintext" not in record.getMessage()
