"""Cookies: what the browser sent, and Set-Cookie headers with their attributes checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# RFC 6265 cookie-name is a token; a value is cookie-octets, optionally in double quotes.
_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_VALUE = re.compile(r"^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$")
_PATH = re.compile(r"^/[\x21-\x3A\x3C-\x7E]*$")  # no ";", no space, no control
MAX_COOKIE_HEADER = 8192


def parse(header: str) -> dict[str, str]:
    """Name to value of a Cookie header; malformed pairs are skipped, the first name wins."""
    found: dict[str, str] = {}
    for pair in (header or "")[:MAX_COOKIE_HEADER].split(";"):
        name, sep, value = pair.strip().partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        if sep and _NAME.match(name) and _VALUE.match(value):
            found.setdefault(name, value)
    return found


@dataclass(frozen=True)
class SetCookie:
    """One Set-Cookie header; ``__Host-`` names must be Secure, on ``/`` and host-only."""

    name: str
    value: str
    max_age: int | None = None
    path: str = "/"
    secure: bool = True
    http_only: bool = True
    same_site: Literal["Strict", "Lax", "None"] = "Lax"

    def __post_init__(self) -> None:
        if not _NAME.match(self.name) or not _VALUE.match(self.value):
            raise ValueError(f"not a valid cookie: {self.name!r}")
        if not _PATH.match(self.path):
            raise ValueError(f"not a valid cookie path: {self.path!r}")
        if self.name.startswith("__Host-") and (not self.secure or self.path != "/"):
            raise ValueError("a __Host- cookie must be Secure with Path=/")
        if self.same_site == "None" and not self.secure:
            raise ValueError("SameSite=None needs Secure")

    def header(self) -> str:
        """The header's value, e.g. ``__Host-cart=…; Path=/; Secure; HttpOnly; SameSite=Lax``."""
        parts = [f"{self.name}={self.value}", f"Path={self.path}"]
        if self.max_age is not None:
            parts.append(f"Max-Age={self.max_age}")
        if self.secure:
            parts.append("Secure")
        if self.http_only:
            parts.append("HttpOnly")
        parts.append(f"SameSite={self.same_site}")
        return "; ".join(parts)

    @classmethod
    def expired(cls, name: str, **attributes: object) -> SetCookie:
        """A header that makes the browser forget a cookie now."""
        return cls(name, "", max_age=0, **attributes)  # type: ignore[arg-type]
