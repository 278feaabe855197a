"""The admin's signing secret: from the environment locally, from a parameter store deployed.

It keys the CSRF tokens (HMAC of the session), so it never sits in the repository. It is
read once per process and again after ``REREAD_SECONDS``, so that a rotation reaches warm
functions without a deploy.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from chalicelib.kernel import aws
from chalicelib.kernel.settings import Settings

log = logging.getLogger(__name__)

REREAD_SECONDS = 900.0
RETRY_SECONDS = 60.0
MIN_SECRET_BYTES = 32


class SecretMissing(RuntimeError):
    """No signing secret is configured: the admin refuses to run rather than use a default."""


def read_secret(settings: Settings, client: Callable[[str], Any] | None = None) -> bytes:
    """The configured secret's bytes, from whichever source the settings name."""
    make = client or (lambda service: aws.client(service, settings.stage.region))
    if settings.admin_secret:
        value = settings.admin_secret
    elif settings.admin_secret_parameter:
        answer = make("ssm").get_parameter(
            Name=settings.admin_secret_parameter, WithDecryption=True
        )
        value = answer["Parameter"]["Value"]
    elif settings.admin_secret_id:
        value = make("secretsmanager").get_secret_value(SecretId=settings.admin_secret_id)[
            "SecretString"
        ]
    else:
        raise SecretMissing("set ADMIN_SIGNING_SECRET, _PARAMETER or _ID")
    raw = value.encode()
    if len(raw) < MIN_SECRET_BYTES:
        raise SecretMissing(f"the signing secret must be at least {MIN_SECRET_BYTES} bytes")
    return raw


class Signer:
    """HMACs keyed by the signing secret, which it reads lazily and re-reads now and then."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        clock: Callable[[], float] = time.monotonic,
        client: Callable[[str], Any] | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.client = client
        self._lock = threading.Lock()
        self._key: bytes | None = None
        self._read_at = 0.0

    def key(self) -> bytes:
        """The current secret."""
        now = self.clock()
        if self._key is None or now - self._read_at > REREAD_SECONDS:
            with self._lock:
                try:
                    self._key = read_secret(self.settings(), self.client)
                except Exception as error:
                    if self._key is None:
                        raise
                    # The store is out of reach: keep signing with the key it gave last.
                    log.warning(
                        "signing secret unreadable", extra={"code": aws.failure_code(error)}
                    )
                    self._read_at = now - REREAD_SECONDS + RETRY_SECONDS
                    return self._key
                self._read_at = now
        return self._key

    def sign(self, purpose: str, value: str) -> str:
        """A MAC of a value for one purpose (``csrf``, ``login``), hex."""
        message = f"{purpose}\n{value}".encode()
        return hmac.new(self.key(), message, hashlib.sha256).hexdigest()

    def check(self, purpose: str, value: str, mac: str) -> bool:
        """Whether ``mac`` is this value's MAC for this purpose."""
        return bool(mac) and hmac.compare_digest(self.sign(purpose, value), mac)
