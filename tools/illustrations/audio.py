"""Headphones: over-ear ones from the front, earbuds beside their charging case."""

from __future__ import annotations

from tools.illustrations.palette import accent
from tools.illustrations.svg import WIDTH, Canvas, d, edge, tone

# Ear cups: (width, height, corner share) of the outer shell, by style.
CUPS = {
    "max": (96, 124, 0.32),
    "xm4": (92, 120, 0.5),
    "xm5": (84, 128, 0.5),
    "qc45": (86, 112, 0.5),
    "studio": (100, 108, 0.5),
}


def draw(c: Canvas, look: dict, body: str, color: str) -> None:
    """Headphones of this look in this finish."""
    look = {**look, **{part: accent(look, part, color) for part in ("trim", "face", "mic")}}
    if look["kind"] == "over-ear":
        _over_ear(c, look, body)
    else:
        _earbuds(c, look, body)


def _over_ear(c: Canvas, look: dict, body: str) -> None:
    style = look["style"]
    cw, ch, corner = CUPS[style]
    left, right, cy = 150, 330, 220
    c.shadow(WIDTH / 2, cy + ch / 2 + 14, 170)
    band = tone(body, -0.06)
    arc = f"M{left} {cy - ch / 2 + 8}C{left - 8} 20 {right + 8} 20 {right} {cy - ch / 2 + 8}"
    if style == "max":
        c.path(arc, fill="none", stroke="#c9cbce", stroke_width=9, stroke_linecap="round")
        rim = cy - ch / 2 + 2
        inner = d("M", left + 12, rim, "C", left + 6, 44, right - 6, 44, right - 12, rim)
        c.path(inner, fill="none", stroke=look["trim"] or tone(body, 0.2), stroke_width=16)
        for x in (left, right):
            c.rect(x - 3, cy - ch / 2 - 26, 6, 34, 3, fill="#d5d7da", stroke="#9a9ca0")
    else:
        width = {"xm4": 24, "xm5": 16, "qc45": 13, "studio": 20}[style]
        c.path(arc, fill="none", stroke=edge(band), stroke_width=width + 2, stroke_linecap="round")
        c.path(arc, fill="none", stroke=band, stroke_width=width, stroke_linecap="round")
        for x in (left, right):
            if style in ("xm4", "studio"):
                c.rect(x - 9, cy - ch / 2 - 30, 18, 36, 5, fill=tone(body, -0.2))
            elif style == "xm5":
                c.rect(x - 3, cy - ch / 2 - 36, 6, 44, 3, fill=tone(body, -0.1), stroke=edge(body))
            else:  # the QC45's metal yoke around the cup
                c.path(
                    d("M", x - cw / 2 - 4, cy, "V", cy - ch / 2 - 8, "Q", x, cy - ch / 2 - 30)
                    + d("", x + cw / 2 + 4, cy - ch / 2 - 8, "V", cy),
                    fill="none",
                    stroke="#a8aaae",
                    stroke_width=4,
                )
    for x in (left, right):
        _cup(c, x, cy, cw, ch, corner, look, body)
    if style == "max":  # the Digital Crown and the noise-control button on the right cup
        c.rect(right + cw / 2 - 20, cy - ch / 2 - 9, 14, 11, 3, fill="#d5d7da", stroke="#8d8f93")
        c.rect(right - cw / 2 + 14, cy - ch / 2 - 6, 16, 7, 3, fill=tone(body, -0.2))


def _cup(c: Canvas, x: float, cy: float, cw: float, ch: float, corner: float, look, body: str):
    style = look["style"]
    cushion = look["trim"] or tone(body, -0.35)
    c.rect(x - cw / 2 - 5, cy - ch / 2 + 6, cw + 10, ch - 12, (cw + 10) * corner, fill=cushion)
    c.rect(
        x - cw / 2,
        cy - ch / 2,
        cw,
        ch,
        cw * corner,
        fill=c.body(body),
        stroke=edge(body),
        stroke_width=1.2,
    )
    if style == "studio":  # the Beats "b" on each cup
        _beats_b(c, x, cy, cw, (0.22, 0.08, 0.34, 0.05), tone(body, -0.25), 5)
    elif style in ("xm4", "xm5"):
        c.circle(x + cw * 0.18, cy + ch * 0.3, 2.2, fill=look["mic"] or tone(body, -0.3))
        c.circle(x - cw * 0.18, cy + ch * 0.3, 2.2, fill=look["mic"] or tone(body, -0.3))
    elif style == "qc45":
        c.rect(x - 10, cy + ch * 0.28, 20, 3, 1.5, fill=tone(body, -0.25))
    elif style == "max":
        c.rect(
            x - cw / 2 + 6,
            cy - ch / 2 + 6,
            cw - 12,
            ch - 12,
            (cw - 12) * corner,
            fill="none",
            stroke=tone(body, 0.25),
            stroke_width=1.5,
        )


def _earbuds(c: Canvas, look: dict, body: str) -> None:
    """The charging case, closed, and the two earbuds in front of it."""
    case = look["case"]
    cw, ch, r = look["case_size"]
    x, y = 150 - cw / 2, 190 - ch / 2
    c.shadow(240, y + ch * 1.2 + 14, 210)
    with c.group(transform="translate(240 190) scale(1.28) translate(-240 -190)"):
        _case_and_buds(c, look, body, case, (x, y, cw, ch, r))


def _case_and_buds(c: Canvas, look: dict, body: str, case: str, box: tuple) -> None:
    x, y, cw, ch, r = box
    c.rect(x, y, cw, ch, r, fill=c.body(body), stroke=edge(body), stroke_width=1.3)
    seam = y + ch * look.get("lid", 0.36)
    c.line(x + 2, seam, x + cw - 2, seam, stroke=tone(body, -0.18), stroke_width=1.3)
    c.circle(x + cw / 2, seam + ch * 0.14, 2.6, fill="#7ed957")
    if case == "lanyard":
        c.rect(x + cw - 3, y + ch * 0.55, 9, 16, 3, fill=tone(body, -0.15), stroke=edge(body))
        for i in range(5):
            c.circle(x + cw / 2 - 10 + i * 5, y + ch - 6, 1.2, fill=tone(body, -0.3))
    for i, bx in enumerate((300, 372)):
        _bud(c, bx, 200 + i * 14, look, body, mirror=i == 1)


def _bud(c: Canvas, x: float, y: float, look: dict, body: str, mirror: bool) -> None:
    bud = look["bud"]
    flip = -1 if mirror else 1
    trim = look["trim"] or tone(body, -0.2)
    if bud in ("pro", "open"):  # AirPods: a head and a stem
        stem = 56 if bud == "open" else 40
        c.rect(x - 7, y, 14, stem, 7, fill=c.body(body), stroke=edge(body))
        c.ellipse(x - flip * 4, y - 6, 22, 19, fill=c.body(body), stroke=edge(body))
        if bud == "pro":
            c.ellipse(x - flip * 20, y - 10, 9, 12, fill="#c8c9cc", stroke="#a3a5a8")
        c.rect(x - 3, y - 12, 6, 5, 2, fill="#2b2c30")
        c.circle(x, y + stem - 5, 2.5, fill=tone(body, -0.25))
        return
    size = look.get("bud_size", 30)
    if bud == "wing":
        c.path(
            d("M", x, y - size * 0.6, "q", flip * size * 1.1, -size * 0.6)
            + d("", flip * size * 1.2, size * 0.4),
            fill="none",
            stroke=trim,
            stroke_width=7,
            stroke_linecap="round",
        )
    c.ellipse(
        x,
        y,
        size,
        size * look.get("bud_ratio", 0.9),
        fill=c.body(body),
        stroke=edge(body),
        stroke_width=1.2,
    )
    c.ellipse(x - flip * size * 0.55, y + size * 0.35, size * 0.32, size * 0.28, fill=trim)
    if look.get("face"):  # the touch surface: a disc, a ring or a logo
        face = look["face"]
        if face == "b":
            _beats_b(c, x, y, size, (0.35, 0.13, 0.55, 0.1), tone(body, -0.25), 4)
        else:
            c.circle(x, y, size * 0.5, fill=face, stroke=tone(face, -0.2))
    c.ellipse(x - size * 0.3, y - size * 0.4, size * 0.25, size * 0.12, fill="#fff", opacity=0.45)


def _beats_b(c, x: float, y: float, size: float, ratios: tuple, color: str, width: float) -> None:
    """The Beats "b": a ring and its stem, in proportions (ring, stem x, top, bottom) of size."""
    ring, stem, top, bottom = (size * r for r in ratios)
    c.circle(x, y, ring, fill="none", stroke=color, stroke_width=width)
    c.line(
        x - stem,
        y - top,
        x - stem,
        y + bottom,
        stroke=color,
        stroke_width=width,
        stroke_linecap="round",
    )
