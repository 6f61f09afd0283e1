"""A contact sheet of every person of every library scenario at every expression, to check by eye.

    python bench/portrait_sheet.py [--out docs/screenshots/portraits.png] [--size 96] [--scenario ID ...]

One row per person: name, scenario and what their look was read as, then the face at each expression.
Look at every row before a release: no caricature, and nothing the description does not say.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "portraits.png")
    ap.add_argument("--size", type=int, default=96)
    ap.add_argument("--scenario", action="append", default=[])
    a = ap.parse_args()
    pygame.display.init()
    pygame.font.init()
    from game.content.library import load_library
    from game.ui import portraits
    from game.ui.appearance import look
    from game.ui.feelings import EXPRESSIONS
    from game.ui.text import Text
    from game.ui.theme import STANDARD

    lib = load_library(env={})
    people = [(s.id, p) for s in lib.scenarios.values() if not a.scenario or s.id in a.scenario
              for p in s.people.values()]
    text = Text()
    S, label_w, gap = a.size, 430, 6
    head = 28
    sheet = pygame.Surface((label_w + len(EXPRESSIONS) * (S + gap), head + len(people) * (S + gap)))
    sheet.fill(STANDARD.bg)
    for i, expr in enumerate(EXPRESSIONS):
        sheet.blit(text.render(expr, 12, STANDARD.text, True), (label_w + i * (S + gap), 8))
    for row, (sid, person) in enumerate(people):
        y = head + row * (S + gap)
        lk = look(person)
        lines = [f"{person.name}  ({sid})",
                 f"{lk.presents}, {lk.age}, skin {lk.skin}, hair {lk.hair} {lk.hair_colour}",
                 f"{lk.clothing} {lk.clothing_colour}" + (", glasses" if lk.glasses else "")
                 + ("" if lk.head_covering == "none" else f", {lk.head_covering}")
                 + ("" if lk.facial_hair == "none" else f", {lk.facial_hair}")]
        for j, line in enumerate(lines):
            sheet.blit(text.render(line, 14, STANDARD.text if j == 0 else STANDARD.muted, j == 0), (6, y + 6 + j * 20))
        for i, expr in enumerate(EXPRESSIONS):
            img = portraits.render(person, expr, S)
            box = pygame.Rect(label_w + i * (S + gap), y, S, S)
            pygame.draw.rect(sheet, STANDARD.panel_alt, box, border_radius=8)
            if img is not None:
                sheet.blit(img, box)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(sheet, str(a.out))
    print(f"{a.out}: {len(people)} people x {len(EXPRESSIONS)} expressions")


if __name__ == "__main__":
    main()
