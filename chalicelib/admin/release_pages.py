"""Preview, publish, history and restore: from a market's drafts to what shoppers read."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from chalicelib.admin import catalog
from chalicelib.admin.editor import Conflict, Editor, NotAllowed
from chalicelib.admin.frame import SECURITY_HEADERS, AdminView, Forbidden
from chalicelib.admin.preview import PreviewView
from chalicelib.admin.sessions import Visit, address_of
from chalicelib.i18n import N_
from chalicelib.kernel.markets import Market
from chalicelib.web.errors import BadRequest, HttpError, NotFound
from chalicelib.web.http import Request, Response
from chalicelib.web.view import View

# The storefront's page of a path, rendered through a given view (composition injects it).
PageFor = Callable[[View], Callable[[Request], Response]]


class Busy(HttpError):
    status = 409
    title = N_("Someone else is publishing this market")
    message = N_("Nothing was published. Wait a moment and try again.")


class ReleasePages:
    """The pages that turn drafts into releases and back."""

    def __init__(self, admin: AdminView, editor: Editor, live: View, page_for: PageFor) -> None:
        self.admin = admin
        self.editor = editor
        self.live = live
        self.page_for = page_for

    def preview(self, request: Request, visit: Visit, market: Market) -> Response:
        """Any page of the market with its drafts applied, private, with a banner."""
        path = request.arg("path") or f"/{market.code}/"
        if path != f"/{market.code}" and not path.startswith(f"/{market.code}/"):
            raise BadRequest()
        if len(path) > 300 or "\\" in path or "//" in path:
            raise BadRequest()
        banner = Markup(
            self.admin.render(
                "admin/_preview_banner.html",
                request,
                visit,
                edited=market,
                drafts=len(self.editor.pending(visit.account, market)),
                live=self.admin.links(request).path(path),
            )
        )
        view = PreviewView(self.live, market, self.editor.preview_messages(market), banner)
        query = {k: v for k, v in request.query.items() if k != "path"}
        inner = Request(
            path=path, prefix=request.prefix, query=query, headers=request.headers, method="GET"
        )
        response = self.page_for(view)(inner)
        for name in [k for k in response.headers if k.lower() in ("cache-control", "etag", "vary")]:
            del response.headers[name]
        response.headers.update(SECURITY_HEADERS)
        return response

    def pending(
        self, request: Request, visit: Visit, market: Market, status: int = 200, **context
    ) -> Response:
        """The drafts that publishing would make live, and the form that does it."""
        changes = self.editor.pending(visit.account, market)
        sources = catalog.by_key()
        return self.admin.page(
            "admin/publish.html",
            request,
            visit,
            status,
            edited=market,
            changes=changes,
            sources=sources,
            language_markets=self.editor.language_markets(market),
            done=request.arg("published"),
            **context,
        )

    def publish(self, request: Request, visit: Visit, market: Market) -> Response:
        """Publish the drafts as one release; 303 to its history."""
        try:
            release = self.editor.publish(visit.account, market, address_of(request))
        except Conflict:
            raise Busy() from None
        if release is None:
            return self.admin.see_other(request, f"/admin/{market.code}/publish")
        return self.admin.see_other(
            request, f"/admin/{market.code}/history", published=release.version
        )

    def history(self, request: Request, visit: Visit, market: Market) -> Response:
        """A market's releases, newest first, each with a form to restore its state."""
        releases = self.editor.overrides.releases(market.code)
        return self.admin.page(
            "admin/history.html",
            request,
            visit,
            edited=market,
            releases=releases,
            sources=catalog.by_key(),
            published=request.arg("published"),
            restored=request.arg("restored"),
            unchanged=request.arg("unchanged"),
        )

    def restore(self, request: Request, visit: Visit, market: Market) -> Response:
        """Make an earlier release's state live again, as a new release."""
        try:
            version = int(request.form.get("version") or "")
        except ValueError:
            raise BadRequest() from None
        try:
            release = self.editor.restore(visit.account, market, version, address_of(request))
        except LookupError:
            raise NotFound() from None
        except NotAllowed:
            raise Forbidden() from None
        except Conflict:
            raise Busy() from None
        path = f"/admin/{market.code}/history"
        if release is None:
            return self.admin.see_other(request, path, unchanged=version)
        return self.admin.see_other(request, path, restored=release.version)
