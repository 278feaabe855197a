"""Sealing a seller's payout and identity details: one KMS Encrypt each, bound to a context.

Each seal sends the fields' canonical JSON to KMS Encrypt under the stage's trade-in key, with
an encryption context (the market, the trade-in's digest and the part) that KMS binds to the
ciphertext: a blob moved to another trade-in, market or part does not decrypt. KMS takes at
most 4,096 bytes of plaintext. The acceptance form's limits keep each part well under that
(tests/tradein/test_sealed_size.py measures the largest form each market accepts), and
``seal`` refuses anything larger before it calls KMS.

``Sealer.open`` is for the operator's payout command in tools/ only. The web function NEVER
calls it: its role has kms:Encrypt and no kms:Decrypt, so a flaw in a page cannot read back
what sellers entered. Nothing here logs a field's value.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.kernel import aws

# Format 2: one KMS Encrypt per seal (issue 13). Format 1 (issue 12) was AES-256-GCM under a
# GenerateDataKey data key; `open` refuses it (docs/tradein.md).
FORMAT = "2"
ALGORITHM = "KMS"
MAX_PLAINTEXT_BYTES = 4096  # KMS Encrypt's limit
MASK = "••••"
# KMS's answers to a ciphertext that is not this context's or this key's: a broken seal, not an
# outage. Every other error (throttling, access denied) propagates as botocore's ClientError.
BROKEN_SEAL_CODES = frozenset({"InvalidCiphertextException", "IncorrectKeyException"})


class SealUnavailable(Exception):
    """KMS did not encrypt (an outage, a missing key or grant): nothing can be sealed now."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SealTooLarge(ValueError):
    """Fields whose JSON exceeds what one KMS Encrypt takes: a form limit is missing."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes to seal; KMS Encrypt takes at most {MAX_PLAINTEXT_BYTES}")
        self.size = size


class SealBroken(Exception):
    """A sealed record that does not open: tampered, another context, or another key."""


def canonical(values: Mapping[str, str]) -> bytes:
    """The fields as they are sealed: sorted, compact, UTF-8 JSON."""
    return json.dumps(
        dict(values), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def _unb64(text: Any) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise SealBroken("not base64") from error


def _is_key_arn(key_id: str) -> bool:
    return key_id.startswith("arn:") and ":key/" in key_id


class Sealer:
    """Seals fields with the stage's KMS key; opens them again (operator tools only)."""

    def __init__(self, kms_client: Callable[[], Any], key_id: Callable[[], str]) -> None:
        self.kms_client = kms_client
        self.key_id = key_id

    def seal(self, fields: Mapping[str, str], context: Mapping[str, str]) -> dict[str, str]:
        """DynamoDB attributes: the format, the KMS key and the ciphertext (one KMS Encrypt)."""
        plaintext = canonical(fields)
        if len(plaintext) > MAX_PLAINTEXT_BYTES:
            raise SealTooLarge(len(plaintext))
        try:
            answer = self.kms_client().encrypt(
                KeyId=self.key_id(), Plaintext=plaintext, EncryptionContext=dict(context)
            )
        except Exception as error:  # botocore's errors, without importing botocore here
            if type(error).__module__.startswith("botocore"):
                raise SealUnavailable(aws.failure_code(error)) from error
            raise
        return {
            "v": FORMAT,
            "alg": ALGORITHM,
            "kid": answer["KeyId"],
            "blob": base64.b64encode(answer["CiphertextBlob"]).decode("ascii"),
        }

    def open(self, sealed: Mapping[str, str], context: Mapping[str, str]) -> dict[str, str]:
        """The fields a seal holds (one KMS Decrypt); SealBroken on any mismatch."""
        if sealed.get("v") != FORMAT or sealed.get("alg") != ALGORITHM:
            raise SealBroken("unknown format")
        expected_key, sealed_key = self.key_id(), sealed.get("kid")
        if _is_key_arn(expected_key) and sealed_key != expected_key:
            raise SealBroken("sealed under another KMS key")
        blob = _unb64(sealed.get("blob"))
        if not blob:
            raise SealBroken("no ciphertext")
        try:
            answer = self.kms_client().decrypt(
                CiphertextBlob=blob, KeyId=expected_key, EncryptionContext=dict(context)
            )
        except Exception as error:
            if aws.failure_code(error) in BROKEN_SEAL_CODES:
                raise SealBroken("KMS refused the ciphertext") from None
            raise
        if answer.get("KeyId") != sealed_key:
            raise SealBroken("the recorded KMS key is not the one that sealed")
        fields = json.loads(answer.pop("Plaintext").decode("utf-8"))
        return {str(name): str(value) for name, value in fields.items()}


def last_four(text: str) -> str:
    """'•••• 1234' style mask: only the last 4 alphanumerics kept (used for display)."""
    kept = [c for c in text if c.isalnum()][-4:]
    return f"{MASK} {''.join(kept)}"
