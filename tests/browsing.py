"""A browser over the app for HTTP tests: keeps cookies, sends an Origin, reads CSRF tokens."""

from __future__ import annotations

import html
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.conftest import body


class Browser:
    """A browser on the app: keeps cookies, sends our Origin, reads forms' CSRF tokens."""

    def __init__(self, http, origin: str) -> None:
        self.http = http
        self.origin = origin
        self.jar: dict[str, str] = {}
        self.last = None
        self.page = ""  # the last page that had a form

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Host": urlsplit(self.origin).netloc, "X-Forwarded-Proto": "https"}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        headers.update(extra or {})
        return headers

    def _keep(self, response) -> None:
        cookies = response.headers.get("Set-Cookie") or []
        for header in [cookies] if isinstance(cookies, str) else cookies:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel["max-age"] == "0":
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value
        self.last = response
        if 'name="csrf"' in body(response):
            self.page = body(response)

    def get(self, url: str, /, headers: dict | None = None, **query):
        """GET a page."""
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query)
        response = self.http.http.get(url, headers=self._headers(headers))
        self._keep(response)
        return response

    def csrf(self, page: str | None = None) -> str:
        """The CSRF token of the last form page's (or the given page's) forms."""
        text = page if page is not None else self.page
        found = re.search(r'name="csrf" value="([^"]*)"', text)
        return html.unescape(found.group(1)) if found else ""

    def post(self, path: str, fields: dict | list, csrf: str | None = None, headers=None):
        """POST a form; the CSRF token of the last page unless one is given."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        token = self.csrf() if csrf is None else csrf
        if token is not False:
            pairs.append(("csrf", token))
        extra = {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin}
        extra.update(headers or {})
        response = self.http.http.post(path, headers=self._headers(extra), body=urlencode(pairs))
        self._keep(response)
        return response
