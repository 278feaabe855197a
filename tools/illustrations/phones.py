"""Smartphones: the back (camera layout, logo) beside the front (notch, island or hole)."""

from __future__ import annotations

from tools.illustrations.palette import GLASS, SCREEN, accent
from tools.illustrations.svg import HEIGHT, Canvas, apple_logo, edge, luminance, tone

SCALE = 1.85  # pixels per millimetre: a 160 mm phone is 296 px tall


def draw(c: Canvas, look: dict, body: str, color: str) -> None:
    """A phone of this look in this body colour (``color``: its code, for accents)."""
    look = {**look, **{k: accent(look, k, color) for k in ("bar", "housing", "frame")}}
    if look["camera"] == "flip":
        _flip(c, look, body)
        return
    h_mm, w_mm = look["mm"]
    h, w = h_mm * SCALE, w_mm * SCALE
    y = (HEIGHT - h) / 2 - 6
    r = w * look.get("corner", 0.16)
    c.shadow(240, y + h + 5, 190)
    _back(c, 150 - w / 2, y, w, h, r, look, body)
    _front(c, 330 - w / 2, y, w, h, r, look, body)


def _buttons(c: Canvas, x: float, y: float, w: float, h: float, body: str, left: bool) -> None:
    """Volume buttons on one side and the side button on the other, behind the body."""
    metal = tone(body, -0.2)
    vx, sx = (x - 2.5, x + w - 0.5) if left else (x + w - 0.5, x - 2.5)
    c.rect(vx, y + 0.2 * h, 3, 0.07 * h, 1.5, fill=metal)
    c.rect(vx, y + 0.3 * h, 3, 0.07 * h, 1.5, fill=metal)
    c.rect(sx, y + 0.24 * h, 3, 0.1 * h, 1.5, fill=metal)


def _lens(c: Canvas, cx: float, cy: float, r: float, ring: str) -> None:
    c.circle(cx, cy, r, fill="#16171a", stroke=ring, stroke_width=max(1.2, r * 0.18))
    c.circle(cx, cy, r * 0.55, fill="#27334d")
    c.circle(cx - r * 0.18, cy - r * 0.2, r * 0.16, fill="#ffffff", fill_opacity=0.55)


def _flash(c: Canvas, cx: float, cy: float, r: float) -> None:
    c.circle(cx, cy, r, fill="#f6f0dc", stroke="#c9c1a6", stroke_width=0.8)


# Lens, flash and sensor places inside a square camera bump, as shares of its side.
BUMPS = {
    "dual-vertical": ([(0.3, 0.29), (0.3, 0.71)], (0.72, 0.29), None),
    "dual-diagonal": ([(0.3, 0.3), (0.7, 0.7)], (0.73, 0.27), None),
    "triple": ([(0.28, 0.27), (0.28, 0.73), (0.72, 0.5)], (0.74, 0.19), (0.74, 0.81)),
}


def _back(c: Canvas, x: float, y: float, w: float, h: float, r: float, look: dict, body: str):
    _buttons(c, x, y, w, h, body, left=False)
    frame = look.get("frame") or tone(body, -0.08)
    c.rect(x, y, w, h, r, fill=frame, stroke=edge(body), stroke_width=1.2)
    c.rect(x + 2, y + 2, w - 4, h - 4, r - 2, fill=c.body(body))
    camera = look["camera"]
    ring = tone(body, -0.25)
    if camera in BUMPS:
        lenses, flash, sensor = BUMPS[camera]
        side = w * (0.5 if camera == "triple" else 0.44)
        bx, by = x + w * 0.06, y + w * 0.06
        c.rect(bx, by, side, side, side * 0.27, fill=tone(body, 0.1), stroke=tone(body, -0.18))
        lens_r = side * (0.2 if camera == "triple" else 0.18)
        for lx, ly in lenses:
            _lens(c, bx + lx * side, by + ly * side, lens_r, ring)
        _flash(c, bx + flash[0] * side, by + flash[1] * side, side * 0.07)
        if sensor:
            c.circle(bx + sensor[0] * side, by + sensor[1] * side, side * 0.07, fill="#222327")
    elif camera == "single":
        _lens(c, x + 0.13 * w, y + 0.09 * w, 0.07 * w, ring)
        _flash(c, x + 0.27 * w, y + 0.09 * w, 0.03 * w)
    elif camera in ("galaxy-contour", "galaxy-floating"):
        _galaxy(c, x, y, w, h, r, look, body)
    elif camera in ("pixel-bar", "pixel-pill"):
        _visor(c, x, y, w, h, look, body, camera == "pixel-pill")
    if look.get("logo") == "apple":
        shade = -0.1 if luminance(body) > 0.5 else 0.14
        apple_logo(c, x + w / 2, y + 0.42 * h, 0.1 * h, tone(body, shade))
    elif look.get("logo") == "google":
        c.circle(x + w / 2, y + 0.8 * h, 0.045 * w, fill="none", stroke=tone(body, -0.14))


def _galaxy(c: Canvas, x: float, y: float, w: float, h: float, r: float, look: dict, body: str):
    """Samsung's three lenses down the left: in a contour-cut housing, or each on its own."""
    lens_r = w * look.get("lens", 0.085)
    cx = x + 0.19 * w
    rows = [y + 0.075 * h + i * 2.55 * lens_r for i in range(3)]
    if look["camera"] == "galaxy-contour":
        housing = look["housing"] or tone(body, -0.22)
        bottom = rows[-1] + 1.6 * lens_r
        right = cx + 1.6 * lens_r
        d = (
            f"M{x + 2} {y + r}Q{x + 2} {y + 2} {x + r} {y + 2}H{right - 10}"
            f"Q{right} {y + 2} {right} {y + 12}V{bottom - 12}Q{right} {bottom} {right - 12}"
            f" {bottom}H{x + 2}Z"
        )
        c.path(d, fill=housing)
    for row in rows:
        _lens(c, cx, row, lens_r, look.get("ring") or tone(body, -0.3))
    _flash(c, cx + 2.1 * lens_r, rows[0], lens_r * 0.32)


def _visor(c: Canvas, x: float, y: float, w: float, h: float, look: dict, body: str, pill: bool):
    """The Pixel's camera bar across the back, aluminium, with its black lens window."""
    bar = look["bar"] or tone(body, -0.3)
    top, tall = y + 0.15 * h, 0.1 * h
    c.rect(x - 1.5, top, w + 3, tall, tall * (0.5 if pill else 0.3), fill=c.body(bar, 0))
    window = (x + 0.1 * w, top + tall * 0.18, 0.56 * w, tall * 0.64)
    c.rect(*window, window[3] / 2, fill=GLASS)
    lens_r = tall * 0.24
    _lens(c, window[0] + window[3] / 2, top + tall / 2, lens_r, "#3a3b40")
    _lens(c, window[0] + window[3] * 1.45, top + tall / 2, lens_r, "#3a3b40")
    _flash(c, x + 0.8 * w, top + tall / 2, tall * 0.1)


def _screen(c: Canvas, x: float, y: float, w: float, h: float, r: float, look: dict) -> None:
    """A lit screen: the model's wallpaper, a grid of apps and the dock."""
    top, bottom = look.get("wallpaper", ("#5c6bc0", "#f48fb1"))
    c.rect(x, y, w, h, r, fill=c.gradient([(0, top), (1, bottom)], x2=0.6))
    cell = w / 4
    icon = f'<rect x="{cell * 0.2:.1f}" y="{cell * 0.2:.1f}" width="{cell * 0.6:.1f}"'
    icon += f' height="{cell * 0.6:.1f}" rx="{cell * 0.15:.1f}" fill="#fff" fill-opacity=".4"/>'
    apps = c.pattern(x, y + 0.1 * h, cell, cell, icon)
    c.rect(x, y + 0.1 * h, w, min(5 * cell, 0.6 * h), fill=apps)
    c.rect(x + 0.05 * w, y + h - 1.15 * cell, 0.9 * w, cell, cell * 0.3, fill="#fff", opacity=0.2)


def _front(c: Canvas, x: float, y: float, w: float, h: float, r: float, look: dict, body: str):
    _buttons(c, x, y, w, h, body, left=True)
    c.rect(x, y, w, h, r, fill=look.get("frame") or c.body(body), stroke=edge(body))
    c.rect(x + 2.5, y + 2.5, w - 5, h - 5, r - 2.5, fill=GLASS)
    front = look["front"]
    if front == "home-button":
        top = 0.14 * h
        _screen(c, x + 0.06 * w, y + top, w * 0.88, h - 2 * top, 0, look)
        c.rect(x + 0.4 * w, y + top * 0.45, 0.2 * w, 3, 1.5, fill="#3b3c41")
        c.circle(x + 0.3 * w, y + top * 0.48, 2.5, fill="#2e3a55")
        c.circle(x + w / 2, y + h - top / 2, 0.07 * w, fill=GLASS, stroke="#55565c")
        return
    bezel = w * look.get("bezel", 0.04)
    _screen(c, x + bezel, y + bezel, w - 2 * bezel, h - 2 * bezel, r - bezel, look)
    if front.startswith("notch"):
        nw = w * (0.52 if front == "notch-wide" else 0.4)
        nx, nh = x + (w - nw) / 2, 0.043 * h
        c.path(
            f"M{nx} {y + bezel}h{nw}c-6 0-6 {nh}-14 {nh}H{nx + 14}c-8 0-8-{nh}-14-{nh}z",
            fill=GLASS,
        )
        c.rect(x + w / 2 - 0.08 * w, y + bezel + 3, 0.16 * w, 2.5, 1.2, fill="#3b3c41")
    elif front == "island":
        c.rect(x + 0.35 * w, y + bezel + 0.018 * h, 0.3 * w, 0.038 * h, 0.019 * h, fill="#000")
    elif front == "punch":
        c.circle(x + w / 2, y + bezel + 0.028 * h, 0.028 * w, fill="#000", stroke="#2d2e33")


def _flip(c: Canvas, look: dict, body: str) -> None:
    """A flip phone: folded, with its large cover screen, beside it open, with its crease."""
    w = look["mm"][1] * SCALE
    open_h, folded_h = look["mm"][0] * SCALE, look["mm"][0] * SCALE * 0.52
    c.shadow(240, 338, 190)
    x, y = 150 - w / 2, 333 - folded_h
    c.rect(x, y, w, folded_h, 0.12 * w, fill=c.body(body), stroke=edge(body), stroke_width=1.2)
    c.rect(x + 4, y + folded_h - 9, w - 8, 7, 3.5, fill=tone(body, -0.28))
    c.rect(x + 0.07 * w, y + 0.07 * w, 0.86 * w, 0.7 * folded_h, 0.1 * w, fill=SCREEN)
    _screen(c, x + 0.09 * w, y + 0.09 * w, 0.82 * w, 0.66 * folded_h, 0.08 * w, look)
    ring = tone(body, -0.3)
    for i in range(2):
        cx = x + 0.2 * w + i * 0.2 * w
        c.circle(cx, y + 0.66 * folded_h, 0.09 * w, fill=c.body(body))
        _lens(c, cx, y + 0.66 * folded_h, 0.07 * w, ring)
    ox, oy = 330 - w / 2, 333 - open_h
    c.rect(ox, oy, w, open_h, 0.1 * w, fill=c.body(body), stroke=edge(body))
    c.rect(ox + 3, oy + 3, w - 6, open_h - 6, 0.09 * w, fill=GLASS)
    _screen(c, ox + 6, oy + 6, w - 12, open_h - 12, 0.08 * w, look)
    c.line(ox + 6, oy + open_h / 2, ox + w - 6, oy + open_h / 2, stroke="#fff", opacity=0.35)
    c.circle(ox + w / 2, oy + 14, 0.028 * w, fill="#000")
