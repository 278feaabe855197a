"""`make run` serves /media/* from build/media/, as the CDN serves it from the media bucket.

The app itself never serves pictures: chalice local is given a request handler that answers
/media/* from the folder and hands every other path to the app.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from chalice import local

from chalicelib.web.media import CACHE_CONTROL, EXTENSIONS

MEDIA_PREFIX = "/media/"
TYPES = {f".{extension}": kind for kind, extension in EXTENSIONS.items()}


def media_file(folder: Path, request_path: str) -> tuple[Path, str] | None:
    """The file and type a /media/ path names inside ``folder``, or None (a 404)."""
    path = unquote(urlsplit(request_path).path)
    if not path.startswith(MEDIA_PREFIX):
        return None
    name = path[len(MEDIA_PREFIX) :]
    parts = name.split("/")
    if not name or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    file = folder.joinpath(*parts)
    kind = TYPES.get(file.suffix)
    if kind is None or not file.is_file() or not file.resolve().is_relative_to(folder.resolve()):
        return None
    return file, kind


def handler_serving(folder: Path) -> type:
    """chalice local's request handler, answering /media/* from ``folder``."""

    class MediaRequestHandler(local.ChaliceRequestHandler):
        def _media(self) -> None:
            found = media_file(folder, self.path)
            if found is None:
                self.send_response(404)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", "10")
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(b"not found\n")
                return
            file, kind = found
            body = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", CACHE_CONTROL)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.startswith(MEDIA_PREFIX):
                self._media()
            else:
                self._generic_handle()

        do_HEAD = do_GET  # noqa: N815

    return MediaRequestHandler


def serve_media_from(folder: Path) -> None:
    """Make chalice local's server answer /media/* from ``folder`` (before it starts)."""
    handler = handler_serving(folder)
    base = local.LocalDevServer

    class MediaDevServer(base):  # type: ignore[misc, valid-type]
        def __init__(self, app_object, config, host, port, **kwargs) -> None:
            super().__init__(app_object, config, host, port, handler_cls=handler, **kwargs)

    local.LocalDevServer = MediaDevServer  # create_local_server looks the name up per call
