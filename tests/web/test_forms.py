"""Form bodies: fields in order and repeated, strict UTF-8, a size limit, the right type only."""

import pytest

from chalicelib.web import forms
from chalicelib.web.http import Request

FORM = "application/x-www-form-urlencoded"


def test_fields_keep_their_order_repeats_and_blank_values():
    form = forms.parse(b"size=128&color=blue&color=black&note=&q=caf%C3%A9+cr%C3%A8me", FORM)
    assert form.getlist("color") == ["blue", "black"]
    assert form.get("color") == "black"
    assert form.get("note") == "" and "note" in form
    assert form.get("q") == "café crème"
    assert form.get("missing") is None and form.get("missing", "x") == "x"
    assert len(form) == 5


def test_a_charset_parameter_of_utf8_is_accepted():
    assert forms.parse(b"a=%E2%82%AC", f"{FORM}; charset=UTF-8").get("a") == "€"


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b"a=%FF%FE", FORM, 400),  # percent-encoded bytes that are not UTF-8
        ("a=é".encode(), FORM, 400),  # raw non-ASCII bytes in a urlencoded body
        (b"a=%00", FORM, 400),
        (b"a=1", f"{FORM}; charset=latin-1", 415),
        (b'{"a": 1}', "application/json", 415),
        (b"a=1", "", 415),
        (b"a=" + b"x" * forms.MAX_FORM_BYTES, FORM, 413),
        (b"&".join(b"f%d=1" % i for i in range(forms.MAX_FIELDS + 1)), FORM, 413),
    ],
)
def test_what_is_not_a_form_we_accept_is_refused_with_its_status(body, content_type, status):
    with pytest.raises(forms.FormError) as refused:
        forms.parse(body, content_type)
    assert refused.value.status == status


def test_a_request_parses_its_form_once_and_only_when_asked():
    request = Request("/fr-fr/cart", method="POST", body=b"q=1&q=2", headers={"content-type": FORM})
    assert request.form is request.form
    assert request.form.getlist("q") == ["1", "2"]
    broken = Request("/fr-fr/cart", method="POST", body=b"\xff", headers={"content-type": FORM})
    assert broken.path == "/fr-fr/cart"  # nothing is parsed until the form is read
    with pytest.raises(forms.FormError):
        _ = broken.form
