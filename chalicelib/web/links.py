"""URLs that work under API Gateway's stage prefix and on a bare domain, and SEO links."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.kernel.settings import Settings
from chalicelib.web.http import Request, with_query


@dataclass(frozen=True)
class Seo:
    """What search engines read of a page: its canonical URL and its other-market twins."""

    canonical: str | None = None
    alternates: tuple[tuple[str, str], ...] = ()
    robots: str | None = None


NOINDEX = Seo(robots="noindex, follow")


class Links:
    """Builds the URLs of one request's pages, in one market or none."""

    def __init__(self, request: Request, market: Market | None, settings: Settings) -> None:
        self.request = request
        self.market = market
        # Behind a CDN or custom domain (PUBLIC_BASE_URL) the shopper never sees API
        # Gateway's stage prefix; on the raw execute-api URL they do.
        self.public_origin = settings.public_origin
        public_prefix = settings.public_prefix
        self.prefix = request.prefix if public_prefix is None else public_prefix

    def path(self, path: str, /, **params: Any) -> str:
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
            return NOINDEX
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
