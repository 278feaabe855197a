"""The frame of every admin page: its language, its layout, and who may see it.

Every admin route goes through ``AdminGuard``: a write must come from our own origin and
carry the session's CSRF token; a page needs a live session of an enabled account, the
market must be one this stage serves and the person may edit, and admin-only pages need an
admin. Any failure is a page in the person's language with its status, never a trace.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_timedelta

from chalicelib.admin.sessions import COOKIE, Sessions, Visit
from chalicelib.i18n import N_
from chalicelib.i18n.checks import PLACEHOLDER, TAG
from chalicelib.i18n.formatting import Formatter, babel_locale
from chalicelib.i18n.names import country_name, market_name
from chalicelib.i18n.translations import ADMIN_DOMAIN, translations_for
from chalicelib.kernel import aws
from chalicelib.kernel.markets import MARKETS, Market
from chalicelib.web.cookies import SetCookie
from chalicelib.web.errors import FormRejected, HttpError, NotFound
from chalicelib.web.forms import FormError
from chalicelib.web.http import Request, Response, redirect
from chalicelib.web.links import Links
from chalicelib.web.origin import same_origin
from chalicelib.web.view import View, html

log = logging.getLogger(__name__)

LANGUAGE_COOKIE = "__Host-admin-lang"
# Admin pages load nothing from elsewhere, run no script and are framed by nobody.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
    "data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
}


class Forbidden(HttpError):
    status = 403
    title = N_("You cannot do this here")
    message = N_("Your account does not give access to this page or this market.")


class StaleForm(HttpError):
    status = 403
    title = N_("This form has expired")
    message = N_(
        "For your security, the form was not sent: it came from another page or your session "
        "changed. Go back, reload the page and send it again."
    )


class SignedOut(HttpError):
    status = 403
    title = N_("Your session has ended")
    message = N_("Sign in again to continue. Nothing was changed.")


class AdminView:
    """Renders admin pages in the person's chosen language, with the admin's layout."""

    def __init__(self, view: View) -> None:
        self.view = view

    def ui_market(self, request: Request) -> Market:
        """The market whose language the admin speaks: chosen, else the browser's."""
        chosen = MARKETS.get(request.cookies.get(LANGUAGE_COOKIE, ""))
        return chosen or self.view.visitor_market(request)

    def translations(self, market: Market) -> gettext.NullTranslations:
        """The admin's own messages in a market's language."""
        return translations_for(market.translation_chain, ADMIN_DOMAIN)

    def links(self, request: Request) -> Links:
        """Links below the deployment's prefix."""
        return self.view.links(request, None)

    def render(self, template: str, request: Request, visit: Visit | None, **context: Any) -> str:
        """An admin template in the person's language."""
        ui = self.ui_market(request)
        locale = babel_locale(ui.locale)
        zone = ZoneInfo(ui.timezone)
        full = {
            "when": lambda at: format_datetime(
                dt.datetime.fromtimestamp(int(at), dt.UTC), "medium", tzinfo=zone, locale=locale
            ),
            "duration": lambda seconds: format_timedelta(
                dt.timedelta(seconds=max(1, int(seconds))), threshold=1.5, locale=locale
            ),
            "source_placeholders": lambda source: " ".join(
                sorted(set(PLACEHOLDER.findall(source.plural or source.msgid)))
            ),
            "source_tags": lambda source: " ".join(TAG.findall(source.msgid)),
            "language_name": lambda language: Locale.parse(language).get_display_name(locale),
            "ui": ui,
            "market": ui,
            "fmt": Formatter(ui),
            "links": self.links(request),
            "visit": visit,
            "csrf": visit.csrf if visit else context.pop("login_csrf", ""),
            "markets": MARKETS,
            "market_name": market_name,
            "country_name": country_name,
            "request": request,
            **context,
        }
        return self.view.renderer.render(template, self.translations(ui), full)

    def page(
        self,
        template: str,
        request: Request,
        visit: Visit | None,
        status: int = 200,
        **context: Any,
    ) -> Response:
        """An admin page, with its security headers."""
        response = html(
            status, self.render(template, request, visit, **context), self.ui_market(request)
        )
        response.headers.update(SECURITY_HEADERS)
        return response

    def error(self, request: Request, visit: Visit | None, error: HttpError) -> Response:
        """An error as an admin page with its status."""
        return self.page("admin/error.html", request, visit, error.status, error=error)

    def see_other(self, request: Request, path: str, **params: Any) -> Response:
        """The 303 after a form: the browser GETs the page that shows the result."""
        response = redirect(self.links(request).path(path, **params), status=303)
        response.headers.update(SECURITY_HEADERS)
        return response


AdminHandler = Callable[..., Response]


class AdminGuard:
    """Wraps admin handlers: ``handler(request, visit, [market,] **params)``."""

    def __init__(
        self, admin: AdminView, sessions: Sessions, served: Callable[[], frozenset[str]]
    ) -> None:
        self.admin = admin
        self.sessions = sessions
        self.served = served

    def __call__(
        self,
        handler: AdminHandler,
        market: bool = False,
        admin_only: bool = False,
        max_form_bytes: int | None = None,
    ) -> Callable[..., Response]:
        """The handler behind the checks of its kind of page."""

        @functools.wraps(handler)
        def guarded(request: Request, **params: str) -> Response:
            visit = None
            try:
                writes = request.method not in ("GET", "HEAD")
                if writes and not same_origin(request, self.admin.links(request).origin):
                    raise StaleForm()
                if writes and max_form_bytes:
                    request.read_form(max_form_bytes)
                visit = self.sessions.open(request)
                if visit is None:
                    return self._signed_out(request, writes)
                if writes and not self.sessions.csrf_ok(visit, request.form.get("csrf") or ""):
                    raise StaleForm()
                if admin_only and not visit.account.is_admin:
                    raise Forbidden()
                if market:
                    code = params.pop("market")
                    found = MARKETS.get(code)
                    if found is None or code not in self.served():
                        raise NotFound()
                    if not visit.account.may_edit(code):
                        raise Forbidden()
                    return handler(request, visit, found, **params)
                return handler(request, visit, **params)
            except Exception as error:
                return self.answer_failure(request, visit, error)

        return guarded

    def public(self, handler: AdminHandler) -> Callable[..., Response]:
        """A page that needs no session (signing in, the language), failing as admin pages."""

        @functools.wraps(handler)
        def page(request: Request, **params: str) -> Response:
            try:
                return handler(request, **params)
            except Exception as error:
                return self.answer_failure(request, None, error)

        return page

    def answer_failure(self, request: Request, visit: Visit | None, error: Exception) -> Response:
        """An error as its page: its own status, a form's 400/413/415, else a logged 500."""
        if isinstance(error, HttpError):
            return self.admin.error(request, visit, error)
        if isinstance(error, FormError):
            return self.admin.error(request, visit, FormRejected(error.status))
        return self.failure(request, visit, error)

    def failure(self, request: Request, visit: Visit | None, error: Exception) -> Response:
        """Anything unexpected: logged, and a 500 page (413 for an item DynamoDB refuses)."""
        if aws.failure_code(error) == "ValidationException":  # e.g. over 400 KB: nothing saved
            log.warning("write refused", extra={"code": "ValidationException"})
            return self.admin.error(request, visit, FormRejected(413))
        log.error("unhandled error", exc_info=error, extra={"code": type(error).__name__})
        return self.admin.error(request, visit, HttpError())

    def fallback(self, request: Request, error: Exception) -> Response:
        """A failure outside a handler, as the admin's 500 page."""
        return self.failure(request, None, error)

    def _signed_out(self, request: Request, writes: bool) -> Response:
        had_cookie = COOKIE in request.cookies
        if writes:
            response = self.admin.error(request, None, SignedOut())
        else:
            here = request.path + (f"?{_query(request)}" if request.query else "")
            response = self.admin.see_other(request, "/admin/login", next=here)
        if had_cookie:  # a stale or forged cookie: the browser forgets it
            response.set_cookie(SetCookie.expired(COOKIE, same_site="Strict"))
        return response


def _query(request: Request) -> str:
    return "&".join(
        f"{quote(k, safe='')}={quote(v, safe='')}" for k, vs in request.query.items() for v in vs
    )
