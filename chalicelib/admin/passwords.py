"""Passwords stored only as slow salted scrypt hashes (the standard library's hashlib).

Parameters (docs/admin.md): N = 2**15, r = 8, p = 1 need 128 * N * r = 32 MiB of memory
per hash, and take about 60 ms on this machine's cores; a stored hash names its own
parameters, so that raising them later rehashes each password at its next sign-in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 12
MAX_LENGTH = 128  # ASVS asks that at least 64 be allowed; longer only costs hashing time
# A password is refused when it is one of these or contains the product's or person's name.
COMMON = frozenset(
    [
        "123456789012",
        "password1234",
        "qwertyuiopas",
        "111111111111",
        "000000000000",
        "aaaaaaaaaaaa",
        "passwordpassword",
        "1234567890123",
        "administrator",
        "changemechangeme",
        "letmeinletmein",
        "welcome12345",
        "iloveyou1234",
        "qwerty123456",
        "abcdefghijkl",
        "abc123456789",
    ]
)


@dataclass(frozen=True)
class Cost:
    """scrypt's work factors."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    @property
    def memory_bytes(self) -> int:
        """What one hash needs in memory."""
        return 128 * self.n * self.r * self.p

    def derive(self, password: str, salt: bytes) -> bytes:
        """The key derived from a password and salt."""
        return hashlib.scrypt(
            password.encode(),
            salt=salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=self.memory_bytes + 2**20,
            dklen=KEY_BYTES,
        )


DEFAULT_COST = Cost()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, cost: Cost = DEFAULT_COST) -> str:
    """``scrypt$N$r$p$salt$key``: everything needed to verify, nothing to recover."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = cost.derive(password, salt)
    return f"{SCHEME}${cost.n}${cost.r}${cost.p}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> tuple[Cost, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        return Cost(int(parts[1]), int(parts[2]), int(parts[3])), _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None


def verify(password: str, stored: str) -> bool:
    """Whether the password matches the stored hash, in constant time for its length."""
    parsed = _parse(stored)
    if parsed is None or len(password) > MAX_LENGTH:
        return False
    cost, salt, key = parsed
    return hmac.compare_digest(cost.derive(password, salt), key)


def needs_rehash(stored: str, cost: Cost = DEFAULT_COST) -> bool:
    """Whether a stored hash was made with other parameters than today's."""
    parsed = _parse(stored)
    return parsed is None or parsed[0] != cost


@functools.cache
def _dummy(cost: Cost) -> str:
    # A random key in the stored format: verifying against it derives once, as for a real
    # account, and making it derives nothing (so the first unknown sign-in is not slower).
    salt, key = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(KEY_BYTES)
    return f"{SCHEME}${cost.n}${cost.r}${cost.p}${_b64(salt)}${_b64(key)}"


def burn_time(password: str, cost: Cost = DEFAULT_COST) -> None:
    """Spend one verification's time at ``cost``, for a sign-in with an unknown account."""
    verify(password, _dummy(cost))


def weakness(password: str, email: str = "") -> str | None:
    """Why a new password is refused (``short``, ``long``, ``common``), or None."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    lowered = password.lower()
    local = email.split("@")[0].lower()
    if lowered in COMMON or "recircle" in lowered or (len(local) >= 4 and local in lowered):
        return "common"
    if len(set(password)) < 4:
        return "common"
    return None
