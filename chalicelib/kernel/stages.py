"""Deployment stages: one per AWS region, each serving some markets (stages.json beside)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.kernel.markets import MARKETS, for_stage

STAGES_FILE = Path(__file__).resolve().parent / "stages.json"


class UnknownStage(ValueError):
    """A stage name that stages.json does not define."""


@dataclass(frozen=True)
class Stage:
    """A deployment: its region, tables, public address and markets."""

    name: str
    region: str
    table: str
    public_url: str
    admin_table: str

    @functools.cached_property
    def markets(self) -> tuple[str, ...]:
        """Markets this stage serves: all of them locally, else those of its stage column."""
        if self.name == "dev":
            return tuple(MARKETS)
        return tuple(m.code for m in for_stage(self.name))


@functools.cache
def all_stages() -> dict[str, Stage]:
    """Every stage of stages.json, the one file the app and the Make targets read."""
    raw = json.loads(STAGES_FILE.read_text(encoding="utf-8"))
    return {name: Stage(name, **values) for name, values in raw.items()}


def get(name: str) -> Stage:
    """The stage of this name; UnknownStage rather than a silent default."""
    try:
        return all_stages()[name]
    except KeyError:
        raise UnknownStage(
            f"unknown stage {name!r}; stages are {', '.join(all_stages())}"
        ) from None


def stage_serving(code: str) -> Stage | None:
    """The deployed stage that serves a market."""
    market = MARKETS.get(code)
    return all_stages().get(market.stage) if market else None


if __name__ == "__main__":  # `python -m chalicelib.stages eu region`: for the Makefile
    import sys

    try:
        stage = get(sys.argv[1] if len(sys.argv) > 1 else "")
    except UnknownStage as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    print(getattr(stage, sys.argv[2]) if len(sys.argv) > 2 else stage.region)
