"""Log lines an operator can search: JSON, the request's ids, path and market, a code, a level."""

import json
import logging
from types import SimpleNamespace

import pytest

from chalicelib.kernel import logs
from chalicelib.kernel.settings import log_level
from tests import events
from tests.conftest import app_over
from tests.dynamodb_faults import answer_with

LAMBDA = SimpleNamespace(aws_request_id="8f1c0d1e-lambda")
API_GATEWAY_ID = events.load("product")["requestContext"]["requestId"]


@pytest.fixture
def log_lines(capsys):
    """The JSON lines logged so far in the test, parsed (each must be one JSON object)."""

    def read() -> list[dict]:
        out = capsys.readouterr().out
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    return read


@pytest.fixture
def app_at(monkeypatch):
    """An app over a table, built with LOG_LEVEL set as a stage would set it."""

    def build(table, level: str = "INFO"):
        monkeypatch.setenv("LOG_LEVEL", level)
        return app_over(table)

    yield build
    logs.configure("INFO")


def test_a_missing_table_is_one_error_line_with_its_code_path_and_market(
    moto_dynamodb, app_at, log_lines
):
    app = app_at(moto_dynamodb.Table("no-such-table"))
    event = events.load("product", market="it-it", query={"q": "mario.rossi@example.com"})
    assert app(event, LAMBDA)["statusCode"] == 503
    lines = log_lines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line["level"] == "ERROR" and line["code"] == "ResourceNotFoundException"
    assert line["kind"] == "configuration" and line["status"] == 503
    assert line["path"] == "/it-it/p/apple-iphone-13" and line["market"] == "it-it"
    assert line["method"] == "GET"
    assert line["request_id"] == API_GATEWAY_ID and line["aws_request_id"] == "8f1c0d1e-lambda"
    # Nothing a shopper sent beyond the path: no query, no headers, no address.
    assert "mario.rossi" not in json.dumps(line) and "203.0.113.7" not in json.dumps(line)


@pytest.mark.parametrize(
    "code, level, kind",
    [
        ("ProvisionedThroughputExceededException", "WARNING", "throttling"),
        ("ThrottlingException", "WARNING", "throttling"),
        ("AccessDeniedException", "ERROR", "configuration"),
        ("UnrecognizedClientException", "ERROR", "configuration"),
    ],
)
def test_throttling_warns_and_a_configuration_error_is_an_error(
    shop_table, app_at, log_lines, code, level, kind
):
    app = app_at(shop_table)
    with answer_with(shop_table, code):
        assert app(events.load("listing", market="sv-se"), LAMBDA)["statusCode"] == 503
    [line] = log_lines()
    assert (line["level"], line["code"], line["kind"]) == (level, code, kind)
    assert line["market"] == "sv-se" and line["path"] == "/sv-se/l/smartphones"


def test_a_server_error_of_dynamodb_is_an_error(shop_table, app_at, log_lines):
    app = app_at(shop_table)
    with answer_with(shop_table, "InternalServerError", status=500):
        assert app(events.load("home", market="fi-fi"), None)["statusCode"] == 503
    [line] = log_lines()
    assert (line["level"], line["code"], line["kind"]) == ("ERROR", "InternalServerError", "outage")
    assert "aws_request_id" not in line  # no Lambda context, no made-up id


def test_log_level_error_drops_throttling_warnings_but_not_errors(
    shop_table, moto_dynamodb, app_at, log_lines
):
    app = app_at(shop_table, "ERROR")
    with answer_with(shop_table, "ThrottlingException"):
        assert app(events.load("home"), None)["statusCode"] == 503
    assert log_lines() == []
    missing = app_at(moto_dynamodb.Table("no-such-table"), "ERROR")
    assert missing(events.load("home"), None)["statusCode"] == 503
    assert [line["code"] for line in log_lines()] == ["ResourceNotFoundException"]


def test_debug_logs_one_line_per_answer_and_info_none(shop_table, app_at, log_lines):
    assert app_at(shop_table, "INFO")(events.load("home"), None)["statusCode"] == 200
    assert log_lines() == []
    assert app_at(shop_table, "DEBUG")(events.load("home"), None)["statusCode"] == 200
    [line] = log_lines()
    assert line["level"] == "DEBUG" and line["status"] == 200 and line["path"] == "/fr-fr/"


def test_a_sitemap_failure_is_logged_like_a_page(moto_dynamodb, app_at, log_lines):
    app = app_at(moto_dynamodb.Table("no-such-table"))
    event = events.load("home", market="nl-be")
    event["path"] = event["requestContext"]["path"] = "/nl-be/sitemap.xml"
    event["resource"] = event["requestContext"]["resourcePath"] = "/{market}/sitemap.xml"
    response = app(event, LAMBDA)
    assert response["statusCode"] == 503 and response["headers"]["Retry-After"] == "30"
    [line] = log_lines()
    assert line["level"] == "ERROR" and line["code"] == "ResourceNotFoundException"
    assert line["path"] == "/nl-be/sitemap.xml" and line["market"] == "nl-be"


def test_a_line_is_one_json_object_whatever_it_quotes():
    record = logging.LogRecord(
        "chalicelib.x", logging.ERROR, __file__, 1, "bad \ud800 %s", ("\n",), None
    )
    token = logs.bind({"path": "/fr-fr/p/caf\udce9", "market": "fr-fr"})
    try:
        line = logs.JsonFormatter().format(record)
    finally:
        logs.unbind(token)
    assert "\n" not in line and line.isascii()
    parsed = json.loads(line)
    assert parsed["market"] == "fr-fr" and parsed["logger"] == "chalicelib.x"
    assert logs.request_fields() == {}  # unbound after the request


def test_an_exception_is_logged_with_its_trace_in_the_line():
    try:
        raise KeyError("x")
    except KeyError as error:
        record = logging.LogRecord(
            "chalicelib.x", 40, __file__, 1, "failed", (), (KeyError, error, error.__traceback__)
        )
    parsed = json.loads(logs.JsonFormatter().format(record))
    assert "Traceback" in parsed["exception"] and "KeyError" in parsed["exception"]


@pytest.mark.parametrize(
    "value, level",
    [(None, "INFO"), ("", "INFO"), ("debug", "DEBUG"), ("WARNING", "WARNING"), ("loud", "INFO")],
)
def test_log_level_is_read_from_the_environment(value, level):
    assert log_level({} if value is None else {"LOG_LEVEL": value}) == level


def test_the_stages_log_at_info_and_dev_at_debug():
    from tests.conftest import ROOT

    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    assert log_level(config["environment_variables"]) == "INFO"
    dev = {**config["environment_variables"], **config["stages"]["dev"]["environment_variables"]}
    assert log_level(dev) == "DEBUG"
