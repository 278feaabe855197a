"""The market guard: a form that is not one becomes a page in the market's language."""

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib.composition import Services
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel.markets import MARKETS
from chalicelib.web import forms
from chalicelib.web.caching import PRIVATE
from chalicelib.web.guard import MarketGuard
from chalicelib.web.http import Request, Response
from chalicelib.web.routing import Routes
from tests.conftest import ROOT, body

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def http():
    """A POST route behind the guard, as a cart or an editor would declare one."""
    view = Services().view()
    guard = MarketGuard(view)
    routes = Routes("forms", lambda request, error: guard.failure(request, None, error))

    def save(request: Request, market) -> Response:
        return Response(303, "", {"Location": f"/{market.code}/?saved={len(request.form)}"})

    guarded = guard(save)

    @routes.route("/{market}/save", PRIVATE, methods=["POST"])
    def post(request: Request, market: str) -> Response:
        return guarded(request, market)

    app = Chalice(app_name="forms")
    app.register_blueprint(routes.blueprint)
    with Client(app, project_dir=str(ROOT)) as client:
        yield client.http


def test_a_good_form_is_read(http):
    response = http.post("/de-de/save", headers={"Content-Type": FORM}, body="a=1&b=2")
    assert response.status_code == 303 and response.headers["Location"] == "/de-de/?saved=2"


@pytest.mark.parametrize("code", list(MARKETS))
@pytest.mark.parametrize(
    "content_type, payload, status",
    [
        (FORM, b"a=" + b"x" * (forms.MAX_FORM_BYTES + 1), 413),
        ("text/plain", b"a=1", 415),
        (FORM, b"a=%C3%28", 400),
    ],
)
def test_a_form_that_is_not_one_is_a_page_in_the_market_language(
    http, code, content_type, payload, status
):
    response = http.post(f"/{code}/save", headers={"Content-Type": content_type}, body=payload)
    page = body(response)
    market = MARKETS[code]
    title = translations_for(market.translation_chain).gettext("We could not read what you sent")
    assert response.status_code == status
    assert f'<html lang="{market.html_lang}">' in page
    assert title in page.replace("&#39;", "'")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Traceback" not in page
