"""How the catalog's failures look to a shopper: an expired link, or a short break."""

from __future__ import annotations

import logging

from chalicelib.catalog.cursor import BadCursor
from chalicelib.catalog.repository import CatalogUnavailable
from chalicelib.i18n import N_
from chalicelib.web.errors import BadRequest, HttpError, Unavailable

log = logging.getLogger(__name__)


def as_http_error(error: Exception) -> HttpError | None:
    """The error page for a catalog failure, or None for anything else."""
    if isinstance(error, BadCursor):
        return BadRequest(N_("This page link has expired. Start again from the first page."))
    if isinstance(error, CatalogUnavailable):
        log.warning("catalog unavailable: %s", error)
        return Unavailable()
    return None
