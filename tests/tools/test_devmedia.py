"""`make run` answers /media/* from build/media/ as the CDN answers it from the bucket."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest
from chalice import Chalice, local
from chalice.config import Config

from tools.devmedia import media_file, serve_media_from

SVG = b"<svg xmlns='http://www.w3.org/2000/svg'/>"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "products" / "p").mkdir(parents=True)
    (tmp_path / "products" / "p" / "blue-1.abc.svg").write_bytes(SVG)
    (tmp_path / "secret.txt").write_text("no")
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        "/media/products/p/missing.svg",
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/secret.txt",
        "/media/products//p/blue-1.abc.svg",
        "/media/",
        "/other/products/p/blue-1.abc.svg",
    ],
)
def test_only_pictures_inside_the_folder_are_served(folder, path):
    assert media_file(folder, path) is None


def test_a_picture_is_found_with_its_type(folder):
    found = media_file(folder, "/media/products/p/blue-1.abc.svg?v=1")
    assert found == (folder / "products" / "p" / "blue-1.abc.svg", "image/svg+xml")


@pytest.fixture
def server(folder, monkeypatch):
    """chalice local, as tools/devserver.py starts it, on a free port."""
    monkeypatch.setattr(local, "LocalDevServer", local.LocalDevServer)  # restored after
    serve_media_from(folder)
    app = Chalice(app_name="pictures")

    @app.route("/")
    def index():
        return {"page": "from the app"}

    dev = local.create_local_server(app, Config.create(chalice_app=app), "127.0.0.1", 0)
    thread = threading.Thread(target=dev.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{dev.server.server_address[1]}"
    dev.shutdown()


def test_the_dev_server_serves_pictures_and_hands_the_rest_to_the_app(server):
    with urllib.request.urlopen(f"{server}/media/products/p/blue-1.abc.svg") as response:
        assert response.read() == SVG
        assert response.headers["Content-Type"] == "image/svg+xml"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with urllib.request.urlopen(f"{server}/") as response:
        assert b"from the app" in response.read()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{server}/media/products/p/gone.svg")
    assert missing.value.code == 404
