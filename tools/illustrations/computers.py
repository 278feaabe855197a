"""Laptops, open from the front, and tablets, back and front: bezels, keyboards, cameras."""

from __future__ import annotations

from tools.illustrations.palette import GLASS, SCREEN
from tools.illustrations.svg import HEIGHT, WIDTH, Canvas, apple_logo, edge, luminance, num, tone

KEYS = "#1d1d1f"


def _wallpaper(c: Canvas, x: float, y: float, w: float, h: float, r: float, look: dict) -> None:
    top, bottom = look.get("wallpaper", ("#3b4b9a", "#f0a3b8"))
    fill = c.gradient([(0, top), (0.6, bottom), (1, tone(bottom, 0.3))], x2=1, y2=0.8)
    c.rect(x, y, w, h, r, fill=fill)


def laptop(c: Canvas, look: dict, body: str, color: str) -> None:
    """An open laptop: lid with its display and bezel, keyboard deck, trackpad, front lip."""
    style = look["style"]
    w = 300 * (look["screen_in"] / 13.3) ** 0.8
    lid_h = w * look.get("aspect", 0.64)
    deck = w * 0.26
    top = (HEIGHT - lid_h - deck - 10) / 2
    x = (WIDTH - w) / 2
    c.shadow(WIDTH / 2, top + lid_h + deck + 10, w * 0.62)
    # The lid, seen from the front: its edge in the body colour, black glass, the display.
    lid_r = w * (0.035 if style in ("air-notch", "pro-notch") else 0.025)
    c.path(_top_rounded(x, top, w, lid_h, lid_r), fill=c.body(body), stroke=edge(body))
    glass = look.get("glass", GLASS)
    c.path(_top_rounded(x + 3, top + 3, w - 6, lid_h - 4, lid_r - 2), fill=glass)
    bezel = w * look.get("bezel", 0.03)
    chin = bezel * (1.6 if style in ("air-wedge", "pro-touchbar", "thinkpad") else 1.1)
    _wallpaper(c, x + bezel, top + bezel, w - 2 * bezel, lid_h - bezel - chin, 3, look)
    if style in ("air-notch", "pro-notch"):
        c.rect(x + w / 2 - w * 0.05, top + 2, w * 0.1, bezel * 1.6, 3, fill=glass)
    c.circle(x + w / 2, top + bezel * 0.55, 1.6, fill="#3c4a66")
    # The deck, seen from above: wider at the front, with the keyboard and the trackpad.
    y0, spread = top + lid_h, w * 0.06
    c.path(
        f"M{num(x)} {num(y0)}H{num(x + w)}L{num(x + w + spread)} {num(y0 + deck)}"
        f"H{num(x - spread)}Z",
        fill=c.body(tone(body, 0.04), 0),
        stroke=edge(body),
    )
    _keyboard(c, x, y0, w, deck, spread, look, body)
    lip = tone(body, -0.2)
    c.rect(x - spread, y0 + deck, w + 2 * spread, 7, 3, fill=lip)
    if style.startswith(("air", "pro")):
        c.rect(x + w / 2 - 18, y0 + deck, 36, 3, 1.5, fill=tone(body, -0.35))


def _top_rounded(x: float, y: float, w: float, h: float, r: float) -> str:
    return (
        f"M{num(x)} {num(y + h)}V{num(y + r)}Q{num(x)} {num(y)} {num(x + r)} {num(y)}"
        f"H{num(x + w - r)}Q{num(x + w)} {num(y)} {num(x + w)} {num(y + r)}V{num(y + h)}Z"
    )


def _row(y0: float, deck: float, x: float, w: float, spread: float, share: float):
    """Left edge and width of the deck at ``share`` of its depth (it widens to the front)."""
    return x - spread * share, w + 2 * spread * share, y0 + deck * share


def _keyboard(c: Canvas, x: float, y0: float, w: float, deck: float, spread: float, look, body):
    style = look["style"]
    keys = look.get("keys", KEYS)
    width_share = 0.94 if style == "xps" else 0.8 if "grilles" not in look else 0.68
    rows = 6
    for i in range(rows):
        share0 = 0.07 + i * 0.085
        left, width, y = _row(y0, deck, x, w, spread, share0)
        kw = width * width_share
        kx = left + (width - kw) / 2
        kh = deck * 0.07
        if i == 0 and style == "pro-touchbar":
            bar = c.gradient([(0, "#222"), (0.4, "#3b6fd8"), (0.6, "#d2517a"), (1, "#222")], 1, 0)
            c.rect(kx, y, kw, kh, 1.5, fill=bar)
            continue
        if i == 0 and style == "xps":
            c.rect(kx, y, kw, kh, 1, fill=tone(keys, 0.1))
            continue
        count = 14 if i else 16
        cell = kw / count
        tile = f'<rect x=".6" y="0" width="{num(cell - 1.2)}" height="{num(kh)}" rx="1"'
        tile += f' fill="{keys}"/>'
        c.rect(kx, y, kw, kh, fill=c.pattern(kx, y, cell, kh + 10, tile))
    if "grilles" in look:
        for side in (-1, 1):
            left, width, y = _row(y0, deck, x, w, spread, 0.07)
            gx = left + width / 2 + side * width * 0.39 - 6
            dot = f'<circle cx="1.5" cy="1.5" r=".8" fill="{tone(body, -0.45)}"/>'
            c.rect(gx, y, 12, deck * 0.5, fill=c.pattern(gx, y, 3, 3, dot))
    if style == "elitebook":
        left, width, y = _row(y0, deck, x, w, spread, 0.02)
        dot = f'<circle cx="1.5" cy="1.2" r=".7" fill="{tone(body, -0.4)}"/>'
        c.rect(left + width * 0.15, y, width * 0.7, 3, fill=c.pattern(left, y, 3, 3, dot))
    # The trackpad, with ThinkPad's three buttons and red TrackPoint.
    left, width, y = _row(y0, deck, x, w, spread, 0.62)
    pad_w = width * look.get("trackpad", 0.4)
    pad = (left + (width - pad_w) / 2, y + 2, pad_w, deck * 0.32)
    c.rect(*pad, 4, fill=tone(body, 0.1), stroke=tone(body, -0.12 if style != "xps" else -0.04))
    if style == "thinkpad":
        c.rect(pad[0], y - 3, pad_w, 4, 1, fill="#333", stroke="#c8102e", stroke_width=0.6)
        _, width3, y3 = _row(y0, deck, x, w, spread, 0.41)
        c.circle(x + w / 2, y3 + 1, 2.2, fill="#d0021b")


def tablet(c: Canvas, look: dict, body: str, color: str) -> None:
    """A tablet from the back (camera, logo) and, overlapping it, from the front."""
    h_mm, w_mm = look["mm"]
    s = 0.97
    h, w = h_mm * s, w_mm * s
    if look.get("landscape"):
        h, w = w, h
        back, front = (28, 26), (WIDTH - 28 - w, HEIGHT - 22 - h)
    else:
        gap = min(14.0, (WIDTH - 2 * w) / 3)
        total = 2 * w + gap
        back = ((WIDTH - total) / 2, (HEIGHT - h) / 2 - 6)
        front = (back[0] + w + gap, back[1])
    c.shadow(WIDTH / 2, front[1] + h + 5, 200)
    r = min(w, h) * look.get("corner", 0.07)
    _tablet_back(c, *back, w, h, r, look, body)
    _tablet_front(c, *front, w, h, r, look, body)


def _tablet_back(c: Canvas, x: float, y: float, w: float, h: float, r: float, look, body):
    c.rect(x, y, w, h, r, fill=c.body(body), stroke=edge(body), stroke_width=1.2)
    camera = look["camera"]
    unit = min(w, h)
    lx, ly = x + unit * 0.09, y + unit * 0.09
    ring = tone(body, -0.3)
    if camera == "pro-square":
        side = unit * 0.28
        c.rect(
            x + unit * 0.05,
            y + unit * 0.05,
            side,
            side,
            side * 0.25,
            fill=tone(body, 0.08),
            stroke=tone(body, -0.2),
        )
        bx, by = x + unit * 0.05, y + unit * 0.05
        for px, py in ((0.3, 0.3), (0.3, 0.7)):
            _lens(c, bx + px * side, by + py * side, side * 0.17, ring)
        c.circle(bx + 0.72 * side, by + 0.3 * side, side * 0.09, fill="#f6f0dc")
        c.circle(bx + 0.72 * side, by + 0.7 * side, side * 0.09, fill="#222")
    elif camera in ("tab-dual", "tab-s9"):
        strip = (x + w * 0.28, y + unit * 0.05, w * 0.44, unit * 0.045)
        c.rect(*strip, strip[3] / 2, fill=tone(body, -0.2))
        if camera == "tab-dual":
            c.rect(
                lx - unit * 0.05,
                ly - unit * 0.05,
                unit * 0.1,
                unit * 0.2,
                unit * 0.05,
                fill=tone(body, -0.25),
            )
        for i in range(2):
            _lens(c, lx, ly + i * unit * 0.1, unit * 0.034, ring)
    elif camera == "surface":
        c.line(x + 4, y + h * 0.34, x + w - 4, y + h * 0.34, stroke=tone(body, -0.15))
        _lens(c, x + w / 2, y + unit * 0.06, unit * 0.025, ring)
    else:
        _lens(c, lx, ly, unit * (0.045 if camera == "single-bump" else 0.032), ring)
    if look.get("logo") == "apple":
        shade = -0.12 if luminance(body) > 0.5 else 0.16
        apple_logo(c, x + w / 2, y + h / 2, unit * 0.13, tone(body, shade))
    elif look.get("logo") == "microsoft":
        mirror = tone(body, 0.25 if luminance(body) < 0.6 else -0.15)
        size = unit * 0.045
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            cx, cy = x + w * 0.28 - size + dx * (size + 1), y + h * 0.55 - size + dy * (size + 1)
            c.rect(cx, cy, size, size, fill=mirror)


def _lens(c: Canvas, cx: float, cy: float, r: float, ring: str) -> None:
    c.circle(cx, cy, r, fill="#17181b", stroke=ring, stroke_width=max(1, r * 0.2))
    c.circle(cx, cy, r * 0.5, fill="#2a3550")


def _tablet_front(c: Canvas, x: float, y: float, w: float, h: float, r: float, look, body):
    c.rect(x, y, w, h, r, fill=c.body(body), stroke=edge(body))
    glass = look.get("glass", SCREEN)
    c.rect(x + 2, y + 2, w - 4, h - 4, r - 2, fill=glass)
    unit = min(w, h)
    if look["front"] == "home":
        side, top = unit * 0.06, h * 0.085
        _wallpaper(c, x + side, y + top, w - 2 * side, h - 2 * top, 0, look)
        c.circle(x + w / 2, y + h - top / 2, unit * 0.045, fill=glass, stroke="#6a6b70")
        c.circle(x + w / 2, y + top / 2, 2, fill="#34405a")
        screen = (x + side, y + top, w - 2 * side, h - 2 * top)
    else:
        bezel = unit * look.get("bezel", 0.045)
        screen = (x + bezel, y + bezel, w - 2 * bezel, h - 2 * bezel)
        _wallpaper(c, *screen, max(1, r - bezel), look)
        if look.get("front_camera") == "long-edge":
            c.circle(x + w - bezel / 2, y + h / 2, 1.8, fill="#34405a")
        else:
            c.circle(x + w / 2, y + bezel / 2, 1.8, fill="#34405a")
    sx, sy, sw, sh = screen
    columns = 6 if sw > sh else 5
    cell = sw / columns
    icon = f'<rect x="{num(cell * 0.24)}" y="{num(cell * 0.24)}" width="{num(cell * 0.52)}"'
    icon += f' height="{num(cell * 0.52)}" rx="{num(cell * 0.13)}" fill="#fff" fill-opacity=".38"/>'
    grid_h = min(sh * 0.55, cell * 4)
    c.rect(sx, sy + cell * 0.3, sw, grid_h, fill=c.pattern(sx, sy + cell * 0.3, cell, cell, icon))
    c.rect(
        sx + sw * 0.2,
        sy + sh - cell * 0.95,
        sw * 0.6,
        cell * 0.75,
        cell * 0.2,
        fill="#fff",
        opacity=0.22,
    )
