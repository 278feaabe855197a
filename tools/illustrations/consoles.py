"""Game consoles: a console with its controller, or a handheld with its controls."""

from __future__ import annotations

from tools.illustrations.palette import GLASS, accent
from tools.illustrations.svg import WIDTH, Canvas, d, edge, luminance, num, tone

FACE = ("#3fbf8f", "#e5484d", "#4a7fd8", "#e67fc4")  # PlayStation's triangle, circle, cross, square
ABXY = ("#42b94a", "#e3342f", "#2f7de1", "#f2c318")


def draw(c: Canvas, look: dict, body: str, color: str) -> None:
    """A console of this look in this finish."""
    kind = look["kind"]
    if kind == "ps5":
        _ps5(c, look, body)
        _pad(c, 352, 268, look.get("pad", "dualsense"), body)
    elif kind == "ps4":
        _ps4(c, look, body)
        _pad(c, 240, 270, "dualshock", body)
    elif kind == "xbox-x":
        _xbox_x(c, body)
        _pad(c, 350, 272, "xbox", body)
    elif kind == "xbox-s":
        _xbox_s(c, body)
        _pad(c, 350, 272, "xbox", body)
    elif kind == "switch":
        _switch(c, look, accent(look, "joycons", color) or [body, body])
    elif kind == "switch-lite":
        _switch_lite(c, body)
    else:
        _deck(c, look, body)


def _ps5(c: Canvas, look: dict, body: str) -> None:
    h, cx, bottom = look.get("height", 280), 150, 326
    top = bottom - h
    c.shadow(cx, bottom + 2, 80)
    flare, waist = look.get("flare", 44), look.get("waist", 24)
    core = 16
    c.rect(cx - core - 2, top + 10, 2 * core + 4, h - 22, 6, fill="#141416")
    c.line(cx - core, top + 14, cx - core, bottom - 16, stroke="#3b82f6", stroke_width=1.4)
    c.line(cx + core, top + 14, cx + core, bottom - 16, stroke="#3b82f6", stroke_width=1.4)
    for side in (-1, 1):
        inner = cx + side * core
        bulge = look.get("disc") and side == 1
        out_top, out_mid, out_bottom = (inner + side * v for v in (flare, waist, flare * 0.72))
        mid_y = top + h * 0.5
        lower = f"Q{num(out_mid + side * 26)} {num(bottom - h * 0.2)}" if bulge else ""
        lower += f" {num(out_bottom)} {num(bottom - 6)}" if bulge else ""
        d = (
            f"M{num(inner)} {num(top + 12)}L{num(out_top)} {num(top)}"
            f"Q{num(out_mid)} {num(top + h * 0.25)} {num(out_mid)} {num(mid_y)}"
            + (
                lower
                if bulge
                else f"Q{num(out_mid)} {num(bottom - h * 0.2)} {num(out_bottom)} {num(bottom - 6)}"
            )
            + f"L{num(inner)} {num(bottom - 18)}Z"
        )
        c.path(d, fill=c.body(body, side), stroke=edge(body), stroke_width=1.2)
        if look.get("split"):  # the Slim's glossy top panels
            c.line(
                inner, top + h * 0.3, out_mid + side * 4, top + h * 0.3 + 8, stroke=tone(body, -0.2)
            )
        if bulge:
            c.line(
                inner + 10,
                bottom - h * 0.28,
                inner + 10,
                bottom - 30,
                stroke="#1d1d20",
                stroke_width=2,
            )
    c.rect(cx - core - 6, bottom - 10, 2 * core + 12, 10, 4, fill="#1b1b1d")


def _ps4(c: Canvas, look: dict, body: str) -> None:
    layers = look.get("layers", 3)
    x0, y0, w, h, lean = 70, 58, 330, 34 if layers == 3 else 24, 26
    c.shadow(WIDTH / 2, y0 + layers * (h + 6) + 16, 190, 8)
    for i in range(layers):
        y = y0 + i * (h + 6)
        fill = c.body(body, 1) if i != 1 or layers != 3 else c.body(tone(body, -0.12), 1)
        c.path(
            f"M{x0 + lean} {y}H{x0 + w + lean}L{x0 + w} {y + h}H{x0}Z",
            fill=fill,
            stroke=edge(body),
            stroke_linejoin="round",
            stroke_width=1.2,
        )
    c.line(
        x0 + 60, y0 + h + 3, x0 + 240, y0 + h + 3, stroke="#2a6fdb", stroke_width=2.4, opacity=0.8
    )
    shape = (x0 + w + lean - 40, y0 + 12)  # the PlayStation shapes embossed on the top
    for dx in (0, 9, 18, 27):
        c.circle(
            shape[0] + dx, shape[1], 2.4, fill=tone(body, -0.2 if luminance(body) > 0.5 else 0.25)
        )


def _pad(c: Canvas, cx: float, cy: float, style: str, body: str) -> None:
    """A controller: DualSense (two-tone), DualShock 4 (light bar) or Xbox (offset sticks)."""
    shell = (
        "M-68-38C-94-38-102-8-100 14C-98 44-90 64-70 64C-54 64-46 42-30 32H30C46 42 54 64 70 64"
        "C90 64 98 44 100 14C102-8 94-38 68-38Z"
    )
    with c.group(transform=f"translate({num(cx)} {num(cy)})"):
        c.path(shell, fill=c.body(body), stroke=edge(body), stroke_width=1.4)
        dark = "#18181b" if style != "dualshock" or luminance(body) > 0.5 else tone(body, 0.2)
        if style == "dualsense":
            c.path("M-40-36H40L44 18Q30 30 0 30Q-30 30-44 18Z", fill="#1c1c1f")
            c.rect(-34, -40, 68, 34, 8, fill=body, stroke=edge(body))
            c.line(-36, -36, -36, -6, stroke="#3b82f6", stroke_width=2)
            c.line(36, -36, 36, -6, stroke="#3b82f6", stroke_width=2)
        elif style == "dualshock":
            c.rect(-32, -38, 64, 30, 6, fill=tone(body, -0.25), stroke=edge(body))
            c.line(-26, -38, 26, -38, stroke="#3b82f6", stroke_width=3, stroke_linecap="round")
        if style == "xbox":
            sticks, dpad, buttons = ((-40, -8), (22, 20)), (-22, 20), (40, -8)
            c.circle(0, -22, 8, fill=tone(body, 0.15), stroke="#8a8b8f", stroke_width=1.5)
            colors = ABXY
        else:
            sticks, dpad, buttons = ((-26, 14), (26, 14)), (-64, -10), (64, -10)
            c.circle(0, 20, 4, fill="#2a2a2e")
            colors = FACE
        for sx, sy in sticks:
            c.circle(sx, sy, 12, fill=dark, stroke="#55565b", stroke_width=2)
            c.circle(sx, sy, 6, fill=tone(dark, 0.15))
        c.path(f"M{dpad[0] - 4} {dpad[1] - 13}h8v9h9v8h-9v9h-8v-9h-9v-8h9z", fill=dark)
        for (dx, dy), color in zip(((0, -10), (10, 0), (0, 10), (-10, 0)), colors, strict=True):
            c.circle(buttons[0] + dx, buttons[1] + dy, 5.2, fill=dark)
            c.circle(buttons[0] + dx, buttons[1] + dy, 2, fill=color)


def _xbox_x(c: Canvas, body: str) -> None:
    c.shadow(150, 322, 90)
    c.path("M70 62L104 40H226L192 62Z", fill=tone(body, 0.12), stroke=edge(body))
    vent = '<circle cx="3" cy="3" r="1.6" fill="#0a0a0b"/>'
    c.ellipse(148, 51, 50, 9, fill=c.pattern(90, 40, 6, 6, vent))
    c.ellipse(148, 51, 40, 6, fill="#3ddc4a", opacity=0.35)
    c.path("M192 62L226 40V298L192 320Z", fill=tone(body, -0.15), stroke=edge(body))
    c.rect(70, 62, 122, 258, 3, fill=c.body(body), stroke=edge(body))
    c.circle(88, 80, 6, fill="none", stroke="#d7d8da", stroke_width=1.6)
    c.rect(80, 100, 3, 140, 1.5, fill="#0c0c0d")
    c.rect(82, 298, 9, 4, 1, fill="#0c0c0d")


def _xbox_s(c: Canvas, body: str) -> None:
    c.shadow(160, 318, 100)
    c.path("M62 108L170 82H236L128 108Z", fill=tone(body, -0.04), stroke=edge(body))
    c.path("M128 108L236 82V284L128 312Z", fill=c.body(tone(body, -0.06)), stroke=edge(body))
    grille = '<circle cx="2.5" cy="2.5" r="1.3" fill="#3a3a3d"/>'
    c.ellipse(182, 196, 38, 62, fill="#111113", transform="rotate(-8 182 196)")
    c.ellipse(
        182, 196, 32, 55, fill=c.pattern(150, 140, 5, 5, grille), transform="rotate(-8 182 196)"
    )
    c.rect(62, 108, 66, 204, 3, fill=c.body(body), stroke=edge(body))
    c.circle(78, 124, 5, fill="none", stroke="#9a9b9f", stroke_width=1.4)
    c.rect(72, 290, 9, 4, 1, fill="#333")


def _joycon(c: Canvas, x: float, y: float, w: float, h: float, color: str, left: bool) -> None:
    r = w * 0.85
    if left:  # rounded on the outside, square against the console
        shape = d("M", x + w, y, "H", x + r, "A", r, r, 0, 0, 0, x, y + r, "V", y + h - r)
        shape += d("A", r, r, 0, 0, 0, x + r, y + h, "H", x + w, "Z")
    else:
        shape = d("M", x, y, "H", x + w - r, "A", r, r, 0, 0, 1, x + w, y + r, "V", y + h - r)
        shape += d("A", r, r, 0, 0, 1, x + w - r, y + h, "H", x, "Z")
    c.path(shape, fill=c.body(color), stroke=edge(color), stroke_width=1.2)
    cx = x + w / 2
    stick_y, pad_y = (y + h * 0.3, y + h * 0.62) if left else (y + h * 0.62, y + h * 0.3)
    c.circle(cx, stick_y, w * 0.26, fill="#1d1d20", stroke="#444", stroke_width=2)
    for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0)):
        c.circle(cx + dx * w * 0.2, pad_y + dy * w * 0.2, w * 0.09, fill="#1d1d20")
    c.rect(cx - 4 if left else cx - 4, y + h * 0.85, 8, 8, 2 if left else 4, fill="#2a2a2d")


def _switch(c: Canvas, look: dict, joycons: list[str]) -> None:
    scale = 1.55
    w, h = look.get("tablet_mm", 173) * scale, 102 * scale
    jw = 36 * scale
    x, y = (WIDTH - w) / 2, 172 - h / 2
    c.shadow(WIDTH / 2, y + h + 12, 200)
    c.rect(x, y, w, h, 6, fill="#2b2c2f", stroke="#151517")
    bezel = look.get("bezel", 12)
    c.rect(x + bezel + 6, y + bezel, w - 2 * bezel - 12, h - 2 * bezel, 3, fill=GLASS)
    screen = c.gradient(
        [
            (0, look.get("wallpaper", ["#e60012", "#ff8a65"])[0]),
            (1, look.get("wallpaper", ["#e60012", "#ff8a65"])[1]),
        ],
        1,
        1,
    )
    c.rect(x + bezel + 10, y + bezel + 4, w - 2 * bezel - 20, h - 2 * bezel - 8, 2, fill=screen)
    _joycon(c, x - jw, y, jw, h, joycons[0], left=True)
    _joycon(c, x + w, y, jw, h, joycons[1], left=False)


def _switch_lite(c: Canvas, body: str) -> None:
    w, h = 333, 146
    x, y = (WIDTH - w) / 2, 172 - h / 2
    c.shadow(WIDTH / 2, y + h + 12, 190)
    c.rect(x, y, w, h, 52, fill=c.body(body), stroke=edge(body), stroke_width=1.3)
    c.rect(x + 74, y + 14, w - 148, h - 28, 6, fill="#1e1f22")
    c.rect(
        x + 84, y + 22, w - 168, h - 44, 2, fill=c.gradient([(0, "#ff6b6b"), (1, "#ffd166")], 1, 1)
    )
    c.circle(x + 38, y + 44, 15, fill="#1d1d20", stroke="#444", stroke_width=2)
    c.path(f"M{x + 34} {y + 76}h8v12h12v8h-12v12h-8v-12h-12v-8h12z", fill="#2a2a2d")
    for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0)):
        c.circle(x + w - 38 + dx * 12, y + 48 + dy * 12, 5.5, fill="#2a2a2d")
    c.circle(x + w - 38, y + 98, 15, fill="#1d1d20", stroke="#444", stroke_width=2)


def _deck(c: Canvas, look: dict, body: str) -> None:
    w, h = 432, 170
    x, y = (WIDTH - w) / 2, 180 - h / 2
    c.shadow(WIDTH / 2, y + h + 30, 200)
    grips = (
        f"M{x + 60} {y}H{x + w - 60}Q{x + w} {y} {x + w} {y + 60}V{y + h + 10}Q{x + w} {y + h + 34}"
        f" {x + w - 30} {y + h + 34}Q{x + w - 70} {y + h + 34} {x + w - 90} {y + h}H{x + 90}"
        f"Q{x + 70} {y + h + 34} {x + 30} {y + h + 34}Q{x} {y + h + 34} {x} {y + h + 10}V{y + 60}"
        f"Q{x} {y} {x + 60} {y}Z"
    )
    c.path(grips, fill=c.body(body), stroke=edge(body), stroke_width=1.3)
    bezel = look.get("bezel", 12)
    sw, sh = 222, 140
    sx, sy = x + (w - sw) / 2, y + (h - sh) / 2
    c.rect(sx, sy, sw, sh, 6, fill="#0b0b0c")
    top, bottom = look.get("wallpaper", ["#1b2838", "#66c0f4"])
    c.rect(
        sx + bezel,
        sy + bezel * 0.8,
        sw - 2 * bezel,
        sh - 1.6 * bezel,
        2,
        fill=c.gradient([(0, top), (1, bottom)], 1, 1),
    )
    for side in (-1, 1):
        mx = x + w / 2 + side * (sw / 2 + 52)
        c.circle(mx + side * -14, y + 40, 15, fill="#2b2c2f", stroke="#4a4b4f", stroke_width=2)
        c.rect(mx - 28, y + 82, 56, 56, 8, fill=tone(body, 0.08), stroke=tone(body, -0.3))
        if side < 0:
            c.path(f"M{mx - 46} {y + 28}h7v9h9v7h-9v9h-7v-9h-9v-7h9z", fill="#3a3b3f")
        else:
            for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0)):
                c.circle(mx + 34 + dx * 10, y + 40 + dy * 10, 4.6, fill="#3a3b3f")
