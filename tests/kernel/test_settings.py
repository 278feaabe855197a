"""Settings come from the environment at the moment they are asked for, never at import."""

import pytest

from chalicelib.kernel import stages
from chalicelib.kernel.settings import Settings


def test_settings_follow_the_environment_of_each_call(monkeypatch):
    monkeypatch.setenv("STAGE", "us")
    monkeypatch.delenv("TABLE_NAME", raising=False)
    first = Settings.from_env()
    assert first.stage == stages.get("us") and first.table_name == "storefront"
    assert first.served_markets == {"en-us"}
    monkeypatch.setenv("STAGE", "ap")
    monkeypatch.setenv("TABLE_NAME", "storefront-load-test")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:5000")
    second = Settings.from_env()
    assert second.served_markets == {"ja-jp", "en-au"}
    assert second.table_name == "storefront-load-test"
    assert second.dynamodb_endpoint == "http://127.0.0.1:5000"


@pytest.mark.parametrize(
    "stage, url, origin, prefix",
    [
        ("eu", "", "https://eu.recircle.example", None),  # the stage's public_url
        ("dev", "", "http://127.0.0.1:8000", None),  # make run's address, never a header's
        ("dev", "eu.recircle.example", "http://127.0.0.1:8000", None),  # not a URL
        ("eu", "https://www.recircle.example", "https://www.recircle.example", ""),
        ("eu", "https://www.recircle.example/shop/", "https://www.recircle.example", "/shop"),
    ],
)
def test_the_public_address_splits_into_origin_and_prefix(stage, url, origin, prefix):
    settings = Settings.from_env({"STAGE": stage, "PUBLIC_BASE_URL": url})
    assert settings.public_origin == origin and settings.public_prefix == prefix


def test_cursor_keys_differ_by_stage_and_secret_and_ignore_unresolved_references():
    keys = {
        Settings.from_env({"STAGE": "eu"}).cursor_key,
        Settings.from_env({"STAGE": "us"}).cursor_key,
        Settings.from_env({"STAGE": "eu", "CURSOR_SIGNING_SECRET": "s" * 43}).cursor_key,
    }
    assert len(keys) == 3 and all(len(k) == 32 for k in keys)
    unresolved = {"STAGE": "eu", "CURSOR_SIGNING_SECRET": "{{resolve:ssm:/storefront/eu/x}}"}
    assert Settings.from_env(unresolved).cursor_key == Settings.from_env({"STAGE": "eu"}).cursor_key


def test_an_unknown_stage_is_refused():
    with pytest.raises(stages.UnknownStage):
        Settings.from_env({"STAGE": "moon"})
