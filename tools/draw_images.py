"""Draw the bundled example illustrations (flat-colour art, no real people) reproducibly.

Run `python assets/images/draw.py` to rebuild them; they are referenced as asset:NAME in example data.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

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


def photo_like(seed: int, width: int = 1900, height: int = 2650) -> Image.Image:
    """A soft, grainy abstract 'photograph' (for testing how photos embed and print), not a real scene.

    1900 × 2650 px covers a full A5 page with bleed (154 × 216 mm) at just over 300 ppi.
    """
    rng = random.Random(seed)
    small = Image.new("RGB", (16, 22))
    base = PALETTE[seed % len(PALETTE)]
    for x in range(16):
        for y in range(22):
            shade = rng.uniform(0.55, 1.15)
            small.putpixel((x, y), tuple(min(255, int(c * shade)) for c in base))
    image = small.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(40))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(image, noise, 0.08)


if __name__ == "__main__":
    round_table().save(HERE / "round-table.png", optimize=True)
    for number in (1, 2, 3):
        photo_like(number).save(HERE / f"texture-{number}.jpg", quality=88, optimize=True)
    print("drew", *sorted(p.name for p in HERE.glob("*.png")), *sorted(p.name for p in HERE.glob("*.jpg")))
