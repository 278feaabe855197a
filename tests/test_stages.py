"""Stages: one file of regions, the markets each serves, and what a stage does with others."""

import json
from pathlib import Path

import pytest

from chalicelib import stages
from chalicelib.i18n import translations_for
from chalicelib.markets import MARKETS
from tests.conftest import body, stage_client

CONFIG = json.loads(
    (Path(__file__).resolve().parent.parent / ".chalice" / "config.json").read_text()
)


def test_every_market_belongs_to_a_deployed_stage():
    assert {m.stage for m in MARKETS.values()} == set(stages.all_stages()) - {"dev"}
    assert stages.get("eu").region == "eu-west-3"
    assert stages.get("us").region == "us-east-1"
    assert stages.get("ap").region == "ap-northeast-1"


@pytest.mark.parametrize("name", ["dev", "eu", "us", "ap"])
def test_chalice_config_matches_the_stage_file(name):
    env = CONFIG["stages"][name]["environment_variables"]
    stage = stages.get(name)
    assert env["STAGE"] == name
    assert env["TABLE_NAME"] == stage.table
    assert env["MARKETS"].split(",") == list(stage.markets)
    policy = json.loads((Path(".chalice") / CONFIG["stages"][name]["iam_policy_file"]).read_text())
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert actions == {"dynamodb:GetItem", "dynamodb:Query"} | {
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }


def test_an_unknown_stage_is_an_error(monkeypatch):
    with pytest.raises(stages.UnknownStage, match="unknown stage 'moon'"):
        stages.get("moon")
    monkeypatch.setenv("STAGE", "moon")
    with pytest.raises(stages.UnknownStage):
        stages.current()


def test_a_market_of_another_stage_links_to_it(shop_table):
    with stage_client(shop_table, "eu") as client:  # the eu stage's environment
        response = client.http.get("/ja-jp/p/apple-iphone-13?grade=good")
        home = client.http.get("/fr-fr/")
    page = body(response)
    assert response.status_code == 404
    assert '<html lang="ja-JP">' in page
    title = translations_for(MARKETS["ja-jp"].catalog_chain).gettext(
        "This shop is served from another address"
    )
    assert title in page
    assert 'href="https://ap.recircle.example/ja-jp/p/apple-iphone-13"' in page
    assert home.status_code == 200
