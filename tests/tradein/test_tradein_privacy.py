"""No payout or identity detail is stored or logged in clear; each is sealed and can be opened."""

from __future__ import annotations

import base64
import json
import logging

import boto3

from chalicelib.kernel.settings import TRADEIN_KEY_ALIAS
from chalicelib.tradein.model import digest
from chalicelib.tradein.repository import tradein_key
from chalicelib.tradein.sealed import Sealer, canonical
from tests.conftest import REGION
from tests.tradein.conftest import details
from tools import tradein as tool

# Values no page, table item or log line may hold in clear (each unlike anything else there).
SECRET = {"given_name": "Wilhelmina", "family_name": "Quarterbridge", "email": "wq7@example.org",
          "birth_date": "1983-11-29", "street": "77 Zyxwvut Lane", "id_number": "QZ8841207",
          "id_authority": "Sous-préfecture de Zanzibar", "city": "Yvetot"}  # fmt: skip
IBAN = "FR7630006000011234567890189"


def forms_of(value: str) -> set[str]:
    """The value and how it could leak: spaced, upper case, JSON-escaped, base64."""
    found = {value, value.upper(), json.dumps(value)[1:-1]}
    found.add(base64.b64encode(value.encode()).decode().rstrip("="))
    return {f for f in found if len(f) >= 6}


def test_payout_and_identity_are_sealed_and_never_in_clear(seller, tradein_table, caplog, capfd):
    caplog.set_level(logging.DEBUG)  # botocore logs request and response bodies at DEBUG
    reference = seller.quote("fr-fr", "apple-iphone-13")
    form = details("fr-fr", iban="FR76 3000 6000 0112 3456 7890 189", **SECRET)
    assert seller.accept("fr-fr", reference, form).status_code == 303
    page = seller.status("fr-fr", reference)
    item = tradein_table.get_item(Key=tradein_key(digest(reference), "fr-fr"))["Item"]
    logged = caplog.text + "".join(capfd.readouterr())
    stored = json.dumps(item, default=str, ensure_ascii=False)
    for value in [*SECRET.values(), IBAN, IBAN[4:]]:
        for form_of in forms_of(value):
            assert form_of not in stored, value
            assert form_of not in logged, value
            assert form_of not in page, value
    assert item["shown"] == {"payout": "•••• 0189", "id_number": "•••• 1207"}
    assert "•••• 0189" in page and "•••• 1207" not in page  # the document's mask is not shown

    # What is sealed opens with the key (as the payout tool, allowed to decrypt, would do).
    kms = boto3.client("kms", region_name=REGION)
    sealer = Sealer(lambda: kms, lambda: TRADEIN_KEY_ALIAS)
    context = {"tradein": digest(reference), "market": "fr-fr"}
    identity = sealer.open(item["identity"], {**context, "part": "identity"})
    assert identity["family_name"] == SECRET["family_name"]
    assert identity["id_number"] == SECRET["id_number"]
    assert sealer.open(item["payout"], {**context, "part": "payout"}) == {"iban": IBAN}
    # What KMS was sent to encrypt, each part's whole JSON, is in no log line either.
    for part in (identity, {"iban": IBAN}):
        sent = canonical(part)
        assert sent.decode() not in logged and base64.b64encode(sent).decode() not in logged

    # Once paid, the account is deleted; the identity stays for the register's retention.
    for state in ("received", "checked", "paid"):
        args = tool.parser().parse_args(["--table", "t", reference, "fr-fr", state])
        assert tool.run(args, table=tradein_table) == 0
    item = tradein_table.get_item(Key=tradein_key(digest(reference), "fr-fr"))["Item"]
    assert "payout" not in item and "identity" in item
    paid_at = int(item["updated_at"])
    assert int(item["expires_at"]) - paid_at == 10 * 366 * 86400


def test_logs_never_hold_a_reference(seller, capfd, monkeypatch):
    monkeypatch.setenv("TRADEIN_KMS_KEY", "alias/no-such-key")  # an acceptance that logs a 503
    reference = seller.quote("en-gb", "apple-iphone-13")
    seller.get(f"/en-gb/trade-in/q/{reference}/accept")
    assert seller.post(f"/en-gb/trade-in/q/{reference}/accept", details("en-gb")).status_code == 503
    out, err = capfd.readouterr()
    lines = [json.loads(line) for line in (out + err).splitlines() if line.startswith("{")]
    assert {"/en-gb/trade-in/q/…/accept"} == {line["path"] for line in lines if "code" in line}
    assert reference not in out + err
