"""Jinja2 rendering: one autoescaped environment, gettext bound to the translations given."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    ModuleLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
# A package holds its templates compiled to Python modules (tools/package_templates.py), and a
# MANIFEST of their names; the source tree has none, so development reads templates/ alone.
COMPILED_DIR_NAME = "templates_compiled"
MANIFEST = "MANIFEST"
COMPILED_DIR = TEMPLATES_DIR.parent / COMPILED_DIR_NAME
SITE_NAME = "ReCircle"
_translations: contextvars.ContextVar[gettext.NullTranslations] = contextvars.ContextVar(
    "translations"
)


def _gettext(message: str) -> str:
    return _translations.get().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.get().ngettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return _translations.get().pgettext(context, message)


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations.get().npgettext(context, singular, plural, n)


@contextlib.contextmanager
def translated(translations: gettext.NullTranslations) -> Iterator[None]:
    """Make gettext in templates speak with these translations for the duration."""
    token = _translations.set(translations)
    try:
        yield
    finally:
        _translations.reset(token)


class Renderer:
    """Renders the templates of every package with the translations each call is given."""

    def __init__(
        self,
        globals: Mapping[str, Any] | None = None,
        directory: Path = TEMPLATES_DIR,
        auto_reload: bool = False,
    ) -> None:
        self.globals = {"SITE_NAME": SITE_NAME, **(globals or {})}
        self.directory = directory
        # Deployed templates never change, so a render need not stat them (four calls a page);
        # the dev server asks for reloading so that edited templates show.
        self.auto_reload = auto_reload

    @functools.cached_property
    def environment(self) -> Environment:
        """The Jinja2 environment: autoescaped, strict, with gettext read per render."""
        env = Environment(
            loader=self.loader(),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=self.auto_reload,
        )
        env.install_gettext_callables(  # type: ignore[attr-defined]
            _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
        )
        env.globals.update(self.globals)
        return env

    def loader(self) -> BaseLoader:
        """The compiled modules when the package has them (a file for anything else)."""
        files = FileSystemLoader(self.directory)
        compiled = self.directory == TEMPLATES_DIR and (COMPILED_DIR / MANIFEST).is_file()
        if self.auto_reload or not compiled:
            return files
        return ChoiceLoader([ModuleLoader(COMPILED_DIR), files])

    def preload(self) -> int:
        """Load every template the function has (before a snapshot); how many."""
        manifest = COMPILED_DIR / MANIFEST
        compiled = self.directory == TEMPLATES_DIR and manifest.is_file()
        names = manifest.read_text().split() if compiled else self.environment.list_templates()
        for name in names:
            if name.endswith((".html", ".xml", ".txt")):
                self.template(name)
        return len(names)

    def template(self, name: str) -> Template:
        """A compiled template (Jinja2 caches it)."""
        return self.environment.get_template(name)

    def render(
        self, name: str, translations: gettext.NullTranslations, context: Mapping[str, Any]
    ) -> str:
        """Render a template with these translations."""
        with translated(translations):
            return self.template(name).render(context)

    def render_xml(self, name: str, **context: Any) -> str:
        """Render an XML template (sitemaps): autoescaped, no translations needed."""
        return self.template(name).render(**context)
