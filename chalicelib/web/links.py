"""URLs that work under API Gateway's stage prefix and on a bare domain, and SEO links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.kernel.settings import Settings
from chalicelib.web.http import Request, escaped_path, with_query
from chalicelib.web.media import Media

# The longest value or path a page's links repeat from its own address.
MAX_ECHOED = 100


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
        # Pictures are not under the prefix: the CDN serves them from the media bucket.
        self.media = Media(settings.media_url, lambda: self.origin)

    def path(self, path: str, /, **params: Any) -> str:
        """An absolute path below the deployment's prefix, with a query string."""
        return with_query(self.prefix + path, params)

    @property
    def origin(self) -> str:
        """Scheme and host of absolute links, from configuration only (never Host headers)."""
        return self.public_origin

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

    def cart(self, **params: Any) -> str:
        """The market's cart page (``done``: what the change before did)."""
        return self.path(f"/{self.market.code}/cart", **params)

    def cart_change(self, action: str) -> str:
        """Where the cart page's forms post to: ``update`` or ``remove``."""
        return self.path(f"/{self.market.code}/cart/{action}")

    def cart_add(self) -> str:
        """Where a product page's offer forms post to."""
        return self.path(f"/{self.market.code}/cart/add")

    def tradein(self, *parts: str, **params: Any) -> str:
        """A trade-in page: the start, ``d``/device, ``quote``, ``q``/reference[/action]."""
        rest = "".join(f"/{part}" for part in parts)
        return self.path(f"/{self.market.code}/trade-in{rest}", **params)

    def same_page_in(self, code: str) -> str:
        """This page in another market, keeping what carries over (not cursors or prices)."""
        # Every page links to 18 markets: what it echoes of the address is capped, so that a
        # long value or path (a 400 or 404 page) never makes a page of megabytes.
        keep = {
            k: value
            for k in ("brand", "grade", "sort", "q", "storage", "color")
            if (value := self.request.arg(k)) and len(value) <= MAX_ECHOED
        }
        rest = self.request.rest
        if rest == "trade-in" or rest.startswith("trade-in/"):
            # A trade-in belongs to one market: another market's switch starts its own, if open.
            return self.path(f"/{code}/trade-in") if MARKETS[code].trade_in else self.home(code)
        if len(rest) > MAX_ECHOED:
            return self.home(code)
        return self.path(f"/{code}/{escaped_path(rest)}", **keep)

    def picker(self) -> str:
        """The page listing every market."""
        return self.path("/", choose=1)
