"""Routes of the storefront: each parses its request and calls one page function."""

from chalice import Chalice, Response

from chalicelib import pages
from chalicelib.web import Page, Request

app = Chalice(app_name="storefront")


def _request() -> Request:
    """The current request as the page functions see it."""
    current = app.current_request
    context = current.context or {}
    full_path = context.get("path") or "/"
    # API Gateway puts the stage prefix ("/api") in the context path but not in the event's.
    path = current._event_dict.get("path") or full_path
    prefix = full_path[: -len(path)] if path != "/" and full_path.endswith(path) else ""
    if path == "/" and full_path != "/":
        prefix = full_path.rstrip("/")
    query = {k: current.query_params.getlist(k) for k in (current.query_params or {})}
    return Request(
        path=path,
        prefix=prefix,
        query=query,
        headers={k.lower(): v for k, v in current.headers.items()},
    )


def _response(page: Page) -> Response:
    return Response(body=page.body, status_code=page.status, headers=page.headers)


@app.route("/")
def root() -> Response:
    return _response(pages.root(_request()))


@app.route("/robots.txt")
def robots() -> Response:
    return _response(pages.robots(_request()))


@app.route("/sitemap.xml")
def sitemap_index() -> Response:
    return _response(pages.sitemap_index(_request()))


@app.route("/{market}/sitemap.xml")
def market_sitemap(market: str) -> Response:
    return _response(pages.market_sitemap(_request(), market))


@app.route("/{market}")
def home(market: str) -> Response:
    return _response(pages.home(_request(), market))


@app.route("/{market}/l/{category}")
def listing(market: str, category: str) -> Response:
    return _response(pages.listing(_request(), market, category))


@app.route("/{market}/p/{product}")
def product(market: str, product: str) -> Response:
    return _response(pages.product(_request(), market, product))


@app.route("/{market}/search")
def search(market: str) -> Response:
    return _response(pages.search(_request(), market))


@app.route("/{market}/{page}")
def unknown_page(market: str, page: str) -> Response:
    return _response(pages.not_found(_request(), market))


@app.route("/{market}/{section}/{page}")
def unknown_section_page(market: str, section: str, page: str) -> Response:
    return _response(pages.not_found(_request(), market))


@app.route("/{market}/{section}/{page}/{rest}")
def unknown_deep_page(market: str, section: str, page: str, rest: str) -> Response:
    return _response(pages.not_found(_request(), market))
