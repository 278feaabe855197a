"""The Chalice adapter: methods, forms, cookies, HEAD, the stage prefix, and cache policies."""

import json

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib.web.caching import PRIVATE, PUBLIC_CATALOG
from chalicelib.web.cookies import SetCookie
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from tests import events
from tests.conftest import ROOT, app_over, body

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _fallback(request: Request, error: Exception) -> Response:
    return Response(500, "a page that says sorry", {"Content-Type": "text/html"})


@pytest.fixture(scope="module")
def http():
    """An app with routes of every kind, declared the way packages declare theirs."""
    routes = Routes("probe", _fallback)

    @routes.route("/{market}/echo", PRIVATE, methods=["GET", "HEAD", "POST"])
    def echo(request: Request, market: str) -> Response:
        seen = {
            "method": request.method,
            "market": market,
            "query": request.query,
            "cookies": request.cookies,
            "form": request.form.fields if request.method == "POST" else None,
        }
        return Response(200, json.dumps(seen), {"Content-Type": "application/json"})

    @routes.route("/{market}/two-cookies", PRIVATE, methods=["POST"])
    def two_cookies(request: Request, market: str) -> Response:
        response = Response(303, "", {"Location": f"/{market}/echo"})
        response.set_cookie(SetCookie("__Host-a", "1", same_site="Strict"))
        return response.set_cookie(SetCookie("__Host-b", "2", max_age=60))

    @routes.route("/{market}/public-but-sets-a-cookie", PUBLIC_CATALOG)
    def careless(request: Request, market: str) -> Response:
        return Response(200, "hello").set_cookie(SetCookie("__Host-c", "3"))

    @routes.route("/{market}/raw-cookie", PUBLIC_CATALOG)
    def raw_cookie(request: Request, market: str) -> Response:
        return Response(200, "hello", {"set-cookie": "__Host-d=4; Path=/; Secure"})

    @routes.route("/{market}/loose", PRIVATE)
    def loose(request: Request, market: str) -> Response:
        return Response(200, "yours", {"Cache-Control": "private, max-age=3600"})

    @routes.route("/{market}/boom", PUBLIC_CATALOG)
    def boom(request: Request, market: str) -> Response:
        raise RuntimeError("a bug")

    app = Chalice(app_name="probe")
    app.register_blueprint(routes.blueprint)
    with Client(app, project_dir=str(ROOT)) as client:
        yield client.http


def test_a_form_post_reaches_the_handler_with_its_fields_and_cookies(http):
    response = http.post(
        "/fr-fr/echo?x=1&x=2",
        headers={**FORM, "Cookie": "__Host-cart=abc; theme=dark"},
        body="q=caf%C3%A9&q=th%C3%A9&empty=",
    )
    seen = json.loads(body(response))
    assert response.status_code == 200
    assert seen["method"] == "POST" and seen["market"] == "fr-fr"
    assert seen["query"] == {"x": ["1", "2"]}
    assert seen["cookies"] == {"__Host-cart": "abc", "theme": "dark"}
    assert seen["form"] == [["q", "café"], ["q", "thé"], ["empty", ""]]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_response_sets_several_cookies(http):
    response = http.post("/fr-fr/two-cookies", headers=FORM, body="")
    assert response.status_code == 303
    cookies = response.headers["Set-Cookie"]
    assert isinstance(cookies, list) and len(cookies) == 2
    assert "__Host-a=1; Path=/; Secure; HttpOnly; SameSite=Strict" in cookies
    assert "__Host-b=2; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax" in cookies


def test_a_response_that_sets_a_cookie_is_never_public(http):
    response = http.get("/fr-fr/public-but-sets-a-cookie")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_a_bug_below_the_guard_is_a_page_not_a_trace(http):
    response = http.get("/fr-fr/boom")
    assert response.status_code == 500
    assert body(response) == "a page that says sorry"
    assert response.headers["Cache-Control"] == "no-store"


def test_head_answers_like_get_without_a_body(http):
    got = http.get("/fr-fr/echo")
    head = http.request("HEAD", "/fr-fr/echo")
    assert head.status_code == got.status_code == 200
    assert body(head) == ""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]


def test_a_route_must_declare_its_policy_and_writes_are_never_public():
    routes = Routes("strict", _fallback)
    with pytest.raises(TypeError):
        routes.route("/x", None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="POST cannot be publicly cached"):
        routes.route("/x", PUBLIC_CATALOG, methods=["POST"])


def test_every_route_of_the_app_declares_a_cache_policy(shop_table):
    app = app_over(shop_table)
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            policy = getattr(entry.view_function, "cache_policy", None)
            assert policy is not None, (method, path)
            if method not in ("GET", "HEAD"):
                assert not policy.public, (method, path)


def test_the_stage_prefix_is_kept_for_links_and_removed_from_the_path(shop_table):
    app = app_over(shop_table)
    direct = app(events.load("home"), None)
    prefixed = app(events.load("home-under-stage-prefix"), None)
    assert direct["statusCode"] == prefixed["statusCode"] == 200
    assert 'href="/fr-fr/l/laptops"' in direct["body"]
    assert 'href="/api/fr-fr/l/laptops"' in prefixed["body"]


@pytest.mark.parametrize("path", ["/fr-fr/raw-cookie", "/fr-fr/loose"])
def test_no_handler_header_can_loosen_a_private_answer(http, path):
    response = http.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers
