"""Framework-free request and response values, so page code never imports Chalice."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Request:
    """What a page needs of an HTTP request."""

    path: str
    prefix: str = ""
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def arg(self, name: str) -> str | None:
        """The last value of a query parameter, or None."""
        values = self.query.get(name)
        return values[-1] if values else None

    @property
    def rest(self) -> str:
        """The path after its market segment: ``l/laptops`` for ``/fr-fr/l/laptops``."""
        return self.path.split("/", 2)[2] if self.path.count("/") >= 2 else ""

    def header(self, name: str) -> str:
        """A header's value by case-insensitive name, or an empty string."""
        return self.headers.get(name.lower(), "")


@dataclass
class Page:
    """An HTTP response: status, HTML body and headers."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def redirect(location: str, status: int = 302, headers: dict[str, str] | None = None) -> Page:
    """A redirect with an empty body."""
    return Page(status, "", {"Location": location, **(headers or {})})


def with_query(path: str, params: dict[str, str | int | None]) -> str:
    """A path with the non-empty parameters as its query string, in the order given."""
    if not params:
        return path
    kept = [(k, v) for k, v in params.items() if v is not None and v != ""]
    return f"{path}?{urlencode(kept)}" if kept else path
