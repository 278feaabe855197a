"""How the catalog's failures look to a shopper (an expired link, a short break) and in the logs."""

from __future__ import annotations

import logging

from chalicelib.catalog.cursor import BadCursor
from chalicelib.catalog.repository import CatalogUnavailable
from chalicelib.i18n import N_
from chalicelib.kernel import aws
from chalicelib.web.errors import BadRequest, HttpError, Unavailable

log = logging.getLogger(__name__)


def as_http_error(error: Exception) -> HttpError | None:
    """The error page for a catalog failure, or None for anything else."""
    if isinstance(error, BadCursor):
        # A link from before a reload, or a forged one: the shopper's page says so.
        log.info("cursor refused", extra={"code": "BadCursor", "status": 400})
        return BadRequest(N_("This page link has expired. Start again from the first page."))
    if isinstance(error, CatalogUnavailable):
        report(error)
        return Unavailable()
    return None


def report(error: CatalogUnavailable) -> None:
    """Log a DynamoDB failure once, at ERROR for a deployment to fix, WARNING for a throttle."""
    log.log(
        aws.failure_level(error.code),
        "catalog unavailable: %s",
        error,
        extra={"code": error.code, "kind": aws.failure_kind(error.code), "status": 503},
    )
