"""The colour of each finish code, as the demo illustrations paint it."""

from __future__ import annotations

# One body colour per catalog colour code; a model's look may tint it (looks.json "finish"),
# as an iPhone 11's green is paler than an iPhone 13 Pro's.
FINISHES = {
    "black": "#2b2c2f",
    "white": "#f4f3ef",
    "silver": "#dcdde0",
    "space-grey": "#6c6e73",
    "graphite": "#56544f",
    "gold": "#eed8b3",
    "rose-gold": "#e8c2b4",
    "blue": "#3f6f98",
    "midnight": "#262c38",
    "starlight": "#efe5d6",
    "green": "#5b7d5e",
    "red": "#c8102e",
    "pink": "#f2c8ce",
    "purple": "#b8a8d2",
    "yellow": "#f3da6c",
}
SCREEN = "#101114"
GLASS = "#1b1c20"


def finish(color: str, look: dict) -> str:
    """The body colour of a model in a colour code."""
    return look.get("finish", {}).get(color) or FINISHES[color]


def accent(look: dict, name: str, color: str) -> str | None:
    """A part's own colour (a camera bar, a housing, a band): one for all, or per colour."""
    value = look.get(name)
    return value.get(color) if isinstance(value, dict) else value
