"""Fonts from ``assets/fonts`` and caches for rendered text and wrapped lines.

Rendering text is the costliest thing a frame does, so every string is rendered once per
(text, size, weight, colour) and reused; wrapping is cached the same way. The caches are bounded
(least recently used goes first) so a long session cannot grow them without limit.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

from game.content.library import builtin_dir

FONT_FILES = {False: "AtkinsonHyperlegible-Regular.ttf", True: "AtkinsonHyperlegible-Bold.ttf"}
FALLBACK_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
"""For a line with a character Atkinson Hyperlegible has no glyph for (Vietnamese ị, ạ): drawn whole in DejaVu
Sans rather than with "missing glyph" boxes."""
MAX_SURFACES = 3000
MAX_WRAPS = 3000


def font_dir() -> Path:
    return builtin_dir("assets") / "fonts"


class Text:
    """Fonts by (size, bold), plus the render and wrap caches. One per window."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._fallbacks: dict[tuple[int, bool], pygame.font.Font] = {}
        self._glyphs: dict[tuple[str, bool], bool] = {}
        self._surfaces: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._wraps: OrderedDict[tuple, list[str]] = OrderedDict()
        self.renders = 0
        """How many times text was actually rendered (the cache missed); tests and the benchmark read it."""

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (max(6, size), bold)
        font = self._fonts.get(key)
        if font is None:
            path = font_dir() / FONT_FILES[bold]
            font = pygame.font.Font(str(path) if path.is_file() else None, key[0])
            self._fonts[key] = font
        return font

    def has_glyphs(self, text: str, bold: bool = False) -> bool:
        """Whether the main font draws every character (a missing one renders as its "not defined" box)."""
        for ch in set(text):
            if ord(ch) < 128 or ch.isspace():
                continue
            key = (ch, bold)
            if key not in self._glyphs:
                font = self.font(24, bold)

                def pixels(c: str, font: pygame.font.Font = font) -> bytes:
                    return pygame.image.tobytes(font.render(c, False, (255, 255, 255), (0, 0, 0)), "RGB")

                self._glyphs[key] = pixels(ch) != pixels("\U000f0000")
            if not self._glyphs[key]:
                return False
        return True

    def font_for(self, text: str, size: int, bold: bool = False) -> pygame.font.Font:
        """The main font, or the fallback for text with a character the main font lacks."""
        if self.has_glyphs(text, bold):
            return self.font(size, bold)
        key = (max(6, size), bold)
        font = self._fallbacks.get(key)
        if font is None:
            path = font_dir() / FALLBACK_FILES[bold]
            font = pygame.font.Font(str(path) if path.is_file() else None, key[0])
            self._fallbacks[key] = font
        return font

    def line_height(self, size: int, bold: bool = False) -> int:
        return round(self.font(size, bold).get_linesize() * 1.12)

    def render(self, text: str, size: int, color: tuple[int, int, int], bold: bool = False) -> pygame.Surface:
        key = (text, size, bold, color)
        surf = self._surfaces.get(key)
        if surf is not None:
            self._surfaces.move_to_end(key)
            return surf
        surf = self.font_for(text, size, bold).render(text, True, color)
        self.renders += 1
        self._surfaces[key] = surf
        if len(self._surfaces) > MAX_SURFACES:
            self._surfaces.popitem(last=False)
        return surf

    def width(self, text: str, size: int, bold: bool = False) -> int:
        return self.font_for(text, size, bold).size(text)[0]

    def wrap(self, text: str, size: int, width: int, bold: bool = False) -> list[str]:
        """Break text into lines no wider than ``width``; paragraphs (newlines) are kept, long words split."""
        key = (text, size, width, bold)
        lines = self._wraps.get(key)
        if lines is not None:
            self._wraps.move_to_end(key)
            return lines
        font = self.font_for(text, size, bold)
        lines = []
        for para in text.split("\n"):
            words = para.split()
            if not words:
                lines.append("")
                continue
            current = ""
            for word in words:
                trial = f"{current} {word}" if current else word
                if font.size(trial)[0] <= width:
                    current = trial
                    continue
                if current:
                    lines.append(current)
                current = word
                while font.size(current)[0] > width and len(current) > 1:  # a word wider than the box
                    cut = len(current) - 1
                    while cut > 1 and font.size(current[:cut])[0] > width:
                        cut -= 1
                    lines.append(current[:cut])
                    current = current[cut:]
            lines.append(current)
        self._wraps[key] = lines
        if len(self._wraps) > MAX_WRAPS:
            self._wraps.popitem(last=False)
        return lines
