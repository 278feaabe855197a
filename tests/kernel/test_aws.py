"""DynamoDB clients fail inside the function's budget: a hung or throttled table is the 503 page."""

import json
import logging
import time

import pytest

from chalicelib.kernel import aws
from tests.conftest import ROOT, body, stage_client
from tests.dynamodb_faults import answer_with, silent_endpoint, translated


@pytest.fixture(autouse=True)
def _moto(moto_dynamodb):
    """The pages' admin table is moto's, also when this module runs alone."""


BREAK = "The shop is taking a short break"


def lambda_timeout() -> float:
    return json.loads((ROOT / ".chalice" / "config.json").read_text())["lambda_timeout"]


def test_a_page_fails_within_half_the_function_timeout():
    budget = aws.PAGE_BUDGET
    # 2 attempts x (1 s connect + 1 s read) + at most 1 s of backoff before the retry.
    assert budget.worst_case_seconds == 5.0
    assert budget.worst_case_seconds <= lambda_timeout() / 2
    config = budget.config()
    assert (config.connect_timeout, config.read_timeout) == (1.0, 1.0)
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}


def test_a_load_rides_out_throttling_but_not_forever():
    assert aws.LOAD_BUDGET.attempts > aws.PAGE_BUDGET.attempts
    assert aws.LOAD_BUDGET.worst_case_seconds < 600


def test_a_dynamodb_that_never_answers_is_the_503_page_inside_the_budget():
    with silent_endpoint() as (endpoint, connections):
        table = aws.dynamodb_table("storefront-silent", endpoint_url=endpoint)
        with stage_client(table, stage="eu") as client:
            started = time.monotonic()
            response = client.http.get("/de-de/p/apple-iphone-13")
            elapsed = time.monotonic() - started
        tried = len(connections)
    page = body(response)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    assert translated("de-de", BREAK) in page and '<html lang="de-DE">' in page
    assert "Traceback" not in page and "Timeout" not in page
    assert tried == aws.PAGE_BUDGET.attempts
    assert elapsed < aws.PAGE_BUDGET.worst_case_seconds


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_a_throttled_table_is_the_503_page_after_one_short_retry(code):
    table = aws.dynamodb_table("storefront-throttled", endpoint_url="http://127.0.0.1:9")
    # A hint of 5 s more that newer botocore would honour: a page does not wait for it.
    with (
        answer_with(table, code, x_amz_retry_after="5000") as fault,
        stage_client(table, stage="eu") as client,
    ):
        started = time.monotonic()
        response = client.http.get("/es-es/l/smartphones")
        elapsed = time.monotonic() - started
    page = body(response)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert translated("es-es", BREAK) in page and '<html lang="es-ES">' in page
    assert len(fault.attempts) == aws.PAGE_BUDGET.attempts
    # The one backoff is a random part of 1 s; the hint would have made it 5 s.
    assert fault.attempts[1] - fault.attempts[0] <= aws.THROTTLING_BACKOFF_SECONDS + 0.2
    assert elapsed < aws.PAGE_BUDGET.worst_case_seconds


def test_each_budget_has_its_own_client_kept_for_the_process():
    hinted = aws.dynamodb_table("storefront-hinted", endpoint_url="http://127.0.0.1:9")
    loader = aws.dynamodb_table(
        "storefront-hinted", endpoint_url="http://127.0.0.1:9", budget=aws.LOAD_BUDGET
    )
    assert hinted is not loader  # one client per budget, each kept for the process
    assert aws.dynamodb_table("storefront-hinted", endpoint_url="http://127.0.0.1:9") is hinted


@pytest.mark.parametrize(
    "code, kind, level",
    [
        ("ResourceNotFoundException", "configuration", logging.ERROR),
        ("AccessDeniedException", "configuration", logging.ERROR),
        ("UnrecognizedClientException", "configuration", logging.ERROR),
        ("ProvisionedThroughputExceededException", "throttling", logging.WARNING),
        ("ThrottlingException", "throttling", logging.WARNING),
        ("RequestLimitExceeded", "throttling", logging.WARNING),
        ("InternalServerError", "outage", logging.ERROR),
        ("ReadTimeoutError", "outage", logging.ERROR),
    ],
)
def test_failures_are_classified_for_the_logs(code, kind, level):
    assert aws.failure_kind(code) == kind and aws.failure_level(code) == level


def test_a_failure_code_comes_from_the_answer_or_the_exception():
    class ClientSide(Exception):
        pass

    answered = Exception()
    answered.response = {"Error": {"Code": "AccessDeniedException"}}  # type: ignore[attr-defined]
    assert aws.failure_code(answered) == "AccessDeniedException"
    assert aws.failure_code(ClientSide()) == "ClientSide"
