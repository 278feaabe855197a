"""The signing secret's sources (moto's SSM and Secrets Manager) and the password hashes."""

from __future__ import annotations

import time

import boto3
import pytest

from chalicelib.admin import passwords
from chalicelib.admin.secret import SecretMissing, Signer, read_secret
from chalicelib.kernel.settings import Settings

VALUE = "s" * 48


def test_the_secret_comes_from_ssm_parameter_store(moto_dynamodb):
    ssm = boto3.client("ssm", region_name="eu-west-3")
    ssm.put_parameter(Name="/storefront/eu/admin/signing-secret", Value=VALUE, Type="SecureString")
    settings = Settings.from_env(
        {"STAGE": "eu", "ADMIN_SIGNING_SECRET_PARAMETER": "/storefront/eu/admin/signing-secret"}
    )
    assert (
        read_secret(settings, lambda service: boto3.client(service, region_name="eu-west-3"))
        == VALUE.encode()
    )


def test_the_secret_comes_from_secrets_manager(moto_dynamodb):
    manager = boto3.client("secretsmanager", region_name="eu-west-3")
    manager.create_secret(Name="storefront/eu/admin", SecretString=VALUE)
    settings = Settings.from_env({"STAGE": "eu", "ADMIN_SIGNING_SECRET_ID": "storefront/eu/admin"})
    assert (
        read_secret(settings, lambda service: boto3.client(service, region_name="eu-west-3"))
        == VALUE.encode()
    )


@pytest.mark.parametrize("env", [{}, {"ADMIN_SIGNING_SECRET": "short"}])
def test_without_a_real_secret_the_admin_refuses_to_sign(env):
    with pytest.raises(SecretMissing):
        Signer(lambda: Settings.from_env(env)).sign("csrf", "x")


def test_tokens_are_bound_to_their_purpose_and_value():
    signer = Signer(lambda: Settings.from_env({"ADMIN_SIGNING_SECRET": VALUE}))
    token = signer.sign("csrf", "session-a")
    assert signer.check("csrf", "session-a", token)
    assert not signer.check("csrf", "session-b", token)
    assert not signer.check("login", "session-a", token)
    assert not signer.check("csrf", "session-a", "")


def test_passwords_are_slow_salted_scrypt_hashes_with_their_parameters():
    started = time.perf_counter()
    stored = passwords.hash_password("correct horse battery staple")
    spent = time.perf_counter() - started
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**15, 8, 1)
    assert passwords.DEFAULT_COST.memory_bytes == 32 * 1024 * 1024
    assert spent > 0.01  # slow on purpose (docs/admin.md has the measured figure)
    assert passwords.hash_password("correct horse battery staple") != stored  # salted
    assert passwords.verify("correct horse battery staple", stored)
    assert not passwords.verify("correct horse battery stapl", stored)
    assert not passwords.needs_rehash(stored)
    assert passwords.needs_rehash(passwords.hash_password("x" * 12, passwords.Cost(n=2**8)))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "short"),
        ("x" * 129, "long"),
        ("password1234", "common"),
        ("aaaaaaaaaaaaaaa", "common"),
        ("editor@example.com-2026", "common"),
        ("a perfectly fine phrase", None),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    assert passwords.weakness(password, "editor@example.com") == reason
