"""Sealing payout and identity details: one KMS Encrypt per seal, one Decrypt per open (moto)."""

from __future__ import annotations

import ast
import base64
import fnmatch
import json
import logging
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError

from chalicelib.kernel import aws, stages
from chalicelib.kernel.settings import TRADEIN_KEY_ALIAS
from chalicelib.tradein.sealed import (
    MAX_PLAINTEXT_BYTES,
    SealBroken,
    Sealer,
    SealTooLarge,
    SealUnavailable,
    canonical,
    last_four,
)
from tests.conftest import REGION, ROOT
from tests.tradein.conftest import details

FIELDS = {
    "iban": "FR1420041010050500013M02606",
    "name": "Léa Dupont-Moreau",
    "birth_date": "1990-04-17",
    "id_document": "passport 19AB12345",
}
CONTEXT = {"market": "fr-fr", "tradein": "3f9a0c", "part": "identity"}
# moto's ciphertext blob: the key id (36 bytes), the IV (12), the GCM tag (16), the ciphertext.
# KMS's own format is opaque; a flipped key-id byte is AccessDenied in moto, not a broken seal.
MOTO_BLOB = {"iv": 36, "tag": 50, "first": 64, "last": -1}


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


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def flipped(text: str, index: int) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 0x01
    return b64(bytes(raw))


def test_sealed_fields_open_again_with_their_context(sealer, key_arn):
    sealed = sealer.seal(FIELDS, CONTEXT)
    assert set(sealed) == {"v", "alg", "kid", "blob"}
    assert sealed["v"] == "2" and sealed["alg"] == "KMS" and sealed["kid"] == key_arn
    assert all(isinstance(value, str) for value in sealed.values())
    assert sealer.open(sealed, dict(reversed(CONTEXT.items()))) == FIELDS
    by_arn = Sealer(sealer.kms_client, lambda: key_arn)
    assert by_arn.open(sealed, CONTEXT) == FIELDS


@pytest.mark.parametrize("count", [1, 4, 40])
def test_one_encrypt_per_seal_and_one_decrypt_per_open(sealer, kms_calls, count):
    fields = {f"field{i}": f"value {i}" for i in range(count)}
    sealed = sealer.seal(fields, CONTEXT)
    assert kms_calls == ["Encrypt"]
    assert sealer.open(sealed, CONTEXT) == fields
    assert kms_calls == ["Encrypt", "Decrypt"]


def test_a_seal_holds_no_value_in_clear_nor_in_base64(sealer):
    sealed = sealer.seal(FIELDS, CONTEXT)
    stored = " ".join(sealed.values())
    decoded = base64.b64decode(sealed["blob"])
    for value in FIELDS.values():
        raw = value.encode("utf-8")
        assert value not in stored and b64(raw) not in stored
        assert raw not in decoded
    assert b64(canonical(FIELDS)) not in stored and canonical(FIELDS) not in decoded


@pytest.mark.parametrize("index", MOTO_BLOB.values(), ids=MOTO_BLOB.keys())
def test_a_flipped_byte_in_the_ciphertext_breaks_the_seal(sealer, index):
    sealed = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({**sealed, "blob": flipped(sealed["blob"], index)}, CONTEXT)


@pytest.mark.parametrize(
    "other",
    [
        {**CONTEXT, "tradein": "another"},
        {**CONTEXT, "market": "de-de"},
        {**CONTEXT, "part": "payout"},
        {**CONTEXT, "extra": "x"},
        {"market": "fr-fr", "tradein": CONTEXT["tradein"]},
    ],
)
def test_another_context_breaks_the_seal(sealer, kms, other):
    sealed = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open(sealed, other)
    # KMS itself (moto enforces the context on Decrypt, as KMS does) refuses it.
    blob = base64.b64decode(sealed["blob"])
    with pytest.raises(ClientError) as refused:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext=other)
    assert refused.value.response["Error"]["Code"] == "InvalidCiphertextException"


def test_a_blob_moved_to_another_part_or_trade_in_does_not_open(sealer):
    identity = sealer.seal(FIELDS, CONTEXT)
    payout = sealer.seal({"iban": FIELDS["iban"]}, {**CONTEXT, "part": "payout"})
    with pytest.raises(SealBroken):
        sealer.open({**payout, "blob": identity["blob"]}, {**CONTEXT, "part": "payout"})
    assert sealer.open(payout, {**CONTEXT, "part": "payout"}) == {"iban": FIELDS["iban"]}


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
        {"alg": "AES256GCM"},
        {"v": "1"},
        {"blob": "not base64!"},
        {"blob": ""},
        {"blob": b64(b"not a KMS blob at all, just bytes")},
    ],
)
def test_a_malformed_seal_is_broken(sealer, damage):
    sealed = sealer.seal(FIELDS, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({**sealed, **damage}, CONTEXT)
    with pytest.raises(SealBroken):
        sealer.open({k: v for k, v in sealed.items() if k not in damage}, CONTEXT)


def test_a_seal_of_the_first_format_is_refused_without_a_call(sealer, kms_calls):
    issue_12 = {"key": b64(b"k" * 40), "alg": "AES256GCM", "kid": "arn", "box": b64(b"b" * 40)}
    with pytest.raises(SealBroken, match="unknown format"):
        sealer.open(issue_12, CONTEXT)
    assert kms_calls == []


def test_two_seals_of_the_same_fields_differ(sealer):
    first, second = sealer.seal(FIELDS, CONTEXT), sealer.seal(FIELDS, CONTEXT)
    assert first["blob"] != second["blob"]
    assert sealer.open(first, CONTEXT) == sealer.open(second, CONTEXT) == FIELDS


def test_kms_errors_reach_the_caller_as_seal_unavailable_with_their_code(kms):
    missing = Sealer(lambda: kms, lambda: "alias/no-such-key")
    with pytest.raises(SealUnavailable) as failed:
        missing.seal(FIELDS, CONTEXT)
    assert failed.value.code == "NotFoundException"
    assert isinstance(failed.value.__cause__, ClientError)


def padded(size: int) -> dict[str, str]:
    """Fields whose sealed JSON is exactly ``size`` bytes, in 4-byte characters where it can."""
    overhead = len(canonical({"f": ""}))
    fours, ones = divmod(size - overhead, 4)
    fields = {"f": "𝔸" * fours + "a" * ones}
    assert len(canonical(fields)) == size
    return fields


def test_kms_encrypts_up_to_its_limit_and_a_larger_seal_is_refused_before_any_call(
    sealer, kms_calls
):
    largest = padded(MAX_PLAINTEXT_BYTES)
    assert sealer.open(sealer.seal(largest, CONTEXT), CONTEXT) == largest
    kms_calls.clear()
    with pytest.raises(SealTooLarge, match="4097 bytes to seal; KMS Encrypt takes at most 4096"):
        sealer.seal(padded(MAX_PLAINTEXT_BYTES + 1), CONTEXT)
    assert kms_calls == []


def test_nothing_logs_a_field_value_nor_the_plaintext_even_at_debug(sealer, kms, caplog):
    opened: list[bytes] = []

    def keep(parsed, **_):
        opened.append(parsed["Plaintext"])

    kms.meta.events.register("after-call.kms.Decrypt", keep)
    try:
        with caplog.at_level(logging.DEBUG):
            sealer.open(sealer.seal(FIELDS, CONTEXT), CONTEXT)
    finally:
        kms.meta.events.unregister("after-call.kms.Decrypt", keep)
    logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    # botocore's debug lines were captured: a request's parameters, a response's body.
    assert "Making request for OperationModel(name=Decrypt)" in logged
    assert "Response body" in logged
    assert opened == [canonical(FIELDS)]
    # Encrypt's request and Decrypt's response carry the fields: their lines are dropped.
    assert "Plaintext" not in logged
    assert b64(canonical(FIELDS)) not in logged and repr(canonical(FIELDS))[2:-1] not in logged
    for value in FIELDS.values():
        assert value not in logged and b64(value.encode()) not in logged


def allows(statements: list[dict], action: str, resource: str, request: dict) -> bool:
    """Whether an Allow statement grants the call (IAM's reading of the operators used here)."""
    for statement in statements:
        actions, resources = statement["Action"], statement["Resource"]
        actions = actions if isinstance(actions, list) else [actions]
        resources = resources if isinstance(resources, list) else [resources]
        if action not in actions or not any(fnmatch.fnmatchcase(resource, r) for r in resources):
            continue
        if all(_holds(op, key, want, request.get(key)) for op, keys in
               statement.get("Condition", {}).items() for key, want in keys.items()):  # fmt: skip
            return True
    return False


def _holds(operator: str, key: str, want, value) -> bool:
    want = want if isinstance(want, list) else [want]
    if operator == "Null":
        return (value is None or value == []) is (want == ["true"])
    if operator == "ForAnyValue:StringEquals":
        return any(v in want for v in value or [])
    if operator == "ForAllValues:StringEquals":
        return all(v in want for v in value or [])
    if operator == "StringEquals":
        return value in want
    if operator == "StringLike":
        return value is not None and any(fnmatch.fnmatchcase(value, w) for w in want)
    raise AssertionError(f"{operator} on {key}: teach allows() how IAM reads it")


@pytest.mark.parametrize(("stage", "market"), [("eu", "fr-fr"), ("us", "en-us")])
def test_the_web_role_may_make_the_encrypts_an_acceptance_makes_and_no_decrypt(
    seller, tradein_key, stage, market
):
    kms = aws.kms_client(REGION, None)  # the app's own client
    sent: list[tuple[str, dict]] = []
    hook = lambda model, params, **_: sent.append((model.name, dict(params)))  # noqa: E731
    kms.meta.events.register("before-parameter-build.kms", hook)
    try:
        reference = seller.quote(market, "apple-iphone-13")
        assert seller.accept(market, reference, details(market)).status_code == 303
        seller.status(market, reference)
    finally:
        kms.meta.events.unregister("before-parameter-build.kms", hook)
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())["Statement"]
    region = stages.get(stage).region
    key = kms.describe_key(KeyId=tradein_key)["KeyMetadata"]
    aliases = [a["AliasName"] for a in kms.list_aliases(KeyId=key["KeyId"])["Aliases"]]
    arn = f"arn:aws:kms:{region}:{key['AWSAccountId']}:key/{key['KeyId']}"
    assert [name for name, _ in sent] == ["Encrypt", "Encrypt"]
    for _, params in sent:
        assert params["KeyId"] == TRADEIN_KEY_ALIAS
        request = {"kms:EncryptionContextKeys": sorted(params["EncryptionContext"]),
                   "kms:ResourceAliases": aliases}  # fmt: skip
        assert allows(policy, "kms:Encrypt", arn, request)
        assert not allows(policy, "kms:Decrypt", arn, request)
        assert not allows(policy, "kms:GenerateDataKey", arn, request)
        # Not without the trade-in's context, nor with another key in it, nor another key.
        context = request["kms:EncryptionContextKeys"]
        for other in ([], [*context, "x"]):
            assert not allows(
                policy, "kms:Encrypt", arn, {**request, "kms:EncryptionContextKeys": other}
            )
        other_key = {**request, "kms:ResourceAliases": ["alias/x"]}
        assert not allows(policy, "kms:Encrypt", arn, other_key)


def test_the_kms_client_is_made_once_per_endpoint(kms):
    assert aws.kms_client(REGION) is kms
    assert aws.kms_client(REGION, "http://127.0.0.1:5000") is not kms


def _imports_cryptography(path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] in ("cryptography", "cffi") for name in names):
            return True
    return False


def test_nothing_in_the_function_imports_cryptography():
    files = [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]
    assert [f.relative_to(ROOT) for f in files if _imports_cryptography(f)] == []
    # ...and importing every trade-in module, and the app, leaves it unloaded.
    code = (
        "import importlib, pkgutil, sys, chalicelib.tradein as t;"
        "names = [m.name for m in pkgutil.walk_packages(t.__path__, 'chalicelib.tradein.')];"
        "[importlib.import_module(name) for name in names];"
        "import app;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cryptography', 'cffi')))"
    )  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"


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
