"""Every deployed function names its https origin and its cursor key; infra/check.py insists."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import boto3
import pytest

from chalicelib.kernel import stages
from tools import deploy, stage_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = [name for name in stages.all_stages() if name != "dev"]
FUNCTIONS = [name for name in stage_config.deployments() if name != "dev"]


@pytest.fixture(scope="module")
def check():
    """infra/check.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("infra_check", ROOT / "infra" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def config() -> dict:
    return json.loads((ROOT / ".chalice" / "config.json").read_text())


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_deployed_function_is_generated_with_its_stage_address_and_cursor_key(config, name):
    env = config["stages"][name]["environment_variables"]
    stage = stages.get(env["STAGE"])
    assert env["PUBLIC_BASE_URL"] == stage.public_url and stage.public_url.startswith("https://")
    reference = "{{resolve:ssm:" + stage_config.cursor_parameter(stage) + "}}"
    assert env["CURSOR_SIGNING_SECRET"] == reference


def test_dev_keeps_what_was_written_by_hand(config):
    item = stage_config.deployment("dev")
    env = stage_config.environment(item, {"PUBLIC_BASE_URL": "http://127.0.0.1:9000"})
    assert env["PUBLIC_BASE_URL"] == "http://127.0.0.1:9000"
    assert "CURSOR_SIGNING_SECRET" not in config["stages"]["dev"]["environment_variables"]


def test_the_committed_config_passes(check, config):
    assert check.check_policies(config) == []


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize(
    "value",
    [None, "", "http://eu.recircle.example", "https://", "eu.recircle.example", "https://x/?a=1"],
)
def test_a_deployed_function_without_an_https_public_base_url_fails(check, config, name, value):
    broken = copy.deepcopy(config)
    env = broken["stages"][name]["environment_variables"]
    env.pop("PUBLIC_BASE_URL") if value is None else env.update(PUBLIC_BASE_URL=value)
    problems = check.check_policies(broken)
    assert any(f"{name} needs an https PUBLIC_BASE_URL" in p for p in problems), problems


def test_another_https_address_than_the_stage_says_fails(check, config):
    broken = copy.deepcopy(config)
    broken["stages"]["us"]["environment_variables"]["PUBLIC_BASE_URL"] = "https://x.example"
    assert any("not stages.json's us" in p for p in check.check_policies(broken))


def test_a_literal_cursor_secret_fails(check, config):
    broken = copy.deepcopy(config)
    broken["stages"]["eu"]["environment_variables"]["CURSOR_SIGNING_SECRET"] = "hunter2" * 8
    broken["stages"]["dev"]["environment_variables"]["CURSOR_SIGNING_SECRET"] = "hunter2" * 8
    problems = check.check_policies(broken)
    assert any("eu CURSOR_SIGNING_SECRET" in p for p in problems)
    assert any("dev CURSOR_SIGNING_SECRET is a secret" in p for p in problems)


def test_deploy_creates_the_cursor_key_once_and_keeps_it(moto_dynamodb):
    stage = stages.get("eu")
    session = boto3.Session(region_name=stage.region)
    assert deploy.ensure_cursor_secret(session, stage) is True
    ssm = session.client("ssm")
    name = stage_config.cursor_parameter(stage)
    first = ssm.get_parameter(Name=name)["Parameter"]
    assert first["Type"] == "String" and len(first["Value"]) >= 43
    assert deploy.ensure_cursor_secret(session, stage) is False
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == first["Value"]
