"""API Gateway's greedy path variables (``{proxy+}``) for chalice local and chalice.test.Client.

Chalice 1.34 hands a route such as ``/{market}/{proxy+}`` to API Gateway as it is, and API
Gateway sends it every path below ``/{market}/`` that no other resource matches. Chalice's
own local gateway (``chalice.local.RouteMatcher``) only matches paths with exactly as many
segments as a route, so locally the same path would be Chalice's JSON 403. ``install()``
swaps in a matcher that chooses as API Gateway does: at each segment a static part before
a ``{variable}``, a variable before a greedy ``{variable+}``, which takes one segment or more.
``make run`` (tools/devserver.py), the tests (tests/conftest.py) and ``make fuzz`` install it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from chalice import local

from chalicelib.web.route_tree import GREEDY, VARIABLE, kind


def match(route: str, parts: list[str]) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """How specifically ``route`` matches the path's segments (lower is more), or None."""
    route_parts = route.split("/")
    ranks: list[int] = []
    captured: dict[str, str] = {}
    for index, part in enumerate(route_parts):
        what = kind(part)
        if what == GREEDY:
            rest = parts[index:]
            if index != len(route_parts) - 1 or not rest:
                return None
            captured[part[1:-2]] = "/".join(rest)
            return (*ranks, GREEDY), captured
        if index >= len(parts):
            return None
        if what == VARIABLE:
            captured[part[1:-1]] = parts[index]
        elif part != parts[index]:
            return None
        ranks.append(what)
    if len(parts) != len(route_parts):
        return None
    return tuple(ranks), captured


class GreedyRouteMatcher(local.RouteMatcher):
    """Chalice's local route matcher, with greedy variables and API Gateway's precedence."""

    def match_route(self, url: str) -> local.MatchResult:
        """The most specific route for a URL; ValueError (Chalice's 403) when none matches."""
        parsed = urlparse(url)
        path = parsed.path
        # API Gateway removes a trailing slash except on the root, as Chalice's matcher does.
        if path != "/" and path.endswith("/"):
            path = path[:-1]
        parts = path.split("/")
        best: tuple[tuple[int, ...], str, dict[str, str]] | None = None
        for route in self.route_urls:
            found = match(route, parts)
            if found and (best is None or found[0] < best[0]):
                best = (found[0], route, found[1])
        if best is None:
            raise ValueError(f"No matching route found for: {url}")
        query = parse_qs(parsed.query, keep_blank_values=True)
        return local.MatchResult(best[1], best[2], query)


def install() -> None:
    """Make chalice local and chalice.test.Client route greedy variables as API Gateway does."""
    local.RouteMatcher = GreedyRouteMatcher  # type: ignore[misc]
