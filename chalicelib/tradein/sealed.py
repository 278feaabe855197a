"""Envelope encryption of a seller's payout and identity details: AES-256-GCM, data key from KMS.

Each seal asks KMS for one fresh data key (GenerateDataKey, bound to an encryption context
such as the market and the trade-in's reference), encrypts all fields with it, keeps only the
key's KMS-encrypted copy beside the box and drops the plaintext key. The context is also the
box's associated data, so a box moved to another trade-in does not open.

``Sealer.open`` is for the operator's payout command in tools/ only. The web function NEVER
calls it: its role has kms:GenerateDataKey and no kms:Decrypt, so a flaw in a page cannot read
back what sellers entered. Nothing here logs a field's value.

``cryptography`` is imported inside ``seal`` and ``open``: the storefront's pages import this
module through the trade-in package and must not pay for that import at cold start.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.kernel import aws

ALGORITHM = "AES256GCM"
NONCE_BYTES = 12
TAG_BYTES = 16
MASK = "••••"
# KMS's answers to a ciphertext that is not this context's or this key's: a broken seal, not an
# outage. Every other error (throttling, access denied) propagates as botocore's ClientError.
BROKEN_SEAL_CODES = frozenset({"InvalidCiphertextException", "IncorrectKeyException"})


class SealUnavailable(Exception):
    """KMS gave no data key (an outage, a missing key or grant): nothing can be sealed now."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SealBroken(Exception):
    """A sealed record that does not open: tampered, another context, or another key."""


def _canonical(values: Mapping[str, str]) -> bytes:
    return json.dumps(
        dict(values), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise SealBroken("not base64") from error


def _is_key_arn(key_id: str) -> bool:
    return key_id.startswith("arn:") and ":key/" in key_id


class Sealer:
    """Seals fields under a fresh KMS data key; opens them again (operator tools only)."""

    def __init__(self, kms_client: Callable[[], Any], key_id: Callable[[], str]) -> None:
        self.kms_client = kms_client
        self.key_id = key_id

    def seal(self, fields: Mapping[str, str], context: Mapping[str, str]) -> dict[str, str]:
        """DynamoDB attributes: the encrypted data key, its KMS key and the sealed box."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            answer = self.kms_client().generate_data_key(
                KeyId=self.key_id(), KeySpec="AES_256", EncryptionContext=dict(context)
            )
        except Exception as error:  # botocore's errors, without importing botocore here
            if type(error).__module__.startswith("botocore"):
                raise SealUnavailable(aws.failure_code(error)) from error
            raise
        data_key = answer.pop("Plaintext")
        nonce = os.urandom(NONCE_BYTES)
        box = nonce + AESGCM(data_key).encrypt(nonce, _canonical(fields), _canonical(context))
        # Used once, then dropped: no reference to the plaintext key outlives this call.
        del data_key
        return {
            "key": _b64(answer["CiphertextBlob"]),
            "alg": ALGORITHM,
            "kid": answer["KeyId"],
            "box": _b64(box),
        }

    def open(self, sealed: Mapping[str, str], context: Mapping[str, str]) -> dict[str, str]:
        """The fields a seal holds (one KMS Decrypt); SealBroken on any mismatch."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if sealed.get("alg") != ALGORITHM:
            raise SealBroken("unknown algorithm")
        expected_key, sealed_key = self.key_id(), sealed.get("kid")
        if _is_key_arn(expected_key) and sealed_key != expected_key:
            raise SealBroken("sealed under another KMS key")
        blob, box = _unb64(sealed.get("key")), _unb64(sealed.get("box"))
        if len(box) < NONCE_BYTES + TAG_BYTES:
            raise SealBroken("box too short")
        try:
            answer = self.kms_client().decrypt(
                CiphertextBlob=blob, KeyId=expected_key, EncryptionContext=dict(context)
            )
        except Exception as error:
            if aws.failure_code(error) in BROKEN_SEAL_CODES:
                raise SealBroken("KMS refused the data key") from None
            raise
        if answer.get("KeyId") != sealed_key:
            raise SealBroken("the recorded KMS key is not the one that made the data key")
        data_key = answer.pop("Plaintext")
        try:
            plain = AESGCM(data_key).decrypt(
                box[:NONCE_BYTES], box[NONCE_BYTES:], _canonical(context)
            )
        except InvalidTag:
            raise SealBroken("box does not match its key or context") from None
        finally:
            del data_key
        fields = json.loads(plain.decode("utf-8"))
        return {str(name): str(value) for name, value in fields.items()}


def last_four(text: str) -> str:
    """'•••• 1234' style mask: only the last 4 alphanumerics kept (used for display)."""
    kept = [c for c in text if c.isalnum()][-4:]
    return f"{MASK} {''.join(kept)}"
