"""Every failure on the way out is still a page: the ETag step, odd text, headers, the fallback."""

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib.composition import Services
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.web.caching import NEGOTIATED, PRIVATE, PUBLIC_CATALOG
from chalicelib.web.guard import MarketGuard
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from tests.conftest import ROOT, body

HALF_A_PAIR = "Caf\udce9 \ud83d"  # what a mangled stored title can hold: lone surrogates


@pytest.fixture(scope="module")
def http():
    """Routes whose handlers return what the pipeline after them cannot send as it is."""
    guard = MarketGuard(Services().view())
    routes = Routes("probe", guard.fallback)

    @routes.route("/{market}/half-a-pair", PUBLIC_CATALOG)
    def half_a_pair(request: Request, market: str) -> Response:
        return Response(200, f"<p>{HALF_A_PAIR}</p>", {"Content-Type": "text/html"})

    @routes.route("/{market}/private-half-a-pair", PRIVATE)
    def private_half_a_pair(request: Request, market: str) -> Response:
        return Response(200, f"<p>{HALF_A_PAIR}</p>", {"Content-Type": "text/html"})

    @routes.route("/{market}/no-body", PUBLIC_CATALOG)
    def no_body(request: Request, market: str) -> Response:
        return Response(200, None)  # type: ignore[arg-type]

    @routes.route("/{market}/split-header", NEGOTIATED)
    def split_header(request: Request, market: str) -> Response:
        return Response(200, "ok", {"Link": "</a>\r\nSet-Cookie: x=1"})

    app = Chalice(app_name="probe")
    app.register_blueprint(routes.blueprint)
    with Client(app, project_dir=str(ROOT)) as client:
        yield client.http


def sorry(code: str) -> str:
    return translations_for(MARKETS[code].translation_chain).gettext(
        "Something went wrong on our side"
    )


def test_half_a_surrogate_pair_is_sent_as_a_replacement_character_with_an_etag(http):
    response = http.get("/fr-fr/half-a-pair")
    assert response.status_code == 200
    assert body(response) == "<p>Caf\ufffd \ufffd</p>"
    etag = response.headers["ETag"]
    again = http.get("/fr-fr/half-a-pair", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag


def test_half_a_surrogate_pair_on_a_route_without_etags(http):
    response = http.get("/fr-fr/private-half-a-pair")
    assert response.status_code == 200 and body(response) == "<p>Caf\ufffd \ufffd</p>"
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("code", ["ja-jp", "el-gr", "pt-pt"])
@pytest.mark.parametrize("path", ["no-body", "split-header"])
def test_a_failure_after_the_handler_is_the_error_page_of_the_market(http, code, path):
    response = http.get(f"/{code}/{path}")
    page = body(response)
    assert response.status_code == 500
    assert f'<html lang="{MARKETS[code].html_lang}">' in page
    assert sorry(code) in page.replace("&#39;", "'")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers and "Traceback" not in page


def test_a_failing_error_page_is_still_a_page_not_chalice_json():
    def broken(request: Request, error: Exception) -> Response:
        raise RuntimeError("the error template is broken too")

    routes = Routes("broken", broken)

    @routes.route("/{market}/boom", PUBLIC_CATALOG)
    def boom(request: Request, market: str) -> Response:
        raise RuntimeError("a bug")

    app = Chalice(app_name="broken")
    app.register_blueprint(routes.blueprint)
    with Client(app, project_dir=str(ROOT)) as client:
        response = client.http.get("/fr-fr/boom")
        head = client.http.request("HEAD", "/fr-fr/boom")
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>" in body(response) and "InternalServerError" not in body(response)
    assert head.status_code == 500 and body(head) == ""
