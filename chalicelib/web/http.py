"""Framework-free request and response values, so page code never imports Chalice."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from chalicelib.web import cookies, forms


@dataclass(frozen=True)
class Request:
    """What a page needs of an HTTP request."""

    path: str
    prefix: str = ""
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: bytes = b""
    source_ip: str = ""

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

    @functools.cached_property
    def form(self) -> forms.Form:
        """The parsed form body; FormError when it is not a well-formed form of our size."""
        return forms.parse(self.body, self.header("content-type"), files=True)

    def read_form(self, max_bytes: int) -> forms.Form:
        """The form, read once with a larger size limit than the default (a file upload)."""
        if "form" not in self.__dict__:
            self.__dict__["form"] = forms.parse(
                self.body, self.header("content-type"), max_bytes=max_bytes, files=True
            )
        return self.form

    @functools.cached_property
    def cookies(self) -> dict[str, str]:
        """The cookies the browser sent, by name (the first of a repeated name wins)."""
        return cookies.parse(self.header("cookie"))


@dataclass
class Response:
    """An HTTP response: status, body, headers and any number of cookies to set."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[cookies.SetCookie] = field(default_factory=list)

    def set_cookie(self, cookie: cookies.SetCookie) -> Response:
        """Add a Set-Cookie header; the caching policy then keeps the response private."""
        self.cookies.append(cookie)
        return self


def redirect(location: str, status: int = 302, headers: dict[str, str] | None = None) -> Response:
    """A redirect with an empty body."""
    return Response(status, "", {"Location": location, **(headers or {})})


def with_query(path: str, params: dict[str, str | int | None]) -> str:
    """A path with the non-empty parameters as its query string, in the order given."""
    if not params:
        return path
    kept = [(k, v) for k, v in params.items() if v is not None and v != ""]
    return f"{path}?{urlencode(kept)}" if kept else path
