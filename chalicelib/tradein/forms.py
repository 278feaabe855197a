"""Trade-in forms: each carries a token tied to this browser (and to its trade-in, if any).

A private page sets ``__Host-tradein``, a random browser id, and puts
HMAC(key, browser id, reference) in its forms; a POST must send both back and come from our
origin. A reference alone (from an email, say) lets a browser read its trade-in, and only a
page of ours loaded in that browser can change it (docs/tradein.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from zoneinfo import ZoneInfo

from chalicelib.i18n import N_
from chalicelib.kernel.markets import Market
from chalicelib.web.cookies import SetCookie
from chalicelib.web.errors import HttpError
from chalicelib.web.http import Request, Response
from chalicelib.web.origin import same_origin

BROWSER_COOKIE = "__Host-tradein"
BROWSER_DAYS = 90
_BROWSER = re.compile(r"^[A-Za-z0-9_-]{32}$")  # secrets.token_urlsafe(24)


class StaleForm(HttpError):
    """A trade-in form that did not come from our page in this browser."""

    status = 403
    title = N_("This form has expired")
    message = N_("Nothing has changed. Open the page again and repeat what you did.")


def credit_cookie_name(market: str) -> str:
    """The cookie that tells this market's cart which accepted trade-in to count."""
    return f"__Host-tradein-{market}"


def browser_id(request: Request) -> str:
    """This browser's trade-in id, or "" if it has none (or a forged one)."""
    value = request.cookies.get(BROWSER_COOKIE, "")
    return value if _BROWSER.match(value) else ""


def token(key: bytes, browser: str, reference: str = "") -> str:
    """The token of this browser's forms about one trade-in (or about a new quote)."""
    message = f"tradein csrf\n{browser}\n{reference}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def form_token(
    request: Request, response_cookies: list[SetCookie], key: bytes, ref: str = ""
) -> str:
    """The token for a page's forms, creating the browser id (as a cookie to set) if needed."""
    browser = browser_id(request)
    if not browser:
        browser = secrets.token_urlsafe(24)
        response_cookies.append(SetCookie(BROWSER_COOKIE, browser, max_age=BROWSER_DAYS * 86400))
    return token(key, browser, ref)


def check_post(request: Request, origin: str, key: bytes, reference: str = "") -> None:
    """StaleForm unless the POST came from our origin with this browser's token."""
    if not same_origin(request, origin) or request.header("sec-fetch-site") not in (
        "", "same-origin"
    ):  # fmt: skip
        raise StaleForm()
    browser = browser_id(request)
    sent = request.form.get("csrf") or ""
    if not browser or not hmac.compare_digest(sent, token(key, browser, reference)):
        raise StaleForm()


def with_cookies(response: Response, cookies: list[SetCookie]) -> Response:
    """The response with the cookies a page made on the way."""
    for cookie in cookies:
        response.set_cookie(cookie)
    return response


def local_date(market: Market, epoch: float) -> dt.date:
    """The date an instant falls on where the market's shoppers are."""
    return dt.datetime.fromtimestamp(epoch, ZoneInfo(market.timezone)).date()


def business_days_after(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday to Friday) after ``day``."""
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
