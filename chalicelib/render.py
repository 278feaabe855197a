"""Jinja2 rendering with the market's translations, formats and links."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from chalicelib.catalog import (
    CATEGORIES,
    CATEGORY_BY_CODE,
    COLORS,
    GRADE_BY_CODE,
    GRADES,
    PREMIUM_BATTERY,
)
from chalicelib.i18n import Formatter, babel_locale, translations_for
from chalicelib.markets import MARKETS, Market
from chalicelib.negotiation import LANGUAGE_HOMES
from chalicelib.web import Request, with_query

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
SITE_NAME = "ReCircle"
_translations: contextvars.ContextVar = contextvars.ContextVar("translations")


def _gettext(message: str) -> str:
    return _translations.get().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.get().ngettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return _translations.get().pgettext(context, message)


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations.get().npgettext(context, singular, plural, n)


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment: autoescaped, strict, with gettext read per request."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.globals.update(
        GRADES=GRADES,
        GRADE_BY_CODE=GRADE_BY_CODE,
        CATEGORIES=CATEGORIES,
        CATEGORY_BY_CODE=CATEGORY_BY_CODE,
        COLORS=COLORS,
        SITE_NAME=SITE_NAME,
        PREMIUM_BATTERY=PREMIUM_BATTERY,
    )
    return env


@functools.cache
def market_name(code: str) -> str:
    """A market as its own shoppers name it, e.g. ``Deutsch (Österreich)``."""
    locale = babel_locale(MARKETS[code].locale)
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


@functools.cache
def market_offer(code: str) -> str:
    """An invitation to a market's shop, in that market's language, for visitors elsewhere."""
    market = MARKETS[code]
    text = translations_for(market.catalog_chain).gettext("Go to our shop for %(country)s")
    return text % {"country": country_name(code)}


@functools.cache
def country_name(code: str) -> str:
    """A market's country in the market's own language, e.g. ``Österreich``."""
    market = MARKETS[code]
    return babel_locale(market.locale).territories.get(market.country, market.country)


@dataclass(frozen=True)
class Seo:
    """What search engines read of a page: its canonical URL and its other-market twins."""

    canonical: str | None = None
    alternates: tuple[tuple[str, str], ...] = ()
    robots: str | None = None


class Links:
    """Builds URLs that work under API Gateway's stage prefix and on a bare domain."""

    def __init__(self, request: Request, market: Market | None) -> None:
        self.request = request
        self.market = market
        # Behind a CDN or custom domain (PUBLIC_BASE_URL) the shopper never sees API
        # Gateway's stage prefix; on the raw execute-api URL they do.
        public = urlsplit(os.environ.get("PUBLIC_BASE_URL", ""))
        self.public_origin = f"{public.scheme}://{public.netloc}" if public.netloc else None
        self.prefix = public.path.rstrip("/") if public.netloc else request.prefix

    def path(self, path: str, **params: Any) -> str:
        """An absolute path below the deployment's prefix, with a query string."""
        return with_query(self.prefix + path, params)

    @functools.cached_property
    def origin(self) -> str:
        """Scheme and host the shopper used: PUBLIC_BASE_URL, else the forwarded headers."""
        if self.public_origin:
            return self.public_origin
        scheme = (
            self.request.header("cloudfront-forwarded-proto")
            or self.request.header("x-forwarded-proto")
            or "https"
        )
        host = self.request.header("host") or "localhost"
        return f"{scheme.split(',')[0].strip()}://{host}"

    def absolute(self, path: str, **params: Any) -> str:
        """A full URL, for canonical links, alternates and sitemaps."""
        return self.origin + self.path(path, **params)

    def seo(self, rest: str, codes: Iterable[str], index: bool = True, **params: Any) -> Seo:
        """Canonical URL of this page and the same page in each market that has it."""
        if not index:
            return Seo(robots="noindex, follow")
        alternates = [
            (MARKETS[code].html_lang, self.absolute(f"/{code}{rest}", **params)) for code in codes
        ]
        alternates.append(("x-default", self.absolute("/", choose=1)))
        canonical = self.absolute(f"/{self.market.code}{rest}", **params)
        return Seo(canonical, tuple(alternates))

    def home(self, market: str | None = None) -> str:
        """The home page of this or another market."""
        return self.path(f"/{market or self.market.code}/")

    def listing(self, category: str, **params: Any) -> str:
        """A category listing, with its filters."""
        return self.path(f"/{self.market.code}/l/{category}", **params)

    def product(self, product_id: str, **params: Any) -> str:
        """A product page, with the picked variant and grade."""
        return self.path(f"/{self.market.code}/p/{product_id}", **params)

    def search(self, **params: Any) -> str:
        """The search page."""
        return self.path(f"/{self.market.code}/search", **params)

    def same_page_in(self, code: str) -> str:
        """This page in another market, keeping what carries over (not cursors or prices)."""
        keep = {
            k: self.request.arg(k)
            for k in ("brand", "grade", "sort", "q", "storage", "color")
            if self.request.arg(k)
        }
        return self.path(f"/{code}/{self.request.rest}", **keep)

    def picker(self) -> str:
        """The page listing every market."""
        return self.path("/", choose=1)


def context_for(request: Request, market: Market, **context: Any) -> dict[str, Any]:
    """Everything a template sees besides the page's own data."""
    return {
        "market": market,
        "fmt": Formatter(market),
        "links": Links(request, market),
        "markets": MARKETS,
        "market_name": market_name,
        "country_name": country_name,
        "market_offer": market_offer,
        "language_homes": LANGUAGE_HOMES,
        "request": request,
        "seo": context.pop("seo", None) or Seo(),
        **context,
    }


@contextlib.contextmanager
def translated(market: Market) -> Iterator[None]:
    """Make gettext in templates speak the market's language for the duration."""
    token = _translations.set(translations_for(market.catalog_chain))
    try:
        yield
    finally:
        _translations.reset(token)


def render(template: str, request: Request, market: Market, **context: Any) -> str:
    """Render a template for a market, in its language and formats."""
    with translated(market):
        return environment().get_template(template).render(context_for(request, market, **context))


def render_xml(template: str, **context: Any) -> str:
    """Render an XML template (sitemaps): autoescaped, no translations needed."""
    return environment().get_template(template).render(**context)
