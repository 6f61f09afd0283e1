"""Laid-out screens: panels, text boxes, buttons and scroll areas, built once and drawn many times.

A screen builds a :class:`Layout` when it changes (new node, resize, settings); each frame then only
blits. The layout is also what the tests read: every text box knows the panel it must stay inside,
so "nothing overflows its box" is a checkable property, not a hope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from game.ui.text import Text
from game.ui.theme import BASE_PX, Color, Theme

SIZES = {"small": 0.86, "body": 1.0, "large": 1.14, "h2": 1.3, "h1": 1.6, "title": 2.5}


@dataclass
class Scroll:
    """A viewport whose content may be taller than it; content rects are laid out at offset 0."""

    id: str
    view: pygame.Rect
    content_h: int = 0
    offset: int = 0

    @property
    def max_offset(self) -> int:
        return max(0, self.content_h - self.view.height)

    def clamp(self) -> None:
        self.offset = min(max(0, self.offset), self.max_offset)


@dataclass
class TextBox:
    rect: pygame.Rect
    panel: pygame.Rect
    """The box it must stay inside (shared, so a card that grows as it is filled is measured at its final size)."""
    text: str
    lines: list[str]
    size: int
    bold: bool
    color: Color
    line_h: int
    role: str = "text"
    scroll: Scroll | None = None
    align: str = "left"


@dataclass
class Panel:
    rect: pygame.Rect
    color: Color
    border: Color | None
    radius: int
    scroll: Scroll | None = None
    accent: Color | None = None
    """An optional coloured bar on the left edge (always paired with a word in the panel)."""


@dataclass
class Button:
    id: str
    rect: pygame.Rect
    action: Callable[[], None]
    texts: list[TextBox] = field(default_factory=list)
    key: str | None = None
    selected: bool = False
    scroll: Scroll | None = None
    style: str = "normal"
    """``normal``, ``primary`` (the main action) or ``row`` (a list item)."""
    back_action: Callable[[], None] | None = None
    """What a right click does (Settings: step the value back); None: right clicks are ignored."""

    def screen_rect(self) -> pygame.Rect:
        return self.rect.move(0, -self.scroll.offset) if self.scroll else self.rect


class Layout:
    """A screen's laid-out elements plus the measures every screen shares (unit, font sizes, padding)."""

    def __init__(self, size: tuple[int, int], theme: Theme, text: Text, scale: float):
        self.w, self.h = size
        self.theme = theme
        self.text = text
        self.scale = scale
        raw = min(self.w / 1280, self.h / 720)
        self.u = max(0.5, raw if raw <= 1 else raw ** 0.8)  # bigger screens show more, not just bigger
        self.pad = round(20 * self.u)
        self.gap = round(12 * self.u)
        self.radius = round(8 * self.u)
        self.btn_pad = round(8 * self.u)
        """Space above and below a button's label."""
        self.panels: list[Panel] = []
        self.texts: list[TextBox] = []
        self.buttons: list[Button] = []
        self.scrolls: dict[str, Scroll] = {}
        self.extras: dict[str, pygame.Rect] = {}
        """Named rects for what a screen draws live each frame (meters, countdown)."""

    # --- measures ---------------------------------------------------------------------------

    def px(self, kind: str = "body") -> int:
        factor = SIZES[kind] if kind in ("title", "h1") else SIZES[kind] * self.scale
        if kind in ("title", "h1"):  # headings grow with the text size too, but less
            factor *= 1 + (self.scale - 1) * 0.5
        return max(8, round(BASE_PX * self.u * factor))

    def line_h(self, kind: str = "body", bold: bool = False) -> int:
        return self.text.line_height(self.px(kind), bold)

    def measure(self, text: str, width: int, kind: str = "body", bold: bool = False) -> int:
        """Height the text takes when wrapped to ``width``."""
        return len(self.text.wrap(text, self.px(kind), width, bold)) * self.line_h(kind, bold)

    # --- building ---------------------------------------------------------------------------

    def scroll(self, sid: str, view: pygame.Rect, offset: int = 0) -> Scroll:
        s = Scroll(sid, view, 0, offset)
        self.scrolls[sid] = s
        return s

    def panel(self, rect: pygame.Rect, color: Color | None = None, *, border: bool = True,
              scroll: Scroll | None = None, accent: Color | None = None) -> Panel:
        p = Panel(pygame.Rect(rect), color or self.theme.panel, self.theme.border if border else None,
                  self.radius, scroll, accent)
        self.panels.append(p)
        return p

    def add_text(self, x: int, y: int, width: int, text: str, panel: pygame.Rect, *, kind: str = "body",
                 bold: bool = False, color: Color | None = None, role: str = "text", scroll: Scroll | None = None,
                 align: str = "left") -> TextBox:
        size = self.px(kind)
        lines = self.text.wrap(text, size, max(1, width), bold)
        lh = self.text.line_height(size, bold)
        box = TextBox(pygame.Rect(x, y, width, lh * len(lines)), panel, text, lines, size, bold,
                      color or self.theme.text, lh, role, scroll, align)
        self.texts.append(box)
        if scroll is not None:
            scroll.content_h = max(scroll.content_h, box.rect.bottom - scroll.view.y + self.pad)
        return box

    def add_button(self, bid: str, rect: pygame.Rect, label: str, action: Callable[[], None], *,
                   key: str | None = None, selected: bool = False, scroll: Scroll | None = None,
                   style: str = "normal", kind: str = "body", sub: str | None = None,
                   center: bool = False, back_action: Callable[[], None] | None = None) -> Button:
        """A button whose label wraps inside it; ``rect.height`` 0 means "as tall as the label needs"."""
        rect = pygame.Rect(rect)
        inner_x, inner_w = self.button_inner(rect, key)
        if rect.height == 0:
            rect.height = self.button_height(label, rect.width, key=key, kind=kind, sub=sub)
        btn = Button(bid, rect, action, [], key, selected, scroll, style, back_action)
        pad_y = self.btn_pad
        if key:
            kw = self.key_width()
            btn.texts.append(self.add_text(rect.x + self.gap, rect.y + pad_y, kw, key, rect, kind=kind, bold=True,
                                           role="key", scroll=scroll, align="center"))
        label_h = self.measure(label, inner_w, kind, bold=style == "primary")
        ly = rect.y + pad_y if not center else rect.y + (rect.height - label_h) // 2
        box = self.add_text(inner_x, ly, inner_w, label, rect, kind=kind, bold=style == "primary",
                            role="label", scroll=scroll, align="center" if center else "left")
        btn.texts.append(box)
        if sub:
            btn.texts.append(self.add_text(inner_x, box.rect.bottom + round(2 * self.u), inner_w, sub, rect,
                                           kind="small", role="sub", scroll=scroll, color=self.theme.muted))
        self.buttons.append(btn)
        if scroll is not None:
            scroll.content_h = max(scroll.content_h, rect.bottom - scroll.view.y + self.gap)
        return btn

    def key_width(self) -> int:
        return round(30 * self.u * (1 + (self.scale - 1) * 0.8))

    def button_inner(self, rect: pygame.Rect, key: str | None) -> tuple[int, int]:
        x = rect.x + self.gap + self.key_width() + self.gap if key else rect.x + round(16 * self.u)
        return x, rect.right - round(16 * self.u) - x

    def button_height(self, label: str, width: int, *, key: str | None = None, kind: str = "body",
                      sub: str | None = None, bold: bool = False) -> int:
        _, inner_w = self.button_inner(pygame.Rect(0, 0, width, 0), key)
        h = self.measure(label, inner_w, kind, bold) + 2 * self.btn_pad
        if sub:
            h += self.measure(sub, inner_w, "small") + round(2 * self.u)
        return h
