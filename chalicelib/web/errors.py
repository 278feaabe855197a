"""Errors a person sees as a page in their market's language, with the right status."""

from __future__ import annotations

from chalicelib.i18n import N_


class HttpError(Exception):
    """An error a shopper sees as a page with this status and message."""

    status = 500
    title = N_("Something went wrong on our side")
    message = N_("Please try again in a moment. If it keeps happening, come back a little later.")
    link: str | None = None
    link_text = ""
    link_lang = ""  # the language of link_text, where it is not the page's

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class NotFound(HttpError):
    status = 404
    title = N_("Page not found")
    message = N_("This page does not exist or is no longer available.")


class BadRequest(HttpError):
    status = 400
    title = N_("We could not understand this address")
    message = N_("Part of this address is not valid. Start again from the page before.")


class MethodNotAllowed(HttpError):
    status = 405
    title = N_("This address only shows a page")
    message = N_("It cannot take what was sent to it. Open it from a link or the address bar.")


class Unavailable(HttpError):
    status = 503
    title = N_("The shop is taking a short break")
    message = N_("We could not reach our catalog just now. Please try again in a minute.")


class FormRejected(HttpError):
    """A form body that is not one we accept: malformed (400), too large (413), wrong type (415)."""

    title = N_("We could not read what you sent")
    message = N_(
        "Something in this form is not valid or too long. Go back, check it and send it again."
    )

    def __init__(self, status: int) -> None:
        super().__init__()
        self.status = status


class Redirect(Exception):
    """Send the shopper to the canonical address of what they asked for."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location
