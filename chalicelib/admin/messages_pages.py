"""The message editor's pages: the list of a market's messages, and editing one."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.admin import catalog
from chalicelib.admin.catalog import SourceMessage, plural_forms, shipped_text
from chalicelib.admin.editor import Conflict, Editor, Invalid, NotAllowed
from chalicelib.admin.frame import AdminView, Forbidden
from chalicelib.admin.overrides import Strings, TargetState
from chalicelib.admin.sessions import Visit
from chalicelib.catalog.text import fold
from chalicelib.kernel.markets import Market
from chalicelib.web.errors import BadRequest, NotFound
from chalicelib.web.http import Request, Response

STATUSES = ("catalog", "market", "language", "draft")
MAX_QUERY = 100
MAX_REVISION = 10**9


@dataclass(frozen=True)
class Row:
    """One message of a market, as the list shows it."""

    source: SourceMessage
    shown: Strings
    origin: str  # a catalog's name, "msgid", "market" or "language"
    status: str
    draft: Strings | None
    has_draft: bool


def rows_of(editor: Editor, market: Market) -> list[Row]:
    """Every message of the market with what it shows and why."""
    states = editor.states(market)
    return [row_of(market, source, states) for source in catalog.source_messages()]


def row_of(market: Market, source: SourceMessage, states: dict[str, TargetState]) -> Row:
    """One message of the market: what it shows, from where, and whether a draft waits."""
    key = source.key
    own = states[market.code]
    language = states.get(market.language)
    draft_state = _draft_state(key, own, language)
    if key in own.published:
        shown, origin = own.published[key], "market"
    elif language is not None and key in language.published:
        shown, origin = language.published[key], "language"
    else:
        shown, origin = shipped_text(market, source)
    status = "draft" if draft_state else origin if origin in STATUSES else "catalog"
    draft = draft_state.drafts[key].strings if draft_state else None
    return Row(source, shown, origin, status, draft, draft_state is not None)


def _draft_state(key: str, *states: TargetState | None) -> TargetState | None:
    for state in states:
        if state is not None and key in state.drafts:
            return state
    return None


def target_of(editor: Editor, visit: Visit, market: Market, chosen: str | None) -> str:
    """The target a form names (the market by default): 400 if not one, 403 if not theirs."""
    target = chosen or market.code
    if target not in editor.targets_of(market):
        raise BadRequest()
    if not editor.may_target(visit.account, market, target):
        raise Forbidden()
    return target


def matches(row: Row, query: str) -> bool:
    """Whether a search (case- and accent-insensitive) finds a message's source or text."""
    wanted = fold(query)
    texts = [row.source.msgid, row.source.plural or "", *row.shown, *(row.draft or ())]
    return any(wanted in fold(text) for text in texts)


class MessagePages:
    """List, edit, save."""

    def __init__(self, admin: AdminView, editor: Editor) -> None:
        self.admin = admin
        self.editor = editor

    def list(self, request: Request, visit: Visit, market: Market) -> Response:
        """Every message of the market, searchable, filterable by status."""
        query = (request.arg("q") or "").strip()[:MAX_QUERY]
        status = request.arg("status") or ""
        rows = rows_of(self.editor, market)
        counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
        if query:
            rows = [r for r in rows if matches(r, query)]
        if status in STATUSES:
            rows = [r for r in rows if r.status == status]
        return self.admin.page(
            "admin/messages.html",
            request,
            visit,
            edited=market,
            rows=rows,
            query=query,
            status_filter=status,
            counts=counts,
            statuses=STATUSES,
        )

    def _source(self, request: Request, form: bool = False) -> SourceMessage:
        get = request.form.get if form else request.arg
        msgid, context = get("msgid") or "", get("context") or None
        found = catalog.by_key().get(catalog.message_key(msgid, context))
        if found is None:
            raise NotFound()
        return found

    def _target(self, visit: Visit, market: Market, chosen: str | None) -> str:
        return target_of(self.editor, visit, market, chosen)

    def edit(self, request: Request, visit: Visit, market: Market) -> Response:
        """A message: its source, what the market shows and why, overrides and the form."""
        source = self._source(request)
        target = self._target(visit, market, request.arg("target"))
        return self._form(request, visit, market, source, target, saved=request.arg("saved"))

    def _form(self, request, visit, market, source, target, status=200, **context) -> Response:
        context.setdefault("saved", None)
        states = self.editor.states(market)
        state = states[target]
        draft = state.drafts.get(source.key)
        shipped, layer = shipped_text(market, source)
        row = row_of(market, source, states)
        forms = plural_forms(market) if source.plural is not None else ()
        current = draft.strings if draft and draft.strings is not None else None
        text = context.pop("text", None) or current or state.published.get(source.key) or row.shown
        targets = [
            (t, self.editor.may_target(visit.account, market, t))
            for t in self.editor.targets_of(market)
        ]
        return self.admin.page(
            "admin/edit.html",
            request,
            visit,
            status,
            edited=market,
            source=source,
            target=target,
            targets=targets,
            language_markets=self.editor.language_markets(market),
            states=states,
            draft=draft,
            shipped=shipped,
            layer=layer,
            row=row,
            forms=forms,
            text=tuple(text),
            revision=state.revision(source.key),
            problems=context.pop("problems", []),
            **context,
        )

    def save(self, request: Request, visit: Visit, market: Market) -> Response:
        """Save a draft, go back to the catalog's text, or drop a draft; 303 when done."""
        form = request.form
        source = self._source(request, form=True)
        target = self._target(visit, market, form.get("target"))
        try:
            started = int(form.get("revision") or "")
        except ValueError:
            raise BadRequest() from None
        if not 0 <= started <= MAX_REVISION:
            raise BadRequest()
        action = form.get("action") or "save"
        if source.plural is None:
            strings: Strings = (form.get("text") or "",)
        else:
            strings = tuple(form.get(f"text_{f.index}") or "" for f in plural_forms(market))
        strings = tuple(s.replace("\r\n", "\n").strip() for s in strings)
        try:
            if action == "discard":
                self.editor.discard(visit.account, market, target, source.key, started)
            else:
                chosen = None if action == "revert" else strings
                self.editor.save(visit.account, market, target, source, chosen, started)
        except NotAllowed:
            raise Forbidden() from None
        except Invalid as invalid:
            return self._form(
                request, visit, market, source, target, 422, text=strings, problems=invalid.problems
            )
        except Conflict:
            theirs = self.editor.overrides.target(target)
            return self._form(
                request,
                visit,
                market,
                source,
                target,
                409,
                text=strings,
                conflict=True,
                theirs=theirs.drafts.get(source.key),
                theirs_published=theirs.published.get(source.key),
            )
        params = {"msgid": source.msgid, "context": source.context, "saved": action}
        if target != market.code:
            params["target"] = target
        return self.admin.see_other(request, f"/admin/{market.code}/messages/edit", **params)
