"""Cache headers fit for CloudFront, ETags and 304s, and no Vary on market pages."""

import pytest

from tests.conftest import body, stage_client


@pytest.mark.parametrize(
    "path", ["/fr-fr/", "/de-de/l/laptops", "/ja-jp/p/apple-iphone-13", "/en-us/search?q=apple"]
)
def test_market_pages_are_cacheable_by_path(client, path):
    response = client.http.get(path, headers={"Accept-Language": "fi-FI"})
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    # 30 s at the CDN + 30 s of wording refresh in the function: live within 60 s of publishing
    assert "s-maxage=30," in cache and "stale-while-revalidate" not in cache
    assert "stale-if-error" in cache
    assert "Vary" not in response.headers
    etag = response.headers["ETag"]
    again = client.http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and body(again) == ""
    assert again.headers["ETag"] == etag
    other = client.http.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and body(other) == body(response)


def test_the_root_varies_on_the_visitor_and_is_not_shared(client):
    response = client.http.get("/", headers={"Accept-Language": "fr-FR"})
    assert response.headers["Vary"] == "Accept-Language, CloudFront-Viewer-Country"
    assert response.headers["Cache-Control"].startswith("private")


def test_errors_are_cached_briefly_or_not_at_all(client, moto_dynamodb):
    missing = client.http.get("/fr-fr/p/no-such-thing")
    assert missing.status_code == 404 and "s-maxage=30" in missing.headers["Cache-Control"]
    assert "ETag" not in missing.headers
    with stage_client(moto_dynamodb.Table("no-such-table")) as down_client:
        down = down_client.http.get("/fr-fr/")
    assert down.status_code == 503 and down.headers["Cache-Control"] == "no-store"
