"""A small SVG writer: shapes with rounded numbers, gradients, and colour tones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

WIDTH, HEIGHT = 480, 360  # every illustration is 4:3, as cards show pictures


def num(value: float) -> str:
    """A coordinate with at most one decimal, without trailing zeros."""
    return f"{round(value, 1):g}"


def d(*parts: object) -> str:
    """Path data from commands and numbers: ``d("M", 10, 20.25, "H", 40)``."""
    return " ".join(num(p) if isinstance(p, int | float) else str(p) for p in parts)


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0 to 1) of the way to ``other``."""
    a, b = _rgb(color), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def tone(color: str, amount: float) -> str:
    """Lighter (amount > 0) or darker (amount < 0) by a share of the way to white or black."""
    return mix(color, "#ffffff", amount) if amount > 0 else mix(color, "#000000", -amount)


def luminance(color: str) -> float:
    """Perceived lightness from 0 (black) to 1 (white)."""
    r, g, b = _rgb(color)
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


def edge(color: str) -> str:
    """An outline that shows a body of this colour on a white card."""
    return tone(color, -0.28 if luminance(color) > 0.5 else -0.45)


def _attrs(**attrs: object) -> str:
    out = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = num(value)
        out.append(f'{name.rstrip("_").replace("_", "-")}="{value}"')
    return " ".join(out)


def tag(name: str, **attrs: object) -> str:
    """One empty SVG element."""
    return f"<{name} {_attrs(**attrs)}/>"


class Canvas:
    """The shapes of one illustration, written out as a standalone SVG document."""

    def __init__(self) -> None:
        self.defs: list[str] = []
        self.items: list[str] = []
        self._ids = 0

    def add(self, name: str, **attrs: object) -> None:
        self.items.append(tag(name, **attrs))

    def rect(self, x: float, y: float, w: float, h: float, r: float = 0, **attrs: object) -> None:
        self.add("rect", x=x, y=y, width=w, height=h, rx=r or None, **attrs)

    def circle(self, cx: float, cy: float, r: float, **attrs: object) -> None:
        self.add("circle", cx=cx, cy=cy, r=r, **attrs)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, **attrs: object) -> None:
        self.add("ellipse", cx=cx, cy=cy, rx=rx, ry=ry, **attrs)

    def path(self, d: str, **attrs: object) -> None:
        self.add("path", d=d, **attrs)

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        self.add("line", x1=x1, y1=y1, x2=x2, y2=y2, **attrs)

    def text(self, x: float, y: float, content: str, size: float, **attrs: object) -> None:
        """A short label (digits of a watch face), centred on x."""
        attrs = {"text_anchor": "middle", "font_family": "Helvetica,Arial,sans-serif", **attrs}
        self.items.append(f"<text {_attrs(x=x, y=y, font_size=size, **attrs)}>{content}</text>")

    def gradient(self, stops: list[tuple[float, str]], x2: float = 0, y2: float = 1) -> str:
        """A linear gradient (top to bottom by default); returns its ``url(#…)``."""
        self._ids += 1
        gid = f"g{self._ids}"
        inner = "".join(f'<stop offset="{num(o)}" stop-color="{c}"/>' for o, c in stops)
        self.defs.append(
            f'<linearGradient id="{gid}" x1="0" y1="0" x2="{num(x2)}" y2="{num(y2)}">'
            f"{inner}</linearGradient>"
        )
        return f"url(#{gid})"

    def radial(self, stops: list[tuple[float, str]]) -> str:
        """A radial gradient from the centre; returns its ``url(#…)``."""
        self._ids += 1
        gid = f"g{self._ids}"
        inner = "".join(f'<stop offset="{num(o)}" stop-color="{c}"/>' for o, c in stops)
        self.defs.append(f'<radialGradient id="{gid}">{inner}</radialGradient>')
        return f"url(#{gid})"

    def pattern(self, x: float, y: float, w: float, h: float, inner: str) -> str:
        """A tile of ``w`` by ``h`` repeated from (x, y); returns its ``url(#…)``."""
        self._ids += 1
        pid = f"p{self._ids}"
        self.defs.append(
            f'<pattern id="{pid}" x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"'
            f' patternUnits="userSpaceOnUse">{inner}</pattern>'
        )
        return f"url(#{pid})"

    def body(self, color: str, angle: float = 1) -> str:
        """A finish's gradient: a little light at the top left, a little shade below."""
        return self.gradient(
            [(0, tone(color, 0.22)), (0.55, color), (1, tone(color, -0.12))], x2=angle, y2=1
        )

    @contextmanager
    def group(self, **attrs: object) -> Iterator[None]:
        self.items.append(f"<g {_attrs(**attrs)}>")
        try:
            yield
        finally:
            self.items.append("</g>")

    def shadow(self, cx: float, cy: float, rx: float, ry: float = 9) -> None:
        """A soft floor shadow under the device."""
        fill = self.radial([(0, "#00000030"), (1, "#00000000")])
        self.ellipse(cx, cy, rx, ry, fill=fill)

    def svg(self) -> str:
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
            f' width="{WIDTH}" height="{HEIGHT}">{defs}{"".join(self.items)}</svg>\n'
        )


def rounded_top(x: float, y: float, w: float, h: float, r: float) -> str:
    """A path of a rectangle with only its top corners rounded."""
    return (
        f"M{num(x)} {num(y + h)}V{num(y + r)}Q{num(x)} {num(y)} {num(x + r)} {num(y)}"
        f"H{num(x + w - r)}Q{num(x + w)} {num(y)} {num(x + w)} {num(y + r)}V{num(y + h)}Z"
    )


APPLE = (
    "M0.6-7.4c.9-1.1 1.5-2.6 1.3-4.1-1.3.1-2.9.9-3.8 2-.8.9-1.5 2.5-1.3 3.9 1.4.1 2.9-.7 3.8-1.8z"
    "M3.8 1.2c0-2.6 2.1-3.8 2.2-3.9-1.2-1.8-3.1-2-3.7-2-1.6-.2-3.1.9-3.9.9-.8 0-2-.9-3.4-.9"
    "C-6.7-4.6-8.4-3.5-9.3-1.9c-1.9 3.3-.5 8.2 1.4 10.9.9 1.3 2 2.8 3.4 2.8 1.4-.1 1.9-.9"
    " 3.5-.9 1.6 0 2.1.9 3.5.9 1.5 0 2.4-1.3 3.3-2.7 1-1.5 1.5-3 1.5-3.1 0 0-2.9-1.1-2.9-4.4z"
)


def apple_logo(canvas: Canvas, cx: float, cy: float, size: float, fill: str) -> None:
    """Apple's logo, ``size`` pixels tall, centred on (cx, cy)."""
    scale = size / 22
    canvas.path(APPLE, fill=fill, transform=f"translate({num(cx)} {num(cy)}) scale({scale:.3f})")
