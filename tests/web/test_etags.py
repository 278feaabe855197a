"""If-None-Match is compared as RFC 9110 §13.1.2 says for GET and HEAD: weakly, over a list."""

import pytest

from chalicelib.kernel.markets import MARKETS
from chalicelib.web.caching import none_match, opaque_tags

TAG = '"0123abcd"'


@pytest.mark.parametrize(
    "header, matches",
    [
        ('"0123abcd"', True),
        ('W/"0123abcd"', True),  # what a CDN that compressed the page sends back
        ('"x", W/"0123abcd"', True),
        ('  W/"x" ,W/"0123abcd"  ', True),
        ('"x", , "0123abcd",', True),  # empty list elements are allowed
        ("*", True),
        (" * ", True),
        ('"0123abcde"', False),
        ('"0123ABCD"', False),  # opaque tags compare character by character
        ('w/"0123abcd"', False),  # W/ is case-sensitive
        ("0123abcd", False),  # not quoted: not an entity-tag
        ('"0123abcd" trailing', False),  # not a list: nothing in it is believed
        ('*, "0123abcd"', False),
        ('"', False),
        ("", False),
        ('"' + "a" * 9000 + '", "0123abcd"', False),  # longer than any real list
    ],
)
def test_weak_comparison_over_a_list(header, matches):
    assert none_match(header, TAG) is matches


def test_the_opaque_tags_of_a_list():
    assert opaque_tags('W/"a", "b,c" ,"" ') == ["a", "b,c", ""]
    assert opaque_tags('"a" "b"') == ["a", "b"]
    assert opaque_tags("W/") is None


@pytest.mark.parametrize("code", MARKETS)
def test_every_market_answers_a_weak_or_listed_etag_with_a_304(client, code):
    path = f"/{code}/l/smartphones"
    first = client.http.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    for sent in (etag, f"W/{etag}", f'"other", W/{etag}', "*"):
        again = client.http.get(path, headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.body in (b"", "") and again.headers["ETag"] == etag
        assert "Content-Security-Policy" in again.headers
        head = client.http.head(path, headers={"If-None-Match": sent})
        assert head.status_code == 304, sent
    for sent in ('"other"', "W/other", etag.upper() + "x", 'W/"', etag + " x"):
        assert client.http.get(path, headers={"If-None-Match": sent}).status_code == 200, sent
