"""Draw the bundled example illustrations (flat-colour art, no real people) reproducibly.

Run `python tools/draw_images.py` to rebuild them; they are referenced as asset:NAME in example data.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

# The package's bundled images, which this script draws (commit what it draws).
HERE = Path(__file__).resolve().parent.parent / "src" / "labdocs" / "render" / "assets" / "images"
SCALE = 3  # drawn large, then reduced, for smooth edges
INK = (11, 79, 108)
PALETTE = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (213, 94, 0), (204, 121, 167), (240, 228, 66),
           (0, 114, 178), (120, 94, 240)]


def round_table(width: int = 1800, height: int = 1200) -> Image.Image:
    """Eight people (as simple figures) around a round table, speech bubbles above some of them."""
    big = Image.new("RGB", (width * SCALE, height * SCALE), (246, 241, 231))
    draw = ImageDraw.Draw(big)
    cx, cy = big.width // 2, int(big.height * 0.56)
    table_r = int(big.height * 0.2)
    seat_r = int(table_r * 1.75)
    for i in range(8):
        angle = math.pi * 2 * i / 8 - math.pi / 2
        x, y = cx + seat_r * math.cos(angle), cy + seat_r * 0.62 * math.sin(angle)
        colour = PALETTE[i]
        body = table_r * 0.34
        draw.ellipse((x - body, y - body * 0.2, x + body, y + body * 1.6), fill=colour)
        head = body * 0.55
        draw.ellipse((x - head, y - body * 1.25, x + head, y - body * 0.15), fill=(92, 64, 51) if i % 3 else
                     (241, 194, 125))
        if i in (0, 3, 5):
            bx, by = x + body * 0.6, y - body * 2.6
            draw.rounded_rectangle((bx, by, bx + body * 2.2, by + body * 1.1), radius=int(body * 0.3),
                                   fill="white", outline=INK, width=SCALE * 3)
            for line in range(2):
                ly = by + body * (0.35 + 0.35 * line)
                draw.line((bx + body * 0.3, ly, bx + body * (1.9 - 0.5 * line), ly), fill=INK, width=SCALE * 4)
    draw.ellipse((cx - table_r * 1.5, cy - table_r * 0.9, cx + table_r * 1.5, cy + table_r * 0.9), fill=INK)
    draw.ellipse((cx - table_r * 1.42, cy - table_r * 0.84, cx + table_r * 1.42, cy + table_r * 0.78),
                 fill=(20, 104, 140))
    for i in range(5):
        px = cx - table_r * 0.8 + i * table_r * 0.4
        draw.rectangle((px, cy - table_r * 0.2, px + table_r * 0.25, cy + table_r * 0.12), fill="white")
    return big.resize((width, height), Image.Resampling.LANCZOS)


# Full-page illustrations: 1900 × 2650 px covers a full A5 page with bleed (154 × 216 mm) at just over 300 ppi.
# They are drawn on a grid 100 units wide and 139.5 high (the page's shape), SCALE times larger, then reduced.
# Captions sit in solid bands (the cover's words at its foot, a band near the bottom of a full-page picture),
# so each picture keeps its subject in the upper four fifths.
PAGE = (1900, 2650)
SKY = (214, 234, 244)
PAPER = (246, 241, 231)
LEAF, DARK_LEAF = (0, 158, 115), (0, 112, 84)
WOOD, DARK_WOOD = (170, 114, 66), (120, 78, 44)
SKIN = ((92, 64, 51), (241, 194, 125), (198, 134, 66))


class Canvas:
    """A drawing surface in page units (100 wide), so shapes keep their proportions at any size."""

    def __init__(self, background: tuple[int, int, int], size: tuple[int, int] = PAGE) -> None:
        self.size = size
        self.image = Image.new("RGB", (size[0] * SCALE, size[1] * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)
        self.unit = self.image.width / 100
        self.height = self.image.height / self.unit

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * self.unit, y0 * self.unit, x1 * self.unit, y1 * self.unit)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Any, radius: float = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(self.box(x0, y0, x1, y1), radius=int(radius * self.unit), fill=fill)
        else:
            self.draw.rectangle(self.box(x0, y0, x1, y1), fill=fill)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill: Any) -> None:
        self.draw.ellipse(self.box(x0, y0, x1, y1), fill=fill)

    def circle(self, x: float, y: float, r: float, fill: Any) -> None:
        self.ellipse(x - r, y - r, x + r, y + r, fill)

    def polygon(self, points: list[tuple[float, float]], fill: Any) -> None:
        self.draw.polygon([(x * self.unit, y * self.unit) for x, y in points], fill=fill)

    def line(self, points: list[tuple[float, float]], fill: Any, width: float) -> None:
        self.draw.line([(x * self.unit, y * self.unit) for x, y in points], fill=fill,
                       width=max(1, int(width * self.unit)), joint="curve")

    def turned(self, cx: float, cy: float, w: float, h: float, degrees: float, fill: Any) -> None:
        """A w × h rectangle centred on (cx, cy), turned by `degrees`."""
        a = math.radians(degrees)
        corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
        self.polygon([(cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
                      for x, y in corners], fill)

    def done(self) -> Image.Image:
        return self.image.resize(self.size, Image.Resampling.LANCZOS)


def scribble(c: Canvas, x0: float, y0: float, width: float, lines: int, gap: float, fill: Any,
             weight: float = 0.5, seed: int = 0) -> None:
    """Lines of handwriting, suggested (no letters): short strokes of varying length."""
    rng = random.Random(seed)
    for n in range(lines):
        y = y0 + n * gap
        c.line([(x0, y), (x0 + width * rng.uniform(0.55, 1.0), y)], fill, weight)


def figure(c: Canvas, x: float, foot: float, height: float, colour: Any, skin: Any) -> None:
    """A person as simple shapes, as in round_table: a rounded body and a round head."""
    body_w = height * 0.42
    c.rect(x - body_w / 2, foot - height * 0.72, x + body_w / 2, foot, colour, radius=body_w * 0.45)
    head = height * 0.15
    c.circle(x, foot - height * 0.84, head, skin)


def tree(c: Canvas, x: float, foot: float, size: float) -> None:
    c.rect(x - size * 0.08, foot - size * 0.9, x + size * 0.08, foot, DARK_WOOD)
    for dx, dy, r, colour in ((-0.3, -1.05, 0.38, DARK_LEAF), (0.3, -1.1, 0.38, DARK_LEAF),
                              (0, -1.35, 0.45, LEAF), (-0.2, -0.95, 0.3, LEAF), (0.25, -0.9, 0.28, LEAF)):
        c.circle(x + dx * size, foot + dy * size, r * size, colour)


def house(c: Canvas, x0: float, x1: float, foot: float, top: float, wall: Any, door: Any, seed: int) -> None:
    """One terraced house: wall, pitched roof with a chimney, two windows up, one down, a door."""
    w = x1 - x0
    c.rect(x0 + w * 0.62, top - w * 0.5, x0 + w * 0.78, top - w * 0.15, (150, 70, 40))
    c.polygon([(x0 - w * 0.04, top), (x0 + w * 0.5, top - w * 0.42), (x1 + w * 0.04, top)], (70, 62, 74))
    c.rect(x0, top, x1, foot, wall)
    window = (250, 246, 226)
    for wx in (0.14, 0.56):
        c.rect(x0 + w * wx - 0.4, top + w * 0.18 - 0.4, x0 + w * (wx + 0.3) + 0.4, top + w * 0.58 + 0.4, INK)
        c.rect(x0 + w * wx, top + w * 0.18, x0 + w * (wx + 0.3), top + w * 0.58, window)
        c.rect(x0 + w * (wx + 0.14), top + w * 0.18, x0 + w * (wx + 0.16), top + w * 0.58, INK)
    left = seed % 2 == 0
    dx = 0.14 if left else 0.56
    c.rect(x0 + w * dx, foot - w * 0.78, x0 + w * (dx + 0.3), foot, door, radius=w * 0.04)
    c.circle(x0 + w * (dx + 0.24), foot - w * 0.4, w * 0.025, (240, 228, 66))
    wx = 0.56 if left else 0.14
    c.rect(x0 + w * wx - 0.4, foot - w * 0.72 - 0.4, x0 + w * (wx + 0.3) + 0.4, foot - w * 0.3 + 0.4, INK)
    c.rect(x0 + w * wx, foot - w * 0.72, x0 + w * (wx + 0.3), foot - w * 0.3, window)


def bunting(c: Canvas, start: tuple[float, float], end: tuple[float, float], sag: float, flags: int) -> None:
    (x0, y0), (x1, y1) = start, end
    points = [(x0 + (x1 - x0) * t / 40, y0 + (y1 - y0) * t / 40 + sag * 4 * (t / 40) * (1 - t / 40))
              for t in range(41)]
    c.line(points, INK, 0.25)
    for n in range(flags):
        t = (n + 0.5) / flags
        x = x0 + (x1 - x0) * t
        y = y0 + (y1 - y0) * t + sag * 4 * t * (1 - t)
        size = 1.6
        c.polygon([(x - size, y), (x + size, y), (x, y + size * 2.2)], PALETTE[n % len(PALETTE)])


def street() -> Image.Image:
    """A street of terraced houses and, in the middle, the community hall with its doors open and bunting out."""
    c = Canvas(SKY)
    foot = 84.0
    c.circle(80, 17, 8, (240, 228, 66))
    for cx, cy, s in ((20, 15, 1.0), (33, 31, 0.75)):
        for dx, dy, r in ((-5, 1, 4), (0, -1.5, 5.5), (5.5, 1, 4.2), (0, 2, 4.5)):
            c.circle(cx + dx * s, cy + dy * s, r * s, "white")
    # The hall: wider and taller than the houses, a pediment, a sign, a clock, steps up to open doors.
    hall = (31, 69)
    top = 46.0
    c.line([(50, top - 24), (50, top - 11)], INK, 0.45)  # a flag on the pediment
    c.polygon([(50.2, top - 24), (57.5, top - 22), (50.2, top - 20)], (213, 94, 0))
    c.polygon([(hall[0] - 2, top), (50, top - 12), (hall[1] + 2, top)], INK)
    c.polygon([(hall[0] + 2, top - 1.2), (50, top - 10.2), (hall[1] - 2, top - 1.2)], (20, 104, 140))
    c.circle(50, top - 4.6, 2.6, PAPER)
    c.line([(50, top - 4.6), (50, top - 6.6)], INK, 0.35)
    c.line([(50, top - 4.6), (51.4, top - 4.0)], INK, 0.35)
    c.rect(hall[0], top, hall[1], foot, (236, 223, 196))
    c.rect(hall[0], top, hall[1], top + 2, INK)
    for x in (hall[0] + 1.5, hall[1] - 4.5):  # pilasters
        c.rect(x, top + 2, x + 3, foot - 3, (222, 205, 170))
    c.rect(40, top + 4, 60, top + 10, "white", radius=0.8)
    c.rect(40, top + 4, 60, top + 4.6, (0, 158, 115))
    scribble(c, 42.5, top + 6.4, 15, 2, 2.0, INK, weight=0.7, seed=3)
    for wx in (35, 59.5):
        c.rect(wx - 0.4, top + 13 - 0.4, wx + 5.9, top + 24.4, INK)
        c.rect(wx, top + 13, wx + 5.5, top + 24, (250, 246, 226))
        c.ellipse(wx, top + 11, wx + 5.5, top + 16, (250, 246, 226))
    c.rect(42, top + 14, 58, foot - 3, INK, radius=1)
    c.rect(43, top + 15, 57, foot - 3, (250, 214, 120), radius=0.8)  # light through the open doors
    c.rect(43, top + 15, 45.5, foot - 3, (20, 104, 140))
    c.rect(54.5, top + 15, 57, foot - 3, (20, 104, 140))
    for n, width in enumerate((22, 26, 30)):
        c.rect(50 - width / 2, foot - 3 + n, 50 + width / 2, foot - 2 + n, (190, 182, 170) if n % 2 else
               (206, 199, 188))
    # The terraces either side.
    walls = [(230, 159, 0), (204, 121, 167), (86, 180, 233), (240, 228, 66), (0, 158, 115), (213, 94, 0)]
    doors = [INK, (120, 94, 240), (213, 94, 0), (0, 114, 178), (204, 121, 167), (0, 114, 178)]
    for n, (x0, x1) in enumerate(((-4, 7.5), (7.5, 19), (19, 30.5), (69.5, 81), (81, 92.5), (92.5, 104))):
        house(c, x0, x1, foot - 0.5, foot - 27 + (n % 2) * 2.5, walls[n], doors[n], n)
    bunting(c, (4, 56), (31, 50), 4, 8)
    bunting(c, (69, 50), (96, 56), 4, 8)
    # Pavement, kerb, road; trees, a bench, planters, and neighbours heading in.
    c.rect(0, foot, 100, 97, (206, 199, 188))
    for x in range(0, 100, 8):
        c.line([(x, foot), (x - 3, 97)], (190, 182, 170), 0.25)
    c.rect(0, 97, 100, 99, (160, 152, 142))
    c.rect(0, 99, 100, 127, (74, 82, 92))
    c.rect(0, 127, 100, 129, (160, 152, 142))  # the near kerb and pavement, with a low hedge
    c.rect(0, 129, 100, c.height, (206, 199, 188))
    for n, x in enumerate(range(-2, 104, 6)):
        c.circle(x, 136, 3.6, DARK_LEAF if n % 2 else LEAF)
    for x in range(-2, 100, 14):
        if not 30 < x < 63:
            c.rect(x, 112, x + 7, 113.6, "white")
    for n in range(4):  # a zebra crossing over to the hall
        c.rect(38, 101.6 + n * 6.2, 62, 104.4 + n * 6.2, "white")
    tree(c, 10, 95, 11)
    tree(c, 90, 95, 11)
    c.rect(20, 88, 28, 89.3, WOOD)  # a bench
    c.rect(20, 85.2, 28, 86.4, WOOD)
    c.rect(20.8, 89.3, 21.6, 92, DARK_WOOD)
    c.rect(26.4, 89.3, 27.2, 92, DARK_WOOD)
    for x in (72, 79):
        c.rect(x, 88, x + 5, 93, DARK_WOOD)
        for dx, colour in ((1, (213, 94, 0)), (2.5, (204, 121, 167)), (4, (240, 228, 66))):
            c.circle(x + dx, 87.6, 1.1, LEAF)
            c.circle(x + dx, 86.6, 0.7, colour)
    figure(c, 45.5, 90, 9, (213, 94, 0), SKIN[0])
    figure(c, 54, 91, 8.5, (120, 94, 240), SKIN[1])
    figure(c, 62.5, 92.5, 6.5, (0, 158, 115), SKIN[2])
    return c.done()


def sunflower(c: Canvas, x: float, top: float, foot: float, size: float) -> None:
    c.line([(x, foot), (x, top)], DARK_LEAF, size * 0.22)
    for side, y in ((-1, top + (foot - top) * 0.45), (1, top + (foot - top) * 0.65)):
        c.ellipse(x + side * size * 0.9 - size * 0.9, y - size * 0.4, x + side * size * 0.9 + size * 0.9,
                  y + size * 0.4, LEAF)
    for n in range(12):
        a = math.pi * 2 * n / 12
        c.circle(x + math.cos(a) * size * 0.95, top + math.sin(a) * size * 0.95, size * 0.5, (240, 200, 40))
    c.circle(x, top, size * 0.7, (120, 78, 44))


def planter(c: Canvas, x0: float, x1: float, top: float, depth: float, seed: int) -> None:
    """A raised wooden bed, planted: soil, a row of leafy plants, a few in flower."""
    rng = random.Random(seed)
    c.rect(x0, top - depth * 0.18, x1, top + depth * 0.1, (92, 64, 51))  # soil showing above the boards
    count = max(3, int((x1 - x0) / (depth * 0.7)))
    step = (x1 - x0) / count
    for n in range(count):
        x = x0 + step * (n + 0.5)
        r = depth * rng.uniform(0.26, 0.36)
        kind = n % 3
        if kind == 0:  # a lettuce or cabbage
            c.circle(x, top - r * 0.6, r, DARK_LEAF)
            c.circle(x, top - r * 0.75, r * 0.62, LEAF)
        elif kind == 1:  # a tall leafy plant in flower
            c.line([(x, top), (x, top - r * 2.6)], DARK_LEAF, r * 0.16)
            for dy in (0.9, 1.6):
                c.ellipse(x - r * 0.9, top - r * dy - r * 0.25, x, top - r * dy + r * 0.25, LEAF)
                c.ellipse(x, top - r * (dy + 0.3) - r * 0.25, x + r * 0.9, top - r * (dy + 0.3) + r * 0.25, LEAF)
            c.circle(x, top - r * 2.7, r * 0.45, PALETTE[rng.choice((3, 4, 5, 7))])
        else:  # carrot tops
            for dx in (-0.35, 0, 0.35):
                c.polygon([(x + dx * r - r * 0.14, top), (x + dx * r * 2.2, top - r * 1.7),
                           (x + dx * r + r * 0.14, top)], LEAF)
    c.rect(x0, top, x1, top + depth, WOOD)
    for n in range(1, 3):
        y = top + depth * n / 3
        c.line([(x0, y), (x1, y)], DARK_WOOD, depth * 0.04)
    c.rect(x0, top, x0 + depth * 0.12, top + depth, DARK_WOOD)
    c.rect(x1 - depth * 0.12, top, x1, top + depth, DARK_WOOD)


def watering_can(c: Canvas, x: float, foot: float, size: float) -> None:
    colour = (0, 114, 178)
    c.line([(x + size * 0.8, foot - size * 0.35), (x + size * 1.5, foot - size * 1.05)], colour, size * 0.14)
    c.ellipse(x + size * 1.38, foot - size * 1.2, x + size * 1.72, foot - size * 0.92, colour)
    c.draw.arc(c.box(x - size * 0.55, foot - size * 1.25, x + size * 0.25, foot - size * 0.35), 90, 270,
               fill=colour, width=int(size * 0.14 * c.unit))
    c.rect(x - size * 0.6, foot - size * 0.95, x + size * 0.85, foot, colour, radius=size * 0.12)
    c.rect(x - size * 0.45, foot - size * 1.1, x + size * 0.5, foot - size * 0.92, (0, 90, 140), radius=size * 0.05)


def spade(c: Canvas, x: float, soil: float, height: float) -> None:
    c.rect(x - height * 0.025, soil - height, x + height * 0.025, soil, WOOD)
    c.rect(x - height * 0.1, soil - height - height * 0.04, x + height * 0.1, soil - height + height * 0.03,
           DARK_WOOD, radius=height * 0.02)
    c.polygon([(x - height * 0.11, soil - height * 0.18), (x + height * 0.11, soil - height * 0.18),
               (x + height * 0.1, soil + height * 0.02), (x - height * 0.1, soil + height * 0.02)], (150, 160, 168))


def cupped_hands(c: Canvas, x: float, y: float, size: float) -> None:
    """Two hands, side by side and cupped, holding soil and a seedling: simple shapes, nobody's likeness."""
    bowl = c.box(x - size, y - size * 0.8, x + size, y + size * 0.8)
    for side, skin, sleeve in ((-1, SKIN[2], (204, 121, 167)), (1, SKIN[1], (0, 114, 178))):
        c.polygon([(x + side * size * 0.02, y + size * 0.5), (x + side * size * 0.8, y + size * 0.3),
                   (x + side * size * 0.95, c.height + 1), (x + side * size * 0.12, c.height + 1)], skin)  # wrists
        c.polygon([(x + side * size * 0.08, y + size * 1.35), (x + side * size * 0.88, y + size * 1.2),
                   (x + side * size * 1.02, c.height + 1), (x + side * size * 0.16, c.height + 1)], sleeve)
        c.draw.pieslice(bowl, 0 if side > 0 else 90, 90 if side > 0 else 180, fill=skin)
    c.line([(x, y), (x, y + size * 0.8)], (60, 40, 30), size * 0.03)
    c.draw.chord(c.box(x - size * 0.86, y - size * 0.34, x + size * 0.86, y + size * 0.34), 180, 360,
                 fill=(92, 64, 51))  # the soil, heaped in the hands
    for side, skin in ((-1, SKIN[2]), (1, SKIN[1])):
        crease = tuple(max(0, v - 45) for v in skin)
        for n in range(3):  # the fingers, curled up at the outer edge of each hand
            a = math.radians(8 + n * 13)
            fx, fy = x + side * size * math.cos(a), y + size * 0.8 * math.sin(a)
            c.line([(fx - side * size * 0.22 * math.cos(a), fy - size * 0.18 * math.sin(a)), (fx, fy)], crease,
                   size * 0.025)
        c.circle(x + side * size * 0.93, y - size * 0.04, size * 0.11, skin)  # fingertips over the rim
        inner, outer = x + side * size * 0.06, x + side * size * 0.7  # the thumb, along the rim
        c.ellipse(min(inner, outer), y - size * 0.1, max(inner, outer), y + size * 0.1, skin)
    c.line([(x, y - size * 0.3), (x, y - size * 1.0)], DARK_LEAF, size * 0.05)  # the seedling
    c.ellipse(x - size * 0.5, y - size * 1.1, x, y - size * 0.85, LEAF)
    c.ellipse(x, y - size * 1.25, x + size * 0.55, y - size * 0.97, LEAF)


def garden() -> Image.Image:
    """A community garden: raised beds along a path, sunflowers by the fence, tools, a seedling in cupped hands."""
    c = Canvas(SKY)
    c.circle(20, 15, 7.5, (240, 228, 66))
    for cx, cy in ((62, 13), (86, 24)):
        for dx, dy, r in ((-4, 1, 3.4), (0, -1.2, 4.6), (4.5, 1, 3.6), (0, 1.8, 3.8)):
            c.circle(cx + dx, cy + dy, r, "white")
    for x0, x1, top, colour in ((-2, 18, 34, (160, 170, 190)), (18, 34, 37, (176, 160, 180)),
                                (66, 86, 33, (150, 178, 186)), (86, 104, 36, (176, 166, 150))):
        c.polygon([(x0, top), ((x0 + x1) / 2, top - 6), (x1, top)], (120, 120, 140))
        c.rect(x0, top, x1, 46, colour)
    c.rect(0, 46, 100, c.height, (150, 198, 108))  # grass
    c.rect(0, 40.5, 100, 42, (212, 196, 168))  # the fence's rails, then its boards
    c.rect(0, 47, 100, 48.5, (212, 196, 168))
    for x in range(0, 100, 5):
        c.polygon([(x + 0.5, 39), (x + 2.4, 37.2), (x + 4.3, 39), (x + 4.3, 54), (x + 0.5, 54)], PAPER)
    c.rect(41, 40, 59, 48, "white", radius=0.8)  # the garden's sign on the fence
    c.rect(41, 40, 59, 41, LEAF)
    scribble(c, 43.5, 43.2, 13, 2, 2.4, INK, weight=0.7, seed=5)
    c.polygon([(44, 54), (56, 54), (74, c.height), (26, c.height)], (222, 205, 170))  # the path
    for n, (y, r) in enumerate(((60, 1.6), (70, 2.2), (83, 2.8), (98, 3.4))):
        c.ellipse(50 - r * 1.6 + (n % 2 - 0.5) * 3, y - r * 0.6, 50 + r * 1.6 + (n % 2 - 0.5) * 3, y + r * 0.6,
                  (200, 182, 150))
    sunflower(c, 8, 30, 54, 3.2)
    sunflower(c, 15.5, 36, 54, 2.6)
    sunflower(c, 91, 32, 54, 3.0)
    planter(c, 4, 38, 60, 7, 1)
    planter(c, 62, 96, 60, 7, 2)
    planter(c, -3, 36, 80, 10, 3)
    planter(c, 64, 103, 80, 10, 4)
    spade(c, 28, 80, 26)
    watering_can(c, 80, 104, 8)
    c.rect(70, 100, 73, 104.5, (213, 94, 0), radius=0.4)  # a plant pot, and a seedling waiting in it
    c.circle(71.5, 99, 1.5, LEAF)
    cupped_hands(c, 50, 100, 13)
    return c.done()


def sticky_note(c: Canvas, x: float, y: float, size: float, degrees: float, colour: Any, seed: int) -> None:
    c.turned(x + size * 0.05, y + size * 0.07, size, size, degrees, (190, 180, 160))
    c.turned(x, y, size, size, degrees, colour)
    a = math.radians(degrees)
    rng = random.Random(seed)
    for n in range(3):
        ly = -size * 0.22 + n * size * 0.2
        half = size * 0.34
        end = -half + 2 * half * rng.uniform(0.5, 1.0)
        points = [(-half, ly), (end, ly)]
        c.line([(x + px * math.cos(a) - py * math.sin(a), y + px * math.sin(a) + py * math.cos(a))
                for px, py in points], INK, size * 0.05)


def booklet(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    """An open zine lying on the table: two pages, a fold, a picture on the left page, words on the right."""
    c.polygon([(x - w - 0.8, y + 0.8), (x + w + 0.8, y + 0.8), (x + w + 1.6, y + h + 1.6), (x - w - 1.6, y + h + 1.6)],
              (150, 100, 60))
    c.polygon([(x - w, y), (x, y + 1), (x, y + h + 1), (x - w - 0.6, y + h)], (255, 253, 247))
    c.polygon([(x, y + 1), (x + w, y), (x + w + 0.6, y + h), (x, y + h + 1)], (250, 246, 236))
    c.line([(x, y + 1), (x, y + h + 1)], (200, 190, 170), 0.35)
    c.rect(x - w * 0.85, y + h * 0.12, x - w * 0.12, y + h * 0.55, (86, 180, 233))
    c.polygon([(x - w * 0.85, y + h * 0.55), (x - w * 0.6, y + h * 0.3), (x - w * 0.4, y + h * 0.45),
               (x - w * 0.25, y + h * 0.36), (x - w * 0.12, y + h * 0.47), (x - w * 0.12, y + h * 0.55)], LEAF)
    c.circle(x - w * 0.28, y + h * 0.22, h * 0.06, (240, 228, 66))
    scribble(c, x - w * 0.85, y + h * 0.68, w * 0.7, 3, h * 0.1, (120, 120, 130), weight=0.45, seed=7)
    c.rect(x + w * 0.14, y + h * 0.12, x + w * 0.8, y + h * 0.2, (11, 79, 108))
    scribble(c, x + w * 0.14, y + h * 0.33, w * 0.7, 6, h * 0.1, (120, 120, 130), weight=0.45, seed=8)


def workshop() -> Image.Image:
    """A workshop wall covered in sticky notes under three headings, and a table with a new zine on it."""
    c = Canvas((232, 224, 208))
    c.rect(0, 0, 100, 4, (214, 204, 186))
    c.rect(5, 8, 95, 80, (150, 140, 130), radius=0.6)  # the board's frame, then the board
    c.rect(6, 9, 94, 79, (250, 250, 246), radius=0.4)
    rng = random.Random(13)
    colours = [(250, 226, 90), (246, 160, 190), (140, 200, 240), (150, 214, 150), (250, 180, 100)]
    for col, header in enumerate(((0, 114, 178), (0, 158, 115), (213, 94, 0))):
        cx = 21 + col * 29
        c.rect(cx - 11, 12, cx + 11, 19, header, radius=0.6)
        c.line([(cx - 7, 15.5), (cx + 5 - col * 2, 15.5)], "white", 1.1)
        if col:
            c.line([(cx - 14.5, 22), (cx - 14.5, 76)], (200, 200, 196), 0.3)
        for row in range(5):
            for side in (-1, 1):
                if (row, side, col) in ((4, 1, 0), (3, 1, 2), (4, 1, 2), (4, -1, 1)):
                    continue
                x = cx + side * 6.2 + rng.uniform(-0.8, 0.8)
                y = 28 + row * 11 + rng.uniform(-0.8, 0.8)
                sticky_note(c, x, y, 10, rng.uniform(-6, 6), rng.choice(colours), rng.randrange(1000))
                if rng.random() < 0.35:  # a vote sticker
                    c.circle(x + 3.2, y + 3, 1.1, rng.choice(((213, 94, 0), (0, 114, 178), (120, 94, 240))))
    c.line([(27, 39), (34, 39), (36, 36)], INK, 0.5)  # marker arrows joining ideas across the columns
    c.polygon([(35.0, 35.2), (37.6, 34.7), (36.8, 37.2)], INK)
    c.line([(56, 61), (64, 63), (66, 66)], INK, 0.5)
    c.polygon([(64.9, 66.0), (67.4, 67.0), (66.6, 64.7)], INK)
    c.rect(5, 80, 95, 81.5, (120, 110, 100))  # the board's ledge, with markers on it
    for n, colour in enumerate(((213, 94, 0), (0, 114, 178), (0, 158, 115))):
        c.rect(10 + n * 7, 78.2, 15.5 + n * 7, 80, colour, radius=0.5)
    c.rect(0, 90, 100, c.height, (196, 144, 92))  # the table
    c.rect(0, 90, 100, 92, (170, 114, 66))
    for y in (99, 108, 121, 132):
        c.line([(0, y), (100, y + 1.5)], (186, 134, 84), 0.35)
    booklet(c, 50, 94, 25, 21)
    for n in range(3):  # a stack of printed zines, folded
        c.rect(6, 104 - n * 1.6, 24, 105.4 - n * 1.6, (255, 253, 247) if n % 2 else (240, 236, 226))
    c.rect(6, 100.8 - 1.6, 24, 100.8, (11, 79, 108))
    c.rect(9, 99.6, 21, 99.9, (86, 180, 233))
    c.rect(80, 96, 88, 106, (204, 121, 167), radius=1.2)  # a mug
    c.draw.arc(c.box(86, 98, 92, 104), 270, 90, fill=(204, 121, 167), width=int(1.0 * c.unit))
    c.ellipse(80.3, 95.4, 87.7, 97.4, (150, 90, 60))
    c.turned(84, 113, 14, 2.2, -12, (0, 114, 178))  # pens
    c.turned(89.2, 111.9, 3, 2.2, -12, (11, 79, 108))
    c.turned(16, 114, 12, 2.0, 8, (213, 94, 0))
    c.turned(10.5, 113.2, 2.6, 2.0, 8, (120, 40, 10))
    return c.done()


if __name__ == "__main__":
    round_table().save(HERE / "round-table.png", optimize=True)
    for name, draw in (("street", street), ("garden", garden), ("workshop", workshop)):
        draw().save(HERE / f"{name}.jpg", quality=88, optimize=True)
    print("drew", *sorted(p.name for p in HERE.glob("*.png")), *sorted(p.name for p in HERE.glob("*.jpg")))
