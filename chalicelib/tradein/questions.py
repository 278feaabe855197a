"""The condition questions a device's category asks, read from questions.json (data, not code).

Their texts are gettext msgids, translated like every other message and open to the marketing
editor's overrides; the answers' ``effect`` is how chalicelib/tradein/condition.py grades them.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.catalog.buyback import Device

DATA = Path(__file__).with_name("questions.json")
# What an answer does besides nothing or capping the tier (buyback.TIERS): make the device one
# no partner may buy, listed in the order a shopper can fix them.
REFUSALS = ("locked", "carrier", "water")


@dataclass(frozen=True)
class Answer:
    """One answer a shopper may pick, and what it does to the offer."""

    code: str
    text: str
    effect: str  # "none", a tier of buyback.TIERS (a cap) or one of REFUSALS


@dataclass(frozen=True)
class Question:
    """One question, its optional hint, and its answers in the order shown."""

    code: str
    text: str
    hint: str
    answers: tuple[Answer, ...]

    def answer(self, code: str) -> Answer | None:
        """The answer of this code, if the question has it."""
        return next((a for a in self.answers if a.code == code), None)


@functools.cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def all_questions() -> dict[str, Question]:
    """Every question by code."""
    return {
        code: Question(
            code,
            raw["text"],
            raw.get("hint", ""),
            tuple(Answer(a["code"], a["text"], a["effect"]) for a in raw["answers"]),
        )
        for code, raw in _data()["questions"].items()
    }


def questions_for(device: Device) -> tuple[Question, ...]:
    """The questions a device's category asks, its brand's account lock in place of ``@lock``."""
    data = _data()
    locks = data["locks"]
    codes = data["categories"].get(device.category, data["categories"]["smartphones"])
    if not device.battery:  # mains powered: nothing to charge, no battery to ask about
        codes = ["switches_on" if c == "powers_on" else c for c in codes if c != "battery"]
    chosen = [locks.get(device.brand, locks["*"]) if c == "@lock" else c for c in codes]
    return tuple(all_questions()[c] for c in chosen)
