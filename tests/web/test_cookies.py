"""Cookies: what a browser sends is parsed leniently, what we set is checked strictly."""

import pytest

from chalicelib.web.cookies import SetCookie, parse
from chalicelib.web.http import Request


def test_the_cookie_header_is_parsed_by_name():
    header = 'a=1; __Host-cart=abc_DEF-123; quoted="x y"; b=2; a=3; broken; c="v"'
    assert parse(header) == {"a": "1", "__Host-cart": "abc_DEF-123", "b": "2", "c": "v"}
    assert parse("") == {} and parse("=;;") == {}
    assert Request("/", headers={"cookie": "s=42"}).cookies == {"s": "42"}


def test_a_host_cookie_carries_every_attribute_asvs_asks_for():
    cookie = SetCookie("__Host-session", "0123abcd", max_age=1800, same_site="Strict")
    assert cookie.header() == (
        "__Host-session=0123abcd; Path=/; Max-Age=1800; Secure; HttpOnly; SameSite=Strict"
    )


def test_an_expired_cookie_asks_the_browser_to_forget_it():
    assert "Max-Age=0" in SetCookie.expired("__Host-cart", same_site="Lax").header()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "__Host-x", "value": "1", "secure": False},
        {"name": "__Host-x", "value": "1", "path": "/fr-fr"},
        {"name": "x", "value": "1", "secure": False, "same_site": "None"},
        {"name": "bad name", "value": "1"},
        {"name": "x", "value": "a;b"},
        {"name": "x", "value": "a b"},
    ],
)
def test_a_cookie_that_breaks_the_rules_cannot_be_made(kwargs):
    with pytest.raises(ValueError):
        SetCookie(**kwargs)
