"""Page functions: each turns a request into a rendered page, errors included."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from chalicelib import aws, seo, stages
from chalicelib.catalog import (
    CATEGORY_BY_CODE,
    GRADE_BY_CODE,
    N_,
    SORTS,
    delivery_window,
    select_offer,
    tokens,
)
from chalicelib.markets import DEFAULT_MARKET, MARKETS, Market, canonical_code
from chalicelib.money import Money, minor_digits
from chalicelib.negotiation import choose_market
from chalicelib.render import Links, Seo, market_offer, render, render_xml
from chalicelib.repository import BadCursor, CatalogRepository, CatalogUnavailable
from chalicelib.web import Page, Request, redirect

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MAX_QUERY_LENGTH = 100
MAX_SEARCH_TERMS = 6
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_WHOLE = re.compile(r"^[0-9]{1,7}$")
_SMALL_WHOLE = re.compile(r"^[0-9]{1,6}$")
# Pages whose language follows the visitor's headers rather than the address.
_NEGOTIATED = {
    "Vary": "Accept-Language, CloudFront-Viewer-Country",
    "Cache-Control": "private, max-age=0",
}


class HttpError(Exception):
    """An error a shopper sees as a page with this status and message."""

    status = 500
    title = N_("Something went wrong on our side")
    message = N_("Please try again in a moment. If it keeps happening, come back a little later.")
    link: str | None = None
    link_text = ""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class NotFound(HttpError):
    status = 404
    title = N_("Page not found")
    message = N_("This page does not exist or is no longer available.")


class BadRequest(HttpError):
    status = 400
    title = N_("We could not understand this address")
    message = N_("Part of this address is not valid. Start again from the page before.")


class Unavailable(HttpError):
    status = 503
    title = N_("The shop is taking a short break")
    message = N_("We could not reach our catalog just now. Please try again in a minute.")


class ServedElsewhere(HttpError):
    """A market that another stage (another region's deployment) serves."""

    status = 404
    title = N_("This shop is served from another address")
    message = N_("Prices, stock and delivery for this country come from its own shop.")

    def __init__(self, request: Request, market: Market) -> None:
        super().__init__()
        other = stages.stage_serving(market.code)
        self.link = (other.public_url if other else "") + f"/{market.code}/{quote(request.rest)}"
        self.link_text = market_offer(market.code)


class Redirect(Exception):
    """Send the shopper to the canonical address of what they asked for."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@functools.lru_cache(maxsize=4)
def _repository(table: Any) -> CatalogRepository:
    return CatalogRepository(table)


def repository() -> CatalogRepository:
    """The repository over the table of this stage."""
    return _repository(aws.catalog_table())


# CloudFront keeps pages five minutes, serves a stale copy while it refreshes, and for a day
# when the origin fails; browsers always revalidate (the ETag makes that a 304).
CACHE_OK = "public, max-age=0, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400"
CACHE_CLIENT_ERROR = "public, max-age=0, s-maxage=60"


def _cached(request: Request, page: Page) -> Page:
    """Cache headers and an ETag for what may be cached; 304 when the shopper has it."""
    if page.status in (200, 404, 400) and "Cache-Control" not in page.headers:
        page.headers["Cache-Control"] = CACHE_OK if page.status == 200 else CACHE_CLIENT_ERROR
    elif page.status >= 500:
        page.headers.setdefault("Cache-Control", "no-store")
    if page.status == 200:
        etag = '"' + hashlib.blake2b(page.body.encode(), digest_size=16).hexdigest() + '"'
        page.headers["ETag"] = etag
        wanted = request.header("if-none-match")
        if wanted and (wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")]):
            return Page(304, "", {k: v for k, v in page.headers.items() if k != "Content-Type"})
    return page


def _html(status: int, body: str, market: Market) -> Page:
    return Page(
        status,
        body,
        {"Content-Type": "text/html; charset=utf-8", "Content-Language": market.html_lang},
    )


def _visitor_market(request: Request) -> Market:
    """The market whose language an error or picker page speaks."""
    chosen = choose_market(
        request.header("accept-language"), request.header("cloudfront-viewer-country")
    )
    return chosen or MARKETS[DEFAULT_MARKET]


def _guarded(handler: Callable[..., Page]) -> Callable[..., Page]:
    """Turn every failure of a page into an error page in the shopper's language."""

    @functools.wraps(handler)
    def wrapper(request: Request, code: str, *args: Any) -> Page:
        return _cached(request, _answer(request, code, *args))

    def _answer(request: Request, code: str, *args: Any) -> Page:
        market = MARKETS.get(code)
        try:
            if market is None:
                canonical = canonical_code(code)
                if canonical is None:
                    page = _picker(request, _visitor_market(request), status=404)
                    page.headers.update(_NEGOTIATED)
                    return page
                query = _query_string(request)
                path = Links(request, None).path(f"/{canonical}/{quote(request.rest)}")
                raise Redirect(path + query)
            if market.code not in stages.served_markets():
                raise ServedElsewhere(request, market)
            return handler(request, market, *args)
        except Redirect as move:
            return redirect(move.location, status=301)
        except HttpError as error:
            return _error_page(request, market or _visitor_market(request), error)
        except BadCursor:
            return _error_page(
                request,
                market,
                BadRequest(N_("This page link has expired. Start again from the first page.")),
            )
        except CatalogUnavailable as error:
            log.warning("catalog unavailable: %s", error)
            return _error_page(request, market, Unavailable())
        except Exception:
            log.exception("unhandled error on %s", request.path)
            return _error_page(request, market or _visitor_market(request), HttpError())

    return wrapper


def _query_string(request: Request) -> str:
    pairs = [(k, v) for k, values in request.query.items() for v in values]
    return f"?{urlencode(pairs)}" if pairs else ""


def _error_page(request: Request, market: Market, error: HttpError) -> Page:
    body = render("error.html", request, market, error=error)
    page = _html(error.status, body, market)
    if error.status == 503:
        page.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return page


def _picker(request: Request, market: Market, status: int = 200) -> Page:
    suggested = choose_market(
        request.header("accept-language"), request.header("cloudfront-viewer-country")
    )
    body = render("picker.html", request, market, suggested=suggested, status=status)
    return _html(status, body, market)


def root(request: Request) -> Page:
    """``/``: send the visitor to their market, or show every market to choose from."""
    try:
        market = choose_market(
            request.header("accept-language"), request.header("cloudfront-viewer-country")
        )
        if market is None or request.arg("choose") is not None:
            page = _picker(request, market or MARKETS[DEFAULT_MARKET])
        else:
            page = redirect(Links(request, None).path(f"/{market.code}/"))
        page.headers.update(_NEGOTIATED)
        return page
    except Exception:
        log.exception("unhandled error on /")
        return _error_page(request, MARKETS[DEFAULT_MARKET], HttpError())


@_guarded
def home(request: Request, market: Market) -> Page:
    """A market's home page: categories, best deals and the market's promises."""
    data = repository().home(market.code, market.currency)
    if data is None:
        raise Unavailable()
    seo = Links(request, market).seo("/", MARKETS)
    return _html(200, render("home.html", request, market, home=data, seo=seo), market)


def _category(code: str):
    category = CATEGORY_BY_CODE.get(code)
    if category is None:
        raise NotFound()
    return category


def _price_param(request: Request, name: str, currency: str) -> int | None:
    raw = (request.arg(name) or "").strip()
    if not raw:
        return None
    if not _WHOLE.match(raw):
        raise BadRequest(N_("Prices must be whole numbers, like 150."))
    return int(raw) * 10 ** minor_digits(currency)


@_guarded
def listing(request: Request, market: Market, category_code: str) -> Page:
    """A category listing with brand, grade and price filters, sort and pagination."""
    category = _category(category_code)
    brand = request.arg("brand") or None
    if brand is not None and not _SLUG.match(brand):
        raise BadRequest(N_("This brand filter is not valid."))
    grade = request.arg("grade") or None
    if grade is not None and grade not in GRADE_BY_CODE:
        raise BadRequest(N_("This condition filter is not valid."))
    sort = request.arg("sort") or "popular"
    if sort not in SORTS:
        raise BadRequest(N_("This sort order is not valid."))
    low = _price_param(request, "min", market.currency)
    high = _price_param(request, "max", market.currency)
    if low is not None and high is not None and low > high:
        low, high = high, low
    page = repository().listing(
        market.code,
        category.code,
        brand=brand,
        grade=grade,
        sort=sort,
        price_min=low,
        price_max=high,
        cursor=request.arg("cursor") or None,
    )
    filters = {
        "brand": brand,
        "grade": grade,
        "sort": sort if sort != "popular" else None,
        "min": None
        if low is None
        else Money(low, market.currency).to_decimal().to_integral_value(),
        "max": None
        if high is None
        else Money(high, market.currency).to_decimal().to_integral_value(),
    }
    # A category, or a brand in it, is a landing page; other filters are views of it.
    indexable = not (grade or low is not None or high is not None or request.arg("cursor"))
    indexable = indexable and sort == "popular"
    seo = Links(request, market).seo(f"/l/{category.code}", MARKETS, indexable, brand=brand)
    body = render(
        "listing.html",
        request,
        market,
        category=category,
        page=page,
        filters=filters,
        sort=sort,
        seo=seo,
    )
    return _html(200, body, market)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.arg(name) or ""
    return int(raw) if _SMALL_WHOLE.match(raw) else None


@_guarded
def product(request: Request, market: Market, product_id: str) -> Page:
    """A product page: grades, variants, the best offer and the others, terms of the market."""
    if not _SLUG.match(product_id):
        raise NotFound()
    item = repository().product(market.code, product_id)
    if item is None:
        raise NotFound(N_("This product is not sold in this country, or no longer sold."))
    selection = select_offer(
        item, _int_param(request, "storage"), request.arg("color"), request.arg("grade")
    )
    page_seo = Links(request, market).seo(f"/p/{item.id}", item.markets or (market.code,))
    body = render(
        "product.html",
        request,
        market,
        product=item,
        selection=selection,
        delivery=delivery_window(_today(market), market.delivery_days),
        category=CATEGORY_BY_CODE[item.category],
        seo=page_seo,
        structured_data=seo.product_data(item, selection, page_seo.canonical),
    )
    return _html(200, body, market)


def _today(market: Market) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(market.timezone)).date()
    except Exception:  # no tz database on the host: UTC is at most a day off
        return dt.datetime.now(dt.UTC).date()


@_guarded
def search(request: Request, market: Market) -> Page:
    """Search the market's catalog by the words of titles, brands and categories."""
    query = (request.arg("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(N_("This search is too long. Try fewer words."))
    terms = tokens(query)[:MAX_SEARCH_TERMS]
    page = None
    too_short = bool(terms) and max(len(t) for t in terms) < 2
    if terms and not too_short:
        page = repository().search(market.code, terms, cursor=request.arg("cursor") or None)
    body = render(
        "search.html",
        request,
        market,
        query=query,
        page=page,
        too_short=too_short,
        seo=Seo(robots="noindex, follow"),
    )
    return _html(200, body, market)


@_guarded
def not_found(request: Request, market: Market, *_: str) -> Page:
    """Any other address under a market: a 404 page in the market's language."""
    raise NotFound()


def robots(request: Request) -> Page:
    """``/robots.txt``."""
    return Page(200, seo.robots_txt(Links(request, None)), {"Content-Type": "text/plain"})


def sitemap_index(request: Request) -> Page:
    """``/sitemap.xml``: one sitemap per market."""
    links = Links(request, None)
    body = render_xml("sitemap_index.xml", links=links, markets=MARKETS)
    return Page(200, body, {"Content-Type": "application/xml"})


def market_sitemap(request: Request, code: str) -> Page:
    """``/{market}/sitemap.xml``: home, categories and products, with their alternates."""
    market = MARKETS.get(code)
    if market is None:
        return Page(404, "", {"Content-Type": "application/xml"})
    try:
        products = repository().sitemap(market.code)
    except CatalogUnavailable:
        return Page(503, "", {"Retry-After": str(RETRY_AFTER_SECONDS)})
    links = Links(request, market)
    body = render_xml(
        "sitemap.xml",
        links=links,
        market=market,
        markets=MARKETS,
        categories=CATEGORY_BY_CODE,
        products=products,
    )
    return Page(200, body, {"Content-Type": "application/xml"})
