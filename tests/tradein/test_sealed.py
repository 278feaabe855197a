"""Envelope encryption of payout and identity details: KMS data keys (moto) and AES-256-GCM."""

from __future__ import annotations

import base64
import json
import logging
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chalicelib.kernel import aws
from chalicelib.tradein.sealed import SealBroken, Sealer, SealUnavailable, last_four
from tests.conftest import REGION, ROOT

FIELDS = {
    "iban": "FR1420041010050500013M02606",
    "name": "Léa Dupont-Moreau",
    "birth_date": "1990-04-17",
    "id_document": "passport 19AB12345",
}
CONTEXT = {"market": "fr-fr", "reference": "TQ-7kq2mX9pLr"}


class KmsCalls:
    """The KMS operations a client makes, through botocore's event hooks."""

    def __init__(self, kms) -> None:
        self.names: list[str] = []
        self._events = kms.meta.events
        self._events.register("before-call.kms", self._count)

    def _count(self, model, **_):
        self.names.append(model.name)

    def close(self) -> None:
        self._events.unregister("before-call.kms", self._count)


@pytest.fixture(scope="module")
def kms(moto_dynamodb):
    """The process's KMS client, from the kernel, over the session's moto."""
    return aws.kms_client(REGION)


@pytest.fixture(scope="module")
def key_arn(kms):
    arn = kms.create_key(Description="trade-in sealing")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/tradein-test", TargetKeyId=arn)
    return arn


@pytest.fixture(scope="module")
def sealer(kms, key_arn):
    return Sealer(lambda: kms, lambda: "alias/tradein-test")


@pytest.fixture
def kms_calls(kms):
    counter = KmsCalls(kms)
    yield counter.names
    counter.close()


def canonical(values: dict[str, str]) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def flipped(text: str, index: int) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 0x01
    return b64(bytes(raw))


def test_sealed_fields_open_again_with_their_context(sealer, key_arn):
    sealed = sealer.seal(FIELDS, CONTEXT)
    assert set(sealed) == {"key", "alg", "kid", "box"}
    assert sealed["alg"] == "AES256GCM" and sealed["kid"] == key_arn
    assert all(isinstance(value, str) for value in sealed.values())
    assert sealer.open(sealed, dict(reversed(CONTEXT.items()))) == FIELDS
    by_arn = Sealer(sealer.kms_client, lambda: key_arn)
    assert by_arn.open(sealed, CONTEXT) == FIELDS


@pytest.mark.parametrize("count", [1, 4, 40])
def test_one_data_key_per_seal_and_one_decrypt_per_open(sealer, kms_calls, count):
    fields = {f"field{i}": f"value {i}" for i in range(count)}
    sealed = sealer.seal(fields, CONTEXT)
    assert kms_calls == ["GenerateDataKey"]
    assert sealer.open(sealed, CONTEXT) == fields
    assert kms_calls == ["GenerateDataKey", "Decrypt"]


def test_a_seal_holds_no_value_in_clear_nor_in_base64(sealer):
    sealed = sealer.seal(FIELDS, CONTEXT)
    stored = " ".join(sealed.values())
    decoded = base64.b64decode(sealed["box"]) + base64.b64decode(sealed["key"])
    for value in FIELDS.values():
        raw = value.encode("utf-8")
        assert value not in stored and b64(raw) not in stored
        assert raw not in decoded
    assert b64(canonical(FIELDS)) not in stored and canonical(FIELDS) not in decoded
    # The box is the nonce, the fields' ciphertext (as long as their JSON) and a 16-byte tag.
    assert len(base64.b64decode(sealed["box"])) == 12 + len(canonical(FIELDS)) + 16


@pytest.mark.parametrize(
    "index", [0, 11, 12, 30, -1], ids=["nonce", "nonce-end", "first", "mid", "tag"]
)
def test_a_flipped_byte_in_the_box_breaks_the_seal(sealer, index):
    sealed = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({**sealed, "box": flipped(sealed["box"], index)}, CONTEXT)


@pytest.mark.parametrize(
    "other",
    [
        {"market": "fr-fr", "reference": "TQ-another"},
        {"market": "de-de", "reference": CONTEXT["reference"]},
        {**CONTEXT, "extra": "x"},
        {"market": "fr-fr"},
    ],
)
def test_another_context_breaks_the_seal(sealer, kms, other):
    sealed = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open(sealed, other)
    # moto enforces the encryption context on Decrypt, as KMS does...
    blob = base64.b64decode(sealed["key"])
    with pytest.raises(ClientError) as refused:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext=other)
    assert refused.value.response["Error"]["Code"] == "InvalidCiphertextException"
    # ...and the box's associated data refuses another context even with the right data key.
    data_key = kms.decrypt(CiphertextBlob=blob, EncryptionContext=CONTEXT)["Plaintext"]
    box = base64.b64decode(sealed["box"])
    assert AESGCM(data_key).decrypt(box[:12], box[12:], canonical(CONTEXT)) == canonical(FIELDS)
    with pytest.raises(InvalidTag):
        AESGCM(data_key).decrypt(box[:12], box[12:], canonical(other))


def test_another_data_key_breaks_the_seal(sealer):
    first, second = sealer.seal(FIELDS, CONTEXT), sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({**first, "key": second["key"]}, CONTEXT)


def test_a_seal_of_another_kms_key_is_refused(sealer, kms, key_arn, kms_calls):
    other_arn = kms.create_key(Description="another key")["KeyMetadata"]["Arn"]
    foreign = Sealer(sealer.kms_client, lambda: other_arn).seal(FIELDS, CONTEXT)
    kms_calls.clear()
    with pytest.raises(SealBroken):
        Sealer(sealer.kms_client, lambda: key_arn).open(foreign, CONTEXT)
    assert kms_calls == []  # refused before asking KMS
    own = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):  # the recorded key altered: not the one KMS names
        sealer.open({**own, "kid": other_arn}, CONTEXT)


@pytest.mark.parametrize(
    "damage",
    [
        {"alg": "AES128CBC"},
        {"box": "not base64!"},
        {"key": "%%%"},
        {"box": b64(b"short")},
        {"key": b64(b"not a KMS blob at all, just bytes")},
    ],
)
def test_a_malformed_seal_is_broken(sealer, damage):
    sealed = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({**sealed, **damage}, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({k: v for k, v in sealed.items() if k not in damage}, CONTEXT)


def test_two_seals_of_the_same_fields_differ(sealer):
    first, second = sealer.seal(FIELDS, CONTEXT), sealer.seal(FIELDS, CONTEXT)
    assert first["key"] != second["key"] and first["box"] != second["box"]
    assert base64.b64decode(first["box"])[:12] != base64.b64decode(second["box"])[:12]
    assert sealer.open(first, CONTEXT) == sealer.open(second, CONTEXT) == FIELDS


def test_kms_errors_reach_the_caller_as_seal_unavailable_with_their_code(kms):
    missing = Sealer(lambda: kms, lambda: "alias/no-such-key")
    with pytest.raises(SealUnavailable) as failed:
        missing.seal(FIELDS, CONTEXT)
    assert failed.value.code == "NotFoundException"
    assert isinstance(failed.value.__cause__, ClientError)


def test_nothing_logs_a_field_value_nor_a_data_key_even_at_debug(sealer, kms, caplog):
    data_keys: list[bytes] = []

    def keep(parsed, **_):
        data_keys.append(parsed["Plaintext"])

    kms.meta.events.register("after-call.kms", keep)
    try:
        with caplog.at_level(logging.DEBUG):
            sealer.open(sealer.seal(FIELDS, CONTEXT), CONTEXT)
    finally:
        kms.meta.events.unregister("after-call.kms", keep)
    logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert "after-call.kms.Decrypt" in logged  # botocore's debug lines were captured
    assert len(data_keys) == 2 and data_keys[0] == data_keys[1]
    for secret in [*(v.encode() for v in FIELDS.values()), *data_keys]:
        assert b64(secret) not in logged and repr(secret)[2:-1] not in logged
    for value in FIELDS.values():
        assert value not in logged


def test_the_kms_client_is_made_once_per_endpoint(kms):
    assert aws.kms_client(REGION) is kms
    assert aws.kms_client(REGION, "http://127.0.0.1:5000") is not kms


def test_importing_trade_in_details_leaves_cryptography_unloaded():
    code = (
        "import sys, chalicelib.tradein.sealed, chalicelib.tradein.payout;"
        "print('cryptography' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("FR1420041010050500013M02606", "•••• 2606"),
        ("GB82 WEST 1234 5698 7654 32", "•••• 5432"),
        ("0001-2345", "•••• 2345"),
        ("19AB 123-4X", "•••• 234X"),
    ],
)
def test_last_four_keeps_the_last_four_alphanumerics(text, shown):
    assert last_four(text) == shown
