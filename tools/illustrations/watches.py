"""Smartwatches from the front: case, crown and buttons, the model's watch face, its band."""

from __future__ import annotations

import math

from tools.illustrations.palette import SCREEN, accent
from tools.illustrations.svg import HEIGHT, WIDTH, Canvas, d, edge, luminance, num, tone

CX, CY = WIDTH / 2, HEIGHT / 2
RINGS = ("#fa114f", "#92e82a", "#1eeaef")  # move, exercise, stand


def draw(c: Canvas, look: dict, body: str, color: str) -> None:
    """A watch of this look, its case in this finish, on its band."""
    band = accent(look, "band", color) or tone(body, -0.05)
    size = look.get("size", 1.0)
    round_case = look["case"] == "round"
    cw = (176 if round_case else 150) * size
    ch = cw if round_case else cw * 1.19
    _band(c, cw * 0.7, ch, band, look.get("strap", "sport"))
    if round_case:
        _round_case(c, cw, look, body)
    else:
        _square_case(c, cw, ch, look, body)


def _band(c: Canvas, bw: float, ch: float, band: str, strap: str) -> None:
    fill = c.gradient(
        [(0, tone(band, -0.12)), (0.5, tone(band, 0.08)), (1, tone(band, -0.12))], 1, 0
    )
    for y, h in ((-20, CY - ch / 2 + 40), (CY + ch / 2 - 20, HEIGHT - CY - ch / 2 + 40)):
        c.rect(CX - bw / 2, y, bw, h, bw * 0.18, fill=fill, stroke=edge(band))
    if strap == "loop":  # a woven loop: its weave across the band
        weave = f'<rect width="{num(bw)}" height="2" fill="{tone(band, -0.2)}" opacity=".5"/>'
        c.rect(CX - bw / 2, 0, bw, HEIGHT, fill=c.pattern(CX - bw / 2, 0, bw, 5, weave))
    elif strap == "holes":  # a silicone strap's holes below the case
        for i in range(5):
            c.circle(CX, CY + ch / 2 + 26 + i * 15, 3.2, fill=tone(band, -0.35))
    else:  # a sport band's pin
        c.circle(CX, CY + ch / 2 + 52, 4, fill=tone(band, -0.25))


def _square_case(c: Canvas, cw: float, ch: float, look: dict, body: str) -> None:
    x, y = CX - cw / 2, CY - ch / 2
    r = cw * look.get("corner", 0.27)
    # Digital Crown and side button on the right, Ultra's action button on the left.
    c.rect(x + cw - 4, y + ch * 0.22, 14, ch * 0.2, 4, fill=tone(body, -0.1), stroke=edge(body))
    for i in range(5):
        c.line(
            x + cw + 2 + i * 1.8,
            y + ch * 0.23,
            x + cw + 2 + i * 1.8,
            y + ch * 0.41,
            stroke=tone(body, -0.3),
            stroke_width=0.6,
        )
    c.rect(x + cw - 3, y + ch * 0.55, 7, ch * 0.2, 3, fill=tone(body, -0.12))
    if look.get("action"):
        c.rect(x - 7, y + ch * 0.3, 10, ch * 0.28, 3, fill=look["action"])
    c.rect(x, y, cw, ch, r, fill=c.body(body), stroke=edge(body), stroke_width=1.2)
    bezel = cw * look.get("bezel", 0.08)
    c.rect(x + 4, y + 4, cw - 8, ch - 8, r - 4, fill="#050506")
    screen = (x + bezel, y + bezel, cw - 2 * bezel, ch - 2 * bezel)
    c.rect(*screen, r - bezel, fill=SCREEN)
    _face(c, look["face"], screen, look)


def _round_case(c: Canvas, d: float, look: dict, body: str) -> None:
    r = d / 2
    buttons = look.get("buttons", 2)
    sides = (
        [(35, 1), (-35, 1)] if buttons == 2 else [(40, 1), (-40, 1), (45, -1), (0, -1), (-45, -1)]
    )
    for angle, side in sides:
        a = math.radians(angle)
        bx, by = CX + side * (r + 2) * math.cos(a), CY - (r + 2) * math.sin(a)
        fill = (
            look.get("start")
            if (angle, side) == (40, 1) and look.get("start")
            else tone(body, -0.15)
        )
        c.rect(
            bx - 7,
            by - 5,
            14,
            10,
            3,
            fill=fill,
            stroke=edge(body),
            transform=f"rotate({num(-side * angle)} {num(bx)} {num(by)})",
        )
    for lug in (-1, 1):
        c.rect(CX - d * 0.34, CY + lug * r * 0.82 - 14, d * 0.68, 28, 8, fill=tone(body, -0.06))
    c.circle(CX, CY, r, fill=c.body(body), stroke=edge(body), stroke_width=1.2)
    ring = look.get("ring", 0.1)
    if look.get("screws"):
        for angle in (45, 135, 225, 315):
            a = math.radians(angle)
            c.circle(
                CX + r * 0.9 * math.cos(a), CY + r * 0.9 * math.sin(a), 3.4, fill=tone(body, -0.3)
            )
    c.circle(CX, CY, r * (1 - ring), fill="#060607", stroke=tone(body, -0.25))
    inner = r * (1 - ring - 0.04)
    c.circle(CX, CY, inner, fill=look.get("screen", SCREEN))
    _face(c, look["face"], (CX - inner, CY - inner, 2 * inner, 2 * inner), look)


def _face(c: Canvas, face: str, box: tuple, look: dict) -> None:
    x, y, w, h = box
    cx, cy, unit = x + w / 2, y + h / 2, min(w, h)
    ink = look.get("ink", "#ffffff")
    if face in ("rings", "modular"):
        big = face == "rings"
        rings_r = unit * (0.36 if big else 0.16)
        rcx, rcy = (cx, cy + unit * 0.06) if big else (cx + unit * 0.2, cy + unit * 0.22)
        for i, color in enumerate(RINGS):
            rr = rings_r * (1 - i * 0.27)
            c.circle(
                rcx,
                rcy,
                rr,
                fill="none",
                stroke=color,
                stroke_width=unit * (0.07 if big else 0.035),
                stroke_dasharray=f"{num(rr * 4.6 - i * 6)} 99",
                stroke_linecap="round",
                transform=f"rotate(-90 {num(rcx)} {num(rcy)})",
                opacity=0.95,
            )
        c.text(
            cx + (unit * 0.26 if big else -unit * 0.05),
            y + unit * (0.2 if big else 0.36),
            "10:09",
            unit * (0.14 if big else 0.26),
            fill=ink,
            font_weight=600,
        )
        if not big:
            c.text(
                cx - unit * 0.2,
                cy + unit * 0.3,
                "23°",
                unit * 0.12,
                fill=look.get("accent", "#8fd3ff"),
            )
    elif face in ("analog", "wayfinder", "garmin"):
        rr = unit * 0.44
        accent = look.get("accent", "#ffffff")
        for i in range(12):
            a = math.radians(i * 30)
            long = 0.78 if i % 3 == 0 else 0.86
            c.line(
                cx + rr * long * math.sin(a),
                cy - rr * long * math.cos(a),
                cx + rr * math.sin(a),
                cy - rr * math.cos(a),
                stroke=accent if i % 3 == 0 else ink,
                stroke_width=2.4 if i % 3 == 0 else 1.2,
            )
        if face == "garmin":
            c.text(cx, cy - unit * 0.05, "10:09", unit * 0.22, fill=ink, font_weight=700)
            c.text(cx, cy + unit * 0.2, look.get("data", "8 432"), unit * 0.1, fill=accent)
            c.path(
                d("M", cx - rr * 0.6, cy + rr * 0.75, "A", rr, rr, 0, 0, 0, cx + rr * 0.6)
                + d("", cy + rr * 0.75),
                fill="none",
                stroke=accent,
                stroke_width=4,
            )
            return
        if face == "wayfinder":
            c.text(cx, cy - rr * 0.5, "N", unit * 0.1, fill=accent, font_weight=700)
        for corner in (
            ((-1, -1), (1, -1), (-1, 1), (1, 1)) if face == "analog" and look.get("corners") else ()
        ):
            c.circle(
                cx + corner[0] * w * 0.36,
                cy + corner[1] * h * 0.36,
                unit * 0.07,
                fill="none",
                stroke=RINGS[corner[0] + 1],
                stroke_width=2,
            )
        c.line(
            cx,
            cy,
            cx - rr * 0.42,
            cy - rr * 0.22,
            stroke=ink,
            stroke_width=4,
            stroke_linecap="round",
        )
        c.line(
            cx,
            cy,
            cx + rr * 0.45,
            cy - rr * 0.5,
            stroke=ink,
            stroke_width=3,
            stroke_linecap="round",
        )
        c.line(cx, cy + rr * 0.15, cx + rr * 0.2, cy - rr * 0.7, stroke=accent, stroke_width=1.2)
        c.circle(cx, cy, 3, fill=accent)
    elif face == "digital":
        accent = look.get("accent", "#5ac8fa")
        c.text(cx, cy + unit * 0.02, "10:09", unit * 0.26, fill=ink, font_weight=300)
        c.text(cx, cy + unit * 0.2, look.get("date", "MON 12"), unit * 0.08, fill=accent)
        c.path(
            d("M", cx - unit * 0.38, cy - unit * 0.1, "A", unit * 0.4, unit * 0.4, 0, 0, 1, cx)
            + d("", cy - unit * 0.4),
            fill="none",
            stroke=accent,
            stroke_width=unit * 0.035,
            stroke_linecap="round",
        )
    if luminance(look.get("screen", SCREEN)) > 0.5:  # a memory-in-pixel screen's matte sheen
        c.rect(x, y, w, h / 2, unit / 2, fill="#fff", opacity=0.08)
