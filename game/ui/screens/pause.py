"""The pause menu (Esc): resume, restart, settings, or quit to the picker (logged as abandoned)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.layout import Layout
from game.ui.run import Run
from game.ui.screens.base import Screen

if TYPE_CHECKING:
    from game.ui.app import App


class PauseScreen(Screen):
    name = "pause"
    overlay = True

    def __init__(self, app: App, run: Run):
        super().__init__(app)
        self.run = run

    def back(self) -> None:
        self.app.pop()

    def restart(self) -> None:
        """Start the scenario over: a finished log gets a new one; an open one records the restart."""
        app = self.app
        if self.run.session.finished:
            app.start(self.run.scenario, self.run.mode)
            return
        self.run.session.restart()
        self.run.snap_meters()
        app.show_scene(self.run)

    def settings(self) -> None:
        self.app.push_settings()

    def build(self, L: Layout) -> None:
        t = L.theme
        w = min(L.w - 2 * L.pad, round(520 * L.u))
        iw = w - 4 * L.pad
        items = (("resume", "Resume", self.back, "primary"),
                 ("restart", "Restart this scenario", self.restart, "normal"),
                 ("settings", "Settings", self.settings, "normal"),
                 ("quit", "Quit to scenarios", self.app.to_picker, "normal"))
        note = "Quitting now ends this session; it is saved as not finished."
        heights = [L.button_height(label, iw, bold=style == "primary") for _, label, _, style in items]
        h = L.line_h("h1", True) + L.gap * 2 + sum(heights) + L.gap * len(items) + L.measure(note, iw, "small") \
            + 4 * L.pad
        card = pygame.Rect((L.w - w) // 2, max(L.pad, (L.h - h) // 2), w, h)
        L.panel(card)
        x = card.x + 2 * L.pad
        y = card.y + 2 * L.pad
        y = L.add_text(x, y, iw, "Paused", card, kind="h1", bold=True, role="title").rect.bottom + L.gap * 2
        for (bid, label, action, style), bh in zip(items, heights):
            y = L.add_button(bid, pygame.Rect(x, y, iw, bh), label, action, style=style, center=True).rect.bottom
            y += L.gap
        L.add_text(x, y, iw, note, card, kind="small", color=t.muted, role="note")
