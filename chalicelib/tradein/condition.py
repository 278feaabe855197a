"""From a shopper's answers to the condition tier a grid prices, or why no partner buys it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.catalog.buyback import TIERS
from chalicelib.tradein.questions import REFUSALS, Question


@dataclass(frozen=True)
class Graded:
    """The tier the answers put the device in, or the reason nobody may buy it."""

    tier: str | None
    refusal: str | None = None


class Unanswered(ValueError):
    """Questions left without a valid answer, by code."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def read_answers(questions: tuple[Question, ...], form: Mapping[str, str]) -> dict[str, str]:
    """The answer code of every question from a form; Unanswered names those missing."""
    answers, missing = {}, []
    for question in questions:
        code = (form.get(f"q_{question.code}") or "").strip()
        if question.answer(code) is None:
            missing.append(question.code)
        else:
            answers[question.code] = code
    if missing:
        raise Unanswered(missing)
    return answers


def grade(questions: tuple[Question, ...], answers: Mapping[str, str]) -> Graded:
    """The worst tier any answer allows; a lock or water damage refuses the device outright."""
    effects = set()
    for question in questions:
        answer = question.answer(answers[question.code])
        if answer is not None:
            effects.add(answer.effect)
    for refusal in REFUSALS:  # in order: the one a shopper can fix first
        if refusal in effects:
            return Graded(None, refusal)
    worst = max((TIERS.index(e) for e in effects if e in TIERS), default=0)
    return Graded(TIERS[worst])
