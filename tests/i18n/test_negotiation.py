"""Choosing a visitor's market from Accept-Language and CloudFront-Viewer-Country."""

import pytest

from chalicelib.i18n.negotiation import choose_market, parse_accept_language


def test_accept_language_is_ordered_by_quality():
    assert parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == [
        ("fr", "CH"),
        ("fr", None),
        ("en", None),
        ("de", None),
    ]


def test_zero_quality_and_garbage_are_ignored():
    assert parse_accept_language("en;q=0, ;;, 12, de;q=abc") == []


@pytest.mark.parametrize(
    "accept, country, expected",
    [
        ("nl-BE,nl;q=0.9", "BE", "nl-be"),
        ("fr-BE,fr;q=0.9", "BE", "fr-be"),
        ("de-DE", "BE", "fr-be"),
        ("", "AT", "de-at"),
        ("en-US,en;q=0.9", "JP", "ja-jp"),
        ("en-GB", "", "en-gb"),
        ("en", "", "en-us"),
        ("de-CH,de;q=0.9", "CH", "de-de"),
        ("pt-BR,pt;q=0.9", "BR", "pt-pt"),
        ("sv-SE", "", "sv-se"),
        ("el", "", "el-gr"),
        ("en-IE", "IE", "en-ie"),
        ("ja", "", "ja-jp"),
    ],
)
def test_choose_market(accept, country, expected):
    assert choose_market(accept, country).code == expected


@pytest.mark.parametrize("accept, country", [("", ""), ("zh-CN,zh;q=0.9", "CN"), ("ko", "")])
def test_nothing_points_to_a_market(accept, country):
    assert choose_market(accept, country) is None
