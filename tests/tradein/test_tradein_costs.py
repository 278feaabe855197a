"""What each trade-in step costs in DynamoDB and KMS requests."""

from __future__ import annotations

from tests.conftest import REGION, RequestCounter
from tests.tradein.conftest import details
from tools import tradein as tool

DEVICE = "apple-iphone-13"


def counted(table, call, kms_client=None):
    counter = RequestCounter(table)
    kms_calls: list[str] = []
    hook = lambda model, **_: kms_calls.append(model.name)  # noqa: E731
    if kms_client is not None:
        kms_client.meta.events.register("before-call.kms", hook)
    try:
        response = call()
    finally:
        counter.close()
        if kms_client is not None:
            kms_client.meta.events.unregister("before-call.kms", hook)
    return response, counter.calls, kms_calls


def test_each_step_costs_at_most_its_budget(seller, tradein_table):
    from chalicelib.kernel import aws

    kms = aws.kms_client(REGION, None)  # the app's own client: made once per process
    every_kms_call: list[str] = []
    hook = lambda model, **_: every_kms_call.append(model.name)  # noqa: E731
    kms.meta.events.register("before-call.kms", hook)
    try:
        walk(seller, tradein_table, kms)
    finally:
        kms.meta.events.unregister("before-call.kms", hook)
    # No page ever asks KMS to decrypt: the function's role may not (docs/tradein.md).
    assert every_kms_call == ["Encrypt", "Encrypt"]


def walk(seller, tradein_table, kms) -> None:
    """Every step of a trade-in in en-gb, each checked against its budget."""
    get = lambda path: lambda: seller.get(path)  # noqa: E731
    response, calls, _ = counted(tradein_table, get("/en-gb/trade-in"))
    assert response.status_code == 200 and calls == ["GetItem"]
    response, calls, _ = counted(tradein_table, get(f"/en-gb/trade-in/d/{DEVICE}"))
    assert response.status_code == 200 and calls == ["GetItem"]
    answers = seller.answers("en-gb", DEVICE)
    response, calls, _ = counted(
        tradein_table, lambda: seller.post("/en-gb/trade-in/quote", {"device": DEVICE, **answers})
    )
    assert response.status_code == 303 and calls == ["GetItem", "PutItem"]
    reference = response.headers["Location"].rsplit("/", 1)[1]
    response, calls, _ = counted(tradein_table, get(f"/en-gb/trade-in/q/{reference}"))
    assert response.status_code == 200 and calls == ["GetItem"]
    response, calls, _ = counted(tradein_table, get(f"/en-gb/trade-in/q/{reference}/accept"))
    assert response.status_code == 200 and calls == ["GetItem"]
    path = f"/en-gb/trade-in/q/{reference}/accept"
    response, calls, kms_calls = counted(
        tradein_table, lambda: seller.post(path, details("en-gb")), kms
    )
    assert response.status_code == 303 and calls == ["GetItem", "UpdateItem"]
    assert kms_calls == ["Encrypt", "Encrypt"]  # identity, payout
    response, calls, _ = counted(tradein_table, get("/en-gb/cart"))
    assert response.status_code == 200 and calls == ["GetItem"]  # no cart yet: the credit only

    for state, extra in (("received", []), ("countered", ["--price", "100", "--reason", "liquid"])):
        args = tool.parser().parse_args(["--table", "t", reference, "en-gb", state, *extra])
        _, calls, _ = counted(tradein_table, lambda args=args: tool.run(args, table=tradein_table))
        assert calls == ["GetItem", "UpdateItem"]
    seller.get(f"/en-gb/trade-in/q/{reference}")
    response, calls, _ = counted(
        tradein_table,
        lambda: seller.post(f"/en-gb/trade-in/q/{reference}/counter", {"decision": "accept"}),
    )
    assert response.status_code == 303 and calls == ["GetItem", "UpdateItem"]
