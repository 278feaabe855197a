"""Stages: one file of regions, the markets each serves, and what a stage does with others."""

import json
from pathlib import Path

import pytest
from markupsafe import escape

from chalicelib.i18n.names import country_name
from chalicelib.i18n.translations import translations_for
from chalicelib.kernel import stages
from chalicelib.kernel.markets import MARKETS
from chalicelib.kernel.settings import Settings
from tests.conftest import body, stage_client
from tools import stage_config

CONFIG = json.loads((Path(__file__).resolve().parents[2] / ".chalice" / "config.json").read_text())


def test_every_market_belongs_to_a_deployed_stage():
    assert {m.stage for m in MARKETS.values()} == set(stages.all_stages()) - {"dev"}
    assert stages.get("eu").region == "eu-west-3"
    assert stages.get("us").region == "us-east-1"
    assert stages.get("ap").region == "ap-northeast-1"


def test_the_chalice_config_is_generated_from_the_stages(capsys):
    assert stage_config.main(["check"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("name", ["dev", "eu", "us", "ap"])
def test_each_stage_environment_serves_its_markets_from_its_table(name):
    settings = Settings.from_env(CONFIG["stages"][name]["environment_variables"])
    stage = stages.get(name)
    assert settings.stage == stage and settings.table_name == stage.table
    expected = set(MARKETS) if name == "dev" else {c for c, m in MARKETS.items() if m.stage == name}
    assert settings.served_markets == expected
    policy = json.loads((Path(".chalice") / CONFIG["stages"][name]["iam_policy_file"]).read_text())
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    reads = {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}
    logs = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}
    carts = {"dynamodb:PutItem"}  # of cart items only (tests/tools/test_cart_policy.py)
    # Where a market trades in: its items are moved, and its KMS key only encrypts.
    tradein = {"dynamodb:UpdateItem", "kms:Encrypt"}
    if not any(MARKETS[code].trade_in for code in expected):
        tradein = set()
    if name == "dev":  # one local function serves the editor too (tests/tools/test_admin_*)
        assert reads | logs | carts | tradein <= actions
    else:  # the shoppers' function: reads, carts, trade-ins (the editor has its own role)
        assert actions == reads | logs | carts | tradein
    tables = policy["Statement"][0]["Resource"]
    assert tables == [
        f"arn:aws:dynamodb:{stage.region}:*:table/{stage.table}",
        f"arn:aws:dynamodb:{stage.region}:*:table/{stage.table}/index/*",
    ]


def test_an_unknown_stage_is_an_error(monkeypatch):
    with pytest.raises(stages.UnknownStage, match="unknown stage 'moon'"):
        stages.get("moon")
    monkeypatch.setenv("STAGE", "moon")
    with pytest.raises(stages.UnknownStage):
        Settings.from_env()


FOREIGN = [
    (stage, code)
    for stage in ("eu", "us", "ap")
    for code, market in MARKETS.items()
    if market.stage != stage
]


@pytest.mark.parametrize(("stage", "code"), FOREIGN)
def test_a_market_of_another_stage_links_to_it_in_a_language_of_this_stage(shop_table, stage, code):
    other = MARKETS[code]
    served = [m for m in MARKETS.values() if m.stage == stage]
    visitor = served[-1]  # a shopper whose browser asks for one of this stage's languages
    headers = {"accept-language": f"{visitor.html_lang},{visitor.language};q=0.8"}
    with stage_client(shop_table, stage) as client:
        response = client.http.get(f"/{code}/p/apple-iphone-13?grade=good", headers=headers)
    page = body(response)
    assert response.status_code == 404
    assert response.headers["Vary"] == "Accept-Language, CloudFront-Viewer-Country"
    # The page speaks the visitor's language, which this stage holds the data of...
    assert f'<html lang="{visitor.html_lang}">' in page
    title = translations_for(visitor.translation_chain).gettext(
        "This shop is served from another address"
    )
    assert escape(title) in page
    # ...and invites them to the other shop in that shop's own language.
    offer = translations_for(other.translation_chain).gettext("Go to our shop for %(country)s")
    invitation = offer % {"country": country_name(code)}
    public = stages.get(other.stage).public_url
    link = f'href="{public}/{code}/p/apple-iphone-13" hreflang="{other.html_lang}"'
    assert f'{link} lang="{other.html_lang}">{escape(invitation)}</a>' in page


def test_a_foreign_market_without_a_language_of_this_stage_gets_its_english(shop_table):
    with stage_client(shop_table, "ap") as client:
        response = client.http.get("/fr-fr/", headers={"accept-language": "fr-FR,fr;q=0.9"})
        home = client.http.get("/ja-jp/")
    assert response.status_code == 404
    assert '<html lang="en-AU">' in body(response)
    assert 'hreflang="fr-FR" lang="fr-FR">Voir notre boutique pour la France</a>' in body(response)
    assert home.status_code == 200
