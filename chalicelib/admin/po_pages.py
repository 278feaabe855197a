"""Exporting a market's overrides as .po, and importing a translator's .po with a preview."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from chalicelib.admin import keys
from chalicelib.admin.catalog import by_key
from chalicelib.admin.editor import Conflict, Editor, Invalid, NotAllowed
from chalicelib.admin.frame import SECURITY_HEADERS, AdminView, Forbidden
from chalicelib.admin.messages_pages import rows_of, target_of
from chalicelib.admin.po import export_po, read_import
from chalicelib.admin.sessions import Visit
from chalicelib.kernel.markets import Market
from chalicelib.web.errors import BadRequest, NotFound
from chalicelib.web.http import Request, Response

IMPORT_TTL_SECONDS = 3600


class PoPages:
    """Export, import preview, import confirmation."""

    def __init__(
        self, admin: AdminView, editor: Editor, table: Callable[[], Any], clock=time.time
    ) -> None:
        self.admin = admin
        self.editor = editor
        self.table = table
        self.clock = clock

    def _target(self, visit: Visit, market: Market, chosen: str | None) -> str:
        return target_of(self.editor, visit, market, chosen)

    def export(self, request: Request, visit: Visit, market: Market) -> Response:
        """The target's published overrides as a .po download."""
        target = request.arg("target") or market.code
        if target not in self.editor.targets_of(market):
            raise BadRequest()
        published = self.editor.overrides.target(target).published
        body = export_po(market, target, published).decode("utf-8")
        headers = {
            "Content-Type": "text/x-gettext-translation; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{target}-overrides.po"',
            **SECURITY_HEADERS,
        }
        return Response(200, body, headers)

    def form(self, request: Request, visit: Visit, market: Market, **context: Any) -> Response:
        """The upload form."""
        return self.admin.page(
            "admin/import.html",
            request,
            visit,
            context.pop("status", 200),
            edited=market,
            targets=[
                t
                for t in self.editor.targets_of(market)
                if self.editor.may_target(visit.account, market, t)
            ],
            **context,
        )

    def upload(self, request: Request, visit: Visit, market: Market) -> Response:
        """Read the file, and show what it would change before anything is saved."""
        form = request.form  # the guard read it with the file's size limit
        target = self._target(visit, market, form.get("target"))
        text = form.get("file") or form.get("text") or ""
        report = read_import(market, text)
        if report.error or not text.strip():
            return self.form(request, visit, market, status=422, error=report.error or "empty")
        state = self.editor.overrides.target(target)
        current = {r.source.key: r.shown for r in rows_of(self.editor, market)}
        changes = [m for m in report.messages if current.get(m.source.key) != m.strings]
        token = secrets.token_urlsafe(24)
        now = int(self.clock())
        self.table().put_item(
            Item={
                **keys.pending_import(token),
                "owner": visit.account.email,
                "market": market.code,
                "target": target,
                "messages": [
                    {
                        "key": m.source.key,
                        "strings": list(m.strings),
                        "revision": state.revision(m.source.key),
                    }
                    for m in changes
                    if not m.problems
                ],
                keys.TTL_ATTRIBUTE: now + IMPORT_TTL_SECONDS,
            }
        )
        return self.admin.page(
            "admin/import_preview.html",
            request,
            visit,
            edited=market,
            target=target,
            report=report,
            changes=changes,
            current=current,
            token=token,
        )

    def confirm(self, request: Request, visit: Visit, market: Market) -> Response:
        """Save the checked messages of an upload as drafts."""
        token = request.form.get("token") or ""
        key = keys.pending_import(token[:64])
        item = self.table().get_item(Key=key, ConsistentRead=True).get("Item")
        if not item or item["owner"] != visit.account.email or item["market"] != market.code:
            raise NotFound()
        target = self._target(visit, market, item["target"])
        sources = by_key()
        saved, conflicts = 0, []
        for entry in item["messages"]:
            source = sources.get(entry["key"])
            if source is None:  # the code no longer has it since the upload
                conflicts.append(entry["key"].rpartition("\x04")[2])
                continue
            strings = tuple(entry["strings"])
            try:
                self.editor.save(
                    visit.account, market, target, source, strings, int(entry["revision"])
                )
                saved += 1
            except (Conflict, Invalid):
                conflicts.append(source.msgid)
            except NotAllowed:
                raise Forbidden() from None
        self.table().delete_item(Key=key)
        return self.admin.page(
            "admin/import_done.html",
            request,
            visit,
            edited=market,
            saved=saved,
            conflicts=conflicts,
        )
