"""Framework-free request and response values, so page code never imports Chalice."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from chalicelib.web import cookies, forms

# Longer than any value a page reads (a cursor is at most ~2 KB); the rest is never read.
MAX_ARG_CHARS = 4096
# Characters a query value never needs and a page must never echo: C0 and C1 controls
# (NUL included), DEL, bidi embeddings, overrides and isolates, bidi marks, lone surrogates.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
    ]
)
# What a path may hold as it is: unreserved and sub-delimiter characters, ":", "@", "/", "%".
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def clean(value: str) -> str:
    """A query value without control or bidi characters, at most MAX_ARG_CHARS long."""
    return value[: MAX_ARG_CHARS * 2].translate(_INVISIBLE)[:MAX_ARG_CHARS]


def escaped_path(path: str) -> str:
    """A path as a URL holds it: escapes kept as they are, anything else escaped once.

    Idempotent: a path that went through it once comes out the same, so a redirect that
    re-sends a path never turns ``%20`` into ``%2520``.
    """
    return quote(_STRAY_PERCENT.sub("%25", path), safe=_PATH_SAFE, errors="surrogatepass")


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
        """The last value of a query parameter, cleaned (see ``clean``), or None."""
        values = self.query.get(name)
        if not values:
            return None
        if name not in self._args:
            self._args[name] = clean(values[-1])
        return self._args[name]

    @functools.cached_property
    def _args(self) -> dict[str, str]:
        return {}

    def pairs(self) -> list[tuple[str, str]]:
        """Every query parameter and value, cleaned, in order (to send them on)."""
        return [(clean(k), clean(v)) for k, values in self.query.items() for v in values]

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
