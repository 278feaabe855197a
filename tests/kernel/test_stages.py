"""Stages: one file of regions, the markets each serves, and what a stage does with others."""

import json
from pathlib import Path

import pytest
from markupsafe import escape

from chalicelib.i18n.names import country_name
from chalicelib.i18n.negotiation import LANGUAGE_HOMES
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


def stand_in(stage: str, code: str):
    """The market of the stage that speaks for another stage's market: same language, or English."""
    served = [m for m in MARKETS.values() if m.stage == stage]
    for language in (MARKETS[code].language, "en"):
        home = LANGUAGE_HOMES.get(language)
        found = [m for m in served if m.code == home] or [
            m for m in served if m.language == language
        ]
        if found:
            return found[0]
    return served[0]


@pytest.mark.parametrize(("stage", "code"), FOREIGN)
def test_a_market_of_another_stage_links_to_it_in_a_language_of_this_stage(shop_table, stage, code):
    other = MARKETS[code]
    with stage_client(shop_table, stage) as client:
        response = client.http.get(f"/{code}/p/apple-iphone-13?grade=good")
        refused = client.http.post(f"/{code}/", body=b"")
    page = body(response)
    assert response.status_code == 404
    # The address alone decides the answer (CloudFront forwards no Accept-Language there), so
    # it stays publicly cacheable for a short while.
    assert response.headers["Cache-Control"].startswith("public")
    assert "Accept-Language" not in response.headers.get("Vary", "")
    # The page speaks a market of this stage, whose data the stage holds...
    speaker = stand_in(stage, code)
    assert f'<html lang="{speaker.html_lang}">' in page
    title = translations_for(speaker.translation_chain).gettext(
        "This shop is served from another address"
    )
    assert escape(title) in page
    # ...and invites the shopper to the other shop in that shop's own language.
    offer = translations_for(other.translation_chain).gettext("Go to our shop for %(country)s")
    invitation = offer % {"country": country_name(code)}
    public = stages.get(other.stage).public_url
    link = f'href="{public}/{code}/p/apple-iphone-13" hreflang="{other.html_lang}"'
    assert f'{link} lang="{other.html_lang}">{escape(invitation)}</a>' in page
    # A method the route does not take is refused in the same stand-in's language.
    assert refused.status_code == 405
    assert f'<html lang="{speaker.html_lang}">' in body(refused)


def test_the_root_sends_a_visitor_to_their_market_on_its_own_stage(shop_table):
    japanese = {"accept-language": "ja-JP,ja;q=0.9"}
    with stage_client(shop_table, "eu") as client:
        away = client.http.get("/", headers=japanese)
        french = client.http.get("/", headers={"accept-language": "fr-FR,fr"})
        picker = client.http.get("/?choose=1", headers={"accept-language": "ja,fr;q=0.9"})
    assert away.status_code == 302
    assert away.headers["Location"] == f"{stages.get('ap').public_url}/ja-jp/"
    assert french.status_code == 302 and french.headers["Location"].endswith("/fr-fr/")
    # The picker speaks the first of the visitor's languages that the stage has.
    assert '<html lang="fr-FR">' in body(picker)


def test_a_foreign_market_without_a_language_of_this_stage_gets_its_english(shop_table):
    with stage_client(shop_table, "ap") as client:
        response = client.http.get("/fr-fr/", headers={"accept-language": "fr-FR,fr;q=0.9"})
        home = client.http.get("/ja-jp/")
    assert response.status_code == 404
    assert '<html lang="en-AU">' in body(response)
    assert 'hreflang="fr-FR" lang="fr-FR">Voir notre boutique pour la France</a>' in body(response)
    assert home.status_code == 200
