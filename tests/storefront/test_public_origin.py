"""Absolute links take their origin from configuration only, never from the request's headers."""

import re

import pytest

from chalicelib.kernel import stages
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.settings import LOCAL_BASE_URL
from tests.conftest import body, stage_client

FORGED = {
    "Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Host": "evil.example",
    "CloudFront-Forwarded-Proto": "http",
    "Forwarded": "host=evil.example;proto=http",
}
ABSOLUTE = re.compile(
    r'(?:href|content)="(https?://[^/"]+)|<loc>(https?://[^/<]+)|: (https?://\S+)'
)


def pages_of(code: str, product: str) -> list[str]:
    return [
        f"/{code}/",
        f"/{code}/l/smartphones",
        f"/{code}/l/laptops?brand=apple",
        f"/{code}/p/{product}",
        f"/{code}/search?q=apple",
        f"/{code}/legal/terms",
        f"/{code}/no/such/page/here",
        f"/{code}/sitemap.xml",
        f"/{code}/manifest.webmanifest",
        f"/{code.upper()}/l/laptops",
    ]


def origins_in(response) -> set[str]:
    text = body(response) + " " + " ".join(str(v) for v in response.headers.values())
    return {next(g for g in found if g).split("/")[2] for found in ABSOLUTE.findall(text)}


@pytest.mark.parametrize("code", MARKETS)
def test_a_forged_host_appears_nowhere_on_any_page_of_any_market(client, shop_catalog, code):
    product = shop_catalog["products"][0]["id"]
    for path in pages_of(code, product):
        response = client.http.get(path, headers=FORGED)
        assert response.status_code < 500, path
        text = body(response) + repr(response.headers)
        assert "evil.example" not in text, path
        assert origins_in(response) <= {"127.0.0.1:8000"}, (path, origins_in(response))


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/?choose=1", "/", "/xx-yy/"])
def test_nor_outside_the_markets(client, path):
    response = client.http.get(path, headers={**FORGED, "Accept-Language": "ja"})
    assert "evil.example" not in body(response) + repr(response.headers), path


def test_the_canonical_link_names_the_local_default_without_configuration(client):
    page = body(client.http.get("/fr-fr/", headers=FORGED))
    assert f'<link rel="canonical" href="{LOCAL_BASE_URL}/fr-fr/">' in page
    robots = body(client.http.get("/robots.txt", headers=FORGED))
    assert f"Sitemap: {LOCAL_BASE_URL}/sitemap.xml" in robots


def test_a_configured_public_base_url_is_the_only_origin(shop_table, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://www.recircle.example")
    with stage_client(shop_table) as client:
        page = client.http.get("/de-at/l/laptops", headers=FORGED)
        index = client.http.get("/sitemap.xml", headers=FORGED)
    assert '<link rel="canonical" href="https://www.recircle.example/de-at/l/laptops">' in body(
        page
    )
    assert origins_in(page) == origins_in(index) == {"www.recircle.example"}


@pytest.mark.parametrize("name", ["eu", "us", "ap"])
def test_each_deployed_stage_links_to_its_own_public_url(shop_table, name):
    stage = stages.get(name)
    code = stage.markets[0]
    with stage_client(shop_table, name) as client:
        page = client.http.get(f"/{code}/", headers=FORGED)
        sitemap = client.http.get(f"/{code}/sitemap.xml", headers=FORGED)
    assert f'<link rel="canonical" href="{stage.public_url}/{code}/">' in body(page)
    assert origins_in(sitemap) == {stage.public_url.split("/")[2]}
