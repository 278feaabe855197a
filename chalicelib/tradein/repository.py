"""Trade-ins in the storefront table: one item per reference and market, moved by conditions."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from chalicelib.catalog.calls import call
from chalicelib.catalog.keys import TTL_ATTRIBUTE
from chalicelib.kernel.money import Money
from chalicelib.tradein import terms
from chalicelib.tradein.model import (
    ACCEPTED,
    COUNTERED,
    ENDED,
    MOVES,
    PAID,
    QUOTED,
    Counter,
    Offer,
    TradeIn,
)

PREFIX = "TRADEIN#"  # the shoppers' function writes no other items (its IAM policy says so)
DAY = 86400
IN_PROGRESS_DAYS = 90  # a trade-in between its arrival and its end is kept at least this long


class MoveRefused(Exception):
    """The trade-in is not in a state that allows this move (or the quote has expired)."""


def tradein_key(digest: str, market: str) -> dict[str, str]:
    """The key of a trade-in: its reference's hash, then its market."""
    return {"PK": f"{PREFIX}{digest}", "SK": f"M#{market}"}


class TradeInRepository:
    """Reads and writes trade-ins; every change is a conditional write on the current state."""

    def __init__(self, table: Any, clock: Callable[[], float]) -> None:
        self.table = table
        self.clock = clock

    def create(self, tradein: TradeIn) -> None:
        """Save a new quote (or an honest no); its TTL is its validity."""
        item = {
            **tradein_key(tradein.digest, tradein.market),
            "market": tradein.market,
            "device": tradein.device,
            "title": tradein.title,
            "storage": tradein.storage_gb,
            "answers": json.dumps(tradein.answers, separators=(",", ":"), sort_keys=True),
            "tier": tradein.tier,
            "refusal": tradein.refusal,
            "offer": _offer(tradein.offer),
            "status": tradein.status,
            "created_at": tradein.created_at,
            "valid_until": tradein.valid_until,
            "updated_at": tradein.created_at,
            "history": [{"s": tradein.status, "at": tradein.created_at}],
            TTL_ATTRIBUTE: tradein.valid_until,
        }
        call(self.table, "put_item", MoveRefused, Item=item,
             ConditionExpression="attribute_not_exists(PK)")  # fmt: skip

    def get(self, digest: str, market: str) -> TradeIn | None:
        """The trade-in of this market, or None (none, another market's, or past its TTL)."""
        found = call(
            self.table, "get_item", Key=tradein_key(digest, market), ConsistentRead=True
        ).get("Item")
        if found is None or int(found.get(TTL_ATTRIBUTE, 0)) <= self.clock():
            return None  # TTL deletes within days, not at once
        return _decode(digest, found)

    def accept(
        self,
        tradein: TradeIn,
        sealed: Mapping[str, Mapping[str, str]],
        shown: Mapping[str, str],
    ) -> None:
        """Accept a valid quote with the seller's details, sealed; MoveRefused otherwise."""
        now = int(self.clock())
        ship_by = now + terms.TERMS[tradein.market].ship_days * DAY
        self._update(
            tradein,
            QUOTED,
            ACCEPTED,
            now,
            "SET accepted_at = :now, ship_by = :ship, #identity = :identity, #payout = :payout, "
            "#shown = :shown",
            {":now": now, ":ship": ship_by, ":identity": dict(sealed["identity"]),
             ":payout": dict(sealed["payout"]), ":shown": dict(shown),
             ":ttl": ship_by + IN_PROGRESS_DAYS * DAY},
            extra_condition=" AND valid_until > :now",
        )  # fmt: skip

    def move(self, tradein: TradeIn, to: str, counter: Counter | None = None) -> None:
        """Move to a next state (the refurbisher's check, the shopper's answer to a counter)."""
        if to not in MOVES.get(tradein.status, ()):
            raise MoveRefused()
        now = int(self.clock())
        values: dict[str, Any] = {":now": now}
        expression = ""
        if to == COUNTERED:
            if counter is None:
                raise ValueError("a counter-offer needs its price and reasons")
            expression = "SET #counter = :counter"
            values[":counter"] = json.dumps(
                {"p": counter.price.amount, "r": list(counter.reasons)}, separators=(",", ":")
            )
        if to in ENDED:
            keep = (
                terms.TERMS[tradein.market].retention_days
                if to == PAID
                else (terms.UNBOUGHT_RETENTION_DAYS)
            )
            values[":ttl"] = now + keep * DAY
            expression += " REMOVE #payout"  # the account is needed only until the money is sent
        else:
            values[":ttl"] = now + IN_PROGRESS_DAYS * DAY
        self._update(tradein, tradein.status, to, now, expression, values)

    def _update(
        self,
        tradein: TradeIn,
        frm: str,
        to: str,
        now: int,
        expression: str,
        values: dict[str, Any],
        extra_condition: str = "",
    ) -> None:
        step = [{"s": to, "at": now}]
        sets = "SET #s = :to, updated_at = :now, history = list_append(history, :step), #ttl = :ttl"
        if expression.startswith("SET "):
            sets += ", " + expression[4:]
            expression = ""
        call(
            self.table,
            "update_item",
            MoveRefused,
            Key=tradein_key(tradein.digest, tradein.market),
            UpdateExpression=f"{sets}{expression}",
            ConditionExpression="#s = :from" + extra_condition,
            ExpressionAttributeNames={
                "#s": "status",
                "#ttl": TTL_ATTRIBUTE,
                **_names(sets + expression),
            },
            ExpressionAttributeValues={**values, ":from": frm, ":to": to, ":step": step},
        )


def _names(expression: str) -> dict[str, str]:
    """The attribute names an expression uses as ``#name`` (reserved words among them)."""
    used = {w[1:] for w in expression.replace(",", " ").split() if w.startswith("#")}
    return {f"#{name}": name for name in used - {"s", "ttl"}}


def _offer(offer: Offer | None) -> str | None:
    if offer is None:
        return None
    raw = {"p": offer.price.amount, "c": offer.price.currency, "r": offer.refurbisher,
           "n": offer.name, "v": offer.version}  # fmt: skip
    return json.dumps(raw, separators=(",", ":"), ensure_ascii=False)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, (int, Decimal)) else 0


def _decode(digest: str, item: dict[str, Any]) -> TradeIn:
    raw_offer = json.loads(item["offer"]) if item.get("offer") else None
    offer = None
    if raw_offer:
        offer = Offer(Money(raw_offer["p"], raw_offer["c"]), raw_offer["r"], raw_offer["n"],
                      raw_offer["v"])  # fmt: skip
    counter = None
    if item.get("counter") and offer is not None:
        raw = json.loads(item["counter"])
        counter = Counter(Money(raw["p"], offer.price.currency), tuple(raw["r"]))
    storage = item.get("storage")
    return TradeIn(
        digest=digest,
        market=item["market"],
        device=item["device"],
        title=item["title"],
        storage_gb=None if storage is None else int(storage),
        answers=json.loads(item["answers"]),
        tier=item.get("tier"),
        offer=offer,
        refusal=item.get("refusal"),
        status=item["status"],
        created_at=_int(item["created_at"]),
        valid_until=_int(item["valid_until"]),
        accepted_at=_int(item.get("accepted_at")),
        ship_by=_int(item.get("ship_by")),
        updated_at=_int(item.get("updated_at")),
        counter=counter,
        shown=dict(item.get("shown") or {}),
        history=tuple((h["s"], _int(h["at"])) for h in item.get("history", [])),
    )
