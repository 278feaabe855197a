"""The routes as API Gateway builds its resources: deployable, and with no path left unanswered."""

import os

import pytest

from chalicelib.web.route_tree import fall_through, problems
from tests.conftest import app_over
from tools.local_gateway import GreedyRouteMatcher


def routes_of(function: str, table) -> list[str]:
    """Every route of one function, as `chalice package` hands them to API Gateway."""
    saved = os.environ.get("FUNCTION")
    os.environ["FUNCTION"] = function
    try:
        return list(app_over(table).routes)
    finally:
        os.environ.pop("FUNCTION") if saved is None else os.environ.update(FUNCTION=saved)


@pytest.fixture(scope="module")
def storefront_routes(shop_table):
    return routes_of("storefront", shop_table)


def test_api_gateway_can_build_the_storefront_tree(storefront_routes):
    assert problems(storefront_routes) == []
    assert "/{market}/{proxy+}" in storefront_routes


@pytest.mark.parametrize("function", ["admin", ""])
def test_api_gateway_can_build_the_admin_tree_and_every_path_has_an_answer(shop_table, function):
    routes = routes_of(function, shop_table)
    assert "/admin/{market}/messages/edit" in routes
    assert problems(routes) == []
    assert fall_through(routes) == []


def test_two_variables_side_by_side_are_what_api_gateway_refuses():
    found = problems(["/{market}/{page}", "/{market}/{section}/{page}", "/a/{x+}/b"])
    assert sorted(found) == [
        "/a/{x+} is greedy and has children",
        "/{market} has sibling variables {page}, {section}",
    ]


def test_the_storefront_tree_is_complete(storefront_routes):
    assert fall_through(storefront_routes) == []


def test_fall_through_adds_greedy_tails_and_the_resources_between():
    declared = ["/", "/{market}", "/{market}/l/{category}", "/{market}/search"]
    added = fall_through(declared)
    assert added == [
        "/{market}/{proxy+}",
        "/{market}/l",
        "/{market}/l/{category}/{proxy+}",
        "/{market}/search/{proxy+}",
    ]
    assert problems(declared + added) == [] and fall_through(declared + added) == []


@pytest.mark.parametrize(
    "path, route, captured",
    [
        ("/fr-fr", "/{market}", {"market": "fr-fr"}),
        ("/fr-fr/", "/{market}", {"market": "fr-fr"}),
        ("/fr-fr/l/laptops", "/{market}/l/{category}", {"market": "fr-fr", "category": "laptops"}),
        ("/fr-fr/l", "/{market}/l", {"market": "fr-fr"}),
        ("/fr-fr/x", "/{market}/{proxy+}", {"market": "fr-fr", "proxy": "x"}),
        ("/fr-fr/a/b/c/d/e", "/{market}/{proxy+}", {"market": "fr-fr", "proxy": "a/b/c/d/e"}),
        (
            "/fr-fr/l/laptops/x/y",
            "/{market}/l/{category}/{proxy+}",
            {"market": "fr-fr", "category": "laptops", "proxy": "x/y"},
        ),
        ("/fr-fr/search", "/{market}/search", {"market": "fr-fr"}),
        ("/robots.txt", "/robots.txt", {}),
    ],
)
def test_the_local_gateway_chooses_as_api_gateway_does(path, route, captured):
    routes = [
        "/",
        "/robots.txt",
        "/{market}",
        "/{market}/l",
        "/{market}/l/{category}",
        "/{market}/l/{category}/{proxy+}",
        "/{market}/search",
        "/{market}/{proxy+}",
    ]
    found = GreedyRouteMatcher(routes).match_route(path + "?q=1")
    assert (found.route, found.captured, found.query_params) == (route, captured, {"q": ["1"]})


def test_the_local_gateway_still_refuses_what_no_route_matches():
    with pytest.raises(ValueError):
        GreedyRouteMatcher(["/{market}/l/{category}"]).match_route("/fr-fr/p/x")
