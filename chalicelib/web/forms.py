"""Form bodies (urlencoded, or multipart for a file): size-limited, strict UTF-8, fields kept."""

from __future__ import annotations

import email.parser
import email.policy
from urllib.parse import parse_qsl

FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 200


class FormError(ValueError):
    """A body that is not a form this application accepts; ``status`` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class Form:
    """The fields of a form, in order, repeated names kept."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self.fields = fields

    def get(self, name: str, default: str | None = None) -> str | None:
        """The last value of a field, or ``default``."""
        values = self.getlist(name)
        return values[-1] if values else default

    def getlist(self, name: str) -> list[str]:
        """Every value of a field, in the order sent."""
        return [value for key, value in self.fields if key == name]

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self.fields)

    def __len__(self) -> int:
        return len(self.fields)


def parse(
    body: bytes, content_type: str, max_bytes: int = MAX_FORM_BYTES, files: bool = False
) -> Form:
    """The form in a request body; FormError for another type, an oversize or bad encoding."""
    media, _, params = (content_type or "").partition(";")
    if files and media.strip().lower() == MULTIPART_TYPE:
        return _multipart(body, content_type, max_bytes)
    if media.strip().lower() != FORM_TYPE:
        raise FormError(415, f"expected {FORM_TYPE}, got {media.strip() or 'no content type'}")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset not in ("", "utf-8", "utf8"):
        raise FormError(415, f"forms must be UTF-8, got {charset}")
    if len(body) > max_bytes:
        raise FormError(413, f"a form may have {max_bytes} bytes, got {len(body)}")
    try:
        text = body.decode("ascii")  # a urlencoded body is ASCII; UTF-8 comes percent-encoded
        fields = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError as error:
        raise FormError(400, f"not UTF-8: {error.reason}") from None
    except ValueError as error:  # parse_qsl's field limit
        raise FormError(413, str(error)) from None
    if any("\x00" in key or "\x00" in value for key, value in fields):
        raise FormError(400, "a field holds a NUL character")
    return Form(fields)


def _multipart(body: bytes, content_type: str, max_bytes: int) -> Form:
    """A multipart/form-data body (a file upload): every part's name and UTF-8 text."""
    if len(body) > max_bytes:
        raise FormError(413, f"a form may have {max_bytes} bytes, got {len(body)}")
    try:
        header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    except UnicodeEncodeError:
        raise FormError(400, "a content type outside Latin-1") from None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise FormError(400, "not a multipart body")
    fields = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise FormError(400, "a part has no name")
        payload = part.get_payload(decode=True) or b""
        try:
            value = payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FormError(400, f"not UTF-8: {error.reason}") from None
        if "\x00" in value:
            raise FormError(400, "a field holds a NUL character")
        fields.append((name, value))
        if len(fields) > MAX_FIELDS:
            raise FormError(413, "too many fields")
    return Form(fields)
