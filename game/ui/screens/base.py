"""What every screen shares: the build/draw contract, the header and footer, and the meters panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.layout import Layout

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.run import Run


class Screen:
    """A screen builds its :class:`Layout` on demand; the app draws it and routes input to it."""

    name = "screen"
    overlay = False
    """Drawn over the screen beneath it (the pause menu)."""
    scroll_keys = False
    default_focus: str | None = ""
    """Focus when the screen opens: "" means the first button, None means nothing until the trainee moves."""
    """Up and Down scroll the main scroll area instead of moving focus (screens that are mostly reading)."""

    def __init__(self, app: App):
        self.app = app
        self.layout: Layout | None = None
        self.focus: str | None = None
        self.offsets: dict[str, int] = {}
        self.dirty = True
        self.redraw = True
        self.static: pygame.Surface | None = None

    # --- hooks --------------------------------------------------------------------------------

    def build(self, L: Layout) -> None:
        raise NotImplementedError

    def on_key(self, event: pygame.event.Event) -> bool:
        """Screen-specific keys; return True when handled."""
        return False

    def on_text(self, text: str) -> None:
        """Typed text (only the sign-in screen takes any)."""

    def on_focus(self, bid: str) -> None:
        """Called when focus moves to a button."""

    def on_show(self) -> None:
        """Called when the screen comes (back) to the top."""

    def back(self) -> None:
        """Esc."""

    def update(self, dt: float) -> None:
        """Per-frame work; must stay cheap (no file I/O)."""

    def draw_static(self, surface: pygame.Surface) -> None:
        """Drawing beyond panels and text that changes only with the layout (portraits, score bars)."""

    def draw_live(self, surface: pygame.Surface) -> None:
        """What changes every frame (meters easing, the countdown), drawn over the cached layout."""

    def invalidate(self) -> None:
        self.dirty = True


def chrome(L: Layout, title: str, right: str = "", hint: str = "") -> pygame.Rect:
    """The header band and the key hint at the bottom; returns the content area between them."""
    t = L.theme
    head_h = L.line_h("h2", True) + 2 * L.gap
    band = pygame.Rect(0, 0, L.w, head_h)
    L.panel(band, t.panel, border=False)
    right_w = 0
    if right:
        right_w = min(L.text.width(right, L.px("small")) + 2, L.w // 3)
        L.add_text(L.w - L.pad - right_w, (head_h - L.line_h("small")) // 2, right_w, right, band, kind="small",
                   color=t.muted, role="header")
    title_w = L.w - 2 * L.pad - right_w - L.gap
    lines = L.text.wrap(title, L.px("h2"), title_w, True)
    kind = "h2" if len(lines) == 1 else "body"
    L.add_text(L.pad, (head_h - L.line_h(kind, True)) // 2, title_w, title if kind == "h2" else lines[0], band,
               kind=kind, bold=True, role="title")
    foot_h = L.line_h("small") + L.gap
    if hint:
        foot = pygame.Rect(0, L.h - foot_h, L.w, foot_h)
        L.add_text(L.pad, foot.y + (foot_h - L.line_h("small")) // 2, L.w - 2 * L.pad, hint, foot, kind="small",
                   color=t.muted, role="hint")
    return pygame.Rect(L.pad, head_h + L.pad, L.w - 2 * L.pad, L.h - head_h - foot_h - L.pad - (L.gap if hint else 0))


def meters_panel(L: Layout, run: Run, rect: pygame.Rect, title: str, hints: bool = True) -> int:
    """The subject's state: each meter as a label, a level word, a bar (drawn live) and which end is better.

    Returns the bottom of what was laid out. Bars are named ``meter:KEY`` in ``L.extras``.
    """
    t = L.theme
    x, w = rect.x + L.pad, rect.width - 2 * L.pad
    y = rect.y + L.pad
    y = L.add_text(x, y, w, title, rect, kind="large", bold=True, role="heading").rect.bottom + L.gap
    for key, label, word, _frac, good, better in run.meter_rows():
        label_w = min(L.text.width(label, L.px(), True) + 2, w // 2)
        head = L.add_text(x, y, label_w, label, rect, bold=True, role="meter")
        word_box = L.add_text(x + label_w + L.gap, y, w - label_w - L.gap, word.capitalize(), rect,
                              color=t.good if good else t.bad, role="meter-word", align="left")
        y = max(head.rect.bottom, word_box.rect.bottom) + round(6 * L.u)
        bar = pygame.Rect(x, y, w, max(8, round(12 * L.u)))
        L.extras[f"meter:{key}"] = bar
        y = bar.bottom + round(6 * L.u)
        if hints:
            y = L.add_text(x, y, w, better, rect, kind="small", color=t.muted, role="meter-hint").rect.bottom
        y += L.gap
    return y


def draw_meters(surface: pygame.Surface, L: Layout, run: Run) -> None:
    t = L.theme
    for key, _label, _word, frac, good, _better in run.meter_rows():
        bar = L.extras.get(f"meter:{key}")
        if bar is None:
            continue
        radius = bar.height // 2
        pygame.draw.rect(surface, t.track, bar, border_radius=radius)
        fill = bar.copy()
        fill.width = max(bar.height, round(bar.width * frac))
        pygame.draw.rect(surface, t.good if good else t.bad, fill, border_radius=radius)


def percent_text(p: float | None) -> str:
    return "-" if p is None else f"{p:g}%"
