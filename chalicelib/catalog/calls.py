"""One way to call the storefront table: a failure of DynamoDB becomes CatalogUnavailable.

The catalog's reads, the carts and the trade-ins all go through ``call``; a refused condition
becomes the caller's own exception, so that each package says what a lost race means to it.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.kernel import aws


class CatalogUnavailable(Exception):
    """DynamoDB could not answer: the page says so and asks to retry."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code or "CatalogUnavailable"


def call(owner: Any, method: str, conflict: type[Exception] | None = None, **kwargs: Any) -> dict:
    """``owner.method(**kwargs)``; ``conflict`` is raised when its condition did not hold."""
    try:
        return getattr(owner, method)(**kwargs)
    except ClientError as error:
        code = aws.failure_code(error)
        if conflict is not None and code == "ConditionalCheckFailedException":
            raise conflict() from error
        raise CatalogUnavailable(str(error), code) from error
    except BotoCoreError as error:
        raise CatalogUnavailable(str(error), aws.failure_code(error)) from error
