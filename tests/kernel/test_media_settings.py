"""MEDIA_BASE_URL: where pages link product pictures, by default beside the pages."""

from __future__ import annotations

import pytest

from chalicelib.kernel.settings import Settings


@pytest.mark.parametrize(
    ("env", "media"),
    [
        (
            {"STAGE": "eu", "PUBLIC_BASE_URL": "https://eu.recircle.example"},
            "https://eu.recircle.example/media",
        ),
        (
            {"STAGE": "eu", "PUBLIC_BASE_URL": "https://eu.recircle.example/"},
            "https://eu.recircle.example/media",
        ),
        ({"STAGE": "dev", "PUBLIC_BASE_URL": ""}, "/media"),
        (
            {
                "STAGE": "eu",
                "PUBLIC_BASE_URL": "https://eu.recircle.example",
                "MEDIA_BASE_URL": "https://cdn.example/pictures/",
            },
            "https://cdn.example/pictures",
        ),
        ({"STAGE": "dev", "MEDIA_BASE_URL": "/pictures"}, "/pictures"),
    ],
)
def test_pictures_are_under_media_base_url_else_the_public_address(env, media):
    assert Settings.from_env(env).media_url == media


@pytest.mark.parametrize("value", ["cdn.example/media", "javascript:alert(1)", "ftp://cdn.example"])
def test_a_media_base_url_that_no_page_could_link_is_refused(value):
    with pytest.raises(ValueError, match="MEDIA_BASE_URL"):
        Settings.from_env({"STAGE": "dev", "MEDIA_BASE_URL": value})
