"""The resource tree API Gateway builds from the routes, checked, and the routes that complete it.

API Gateway allows one variable child per resource (``{x}`` or a greedy ``{x+}``, which must
be last), answers a method a resource lacks, and a path no resource matches, with its own
JSON 403. ``fall_through`` lists the routes that leave no such path: every resource answers,
and below every resource without a variable child a greedy ``{proxy+}`` takes the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

STATIC, VARIABLE, GREEDY = 0, 1, 2
GREEDY_TAIL = "{proxy+}"


def kind(part: str) -> int:
    """Whether a route segment is static, ``{variable}`` or greedy ``{variable+}``."""
    if part.startswith("{") and part.endswith("+}"):
        return GREEDY
    if part.startswith("{") and part.endswith("}"):
        return VARIABLE
    return STATIC


def _segments(path: str) -> tuple[str, ...]:
    return tuple(path.strip("/").split("/")) if path.strip("/") else ()


def _tree(paths: Iterable[str]) -> tuple[set[tuple[str, ...]], dict[tuple[str, ...], set[str]]]:
    nodes: set[tuple[str, ...]] = {()}
    for path in paths:
        segments = _segments(path)
        nodes.update(segments[:end] for end in range(1, len(segments) + 1))
    children: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for node in nodes:
        if node:
            children[node[:-1]].add(node[-1])
    return nodes, children


def problems(paths: Iterable[str]) -> list[str]:
    """What API Gateway would refuse to create: two variables side by side, a greedy not last."""
    nodes, children = _tree(paths)
    found = []
    for node in sorted(nodes):
        variables = sorted(c for c in children[node] if kind(c) != STATIC)
        if len(variables) > 1:
            found.append(f"/{'/'.join(node)} has sibling variables {', '.join(variables)}")
        if node and kind(node[-1]) == GREEDY and children[node]:
            found.append(f"/{'/'.join(node)} is greedy and has children")
    return found


def fall_through(paths: Iterable[str]) -> list[str]:
    """Routes to add so that every path below the declared ones reaches a handler."""
    paths = list(paths)
    declared = {_segments(path) for path in paths}
    nodes, children = _tree(paths)
    missing = []
    for node in sorted(nodes):
        route = "/" + "/".join(node)
        if node not in declared:
            missing.append(route)
        greedy = node and kind(node[-1]) == GREEDY
        if not greedy and all(kind(child) == STATIC for child in children[node]):
            missing.append(f"{route.rstrip('/')}/{GREEDY_TAIL}")
    return missing
