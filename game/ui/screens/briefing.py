"""The briefing before the first scene: where and when, what dispatch said, who you are; then how the
timers work. Shown once as a run starts, and again on demand (B) from the scene, with the clock stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine.rules import TIMER_FACTOR
from game.ui.layout import Layout
from game.ui.run import Run
from game.ui.screens.base import Screen, chrome

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "Enter begins  ·  Up and Down scroll  ·  Esc: back"
HINT_AGAIN = "Enter or Esc: back to the scene  ·  Up and Down scroll"


class BriefingScreen(Screen):
    name = "briefing"
    scroll_keys = True

    def __init__(self, app: App, run: Run, again: bool = False):
        super().__init__(app)
        self.run = run
        self.again = again
        """Opened from the scene (B): going back returns there instead of starting."""
        if not again:
            app.say(f"Briefing. {run.scenario.setting}")

    def begin(self) -> None:
        if self.again:
            self.app.pop()
        else:
            self.app.show_scene(self.run)

    def back(self) -> None:
        if self.again:
            self.app.pop()
        else:
            self.app.to_picker()

    def timers_text(self) -> str:
        app = self.app
        if TIMER_FACTOR[app.timers] is None:
            return ("Timers are off: where a moment is timed, letting it pass is offered as a choice, and there "
                    "is no countdown.")
        wpm = app.settings.words_per_minute
        slower = " Timers are set to slower, so every time limit is doubled." if app.timers == "slower" else ""
        return (f"Some moments are timed. You first get time to read everything on screen (at {wpm} words a "
                f"minute, your reading speed in Settings); then the countdown starts. The clock stops while the "
                f"pause menu or this briefing is open and while any choice is out of view. The last seconds show a "
                f"warning sign and a large number.{slower}")

    def build(self, L: Layout) -> None:
        t = L.theme
        run = self.run
        s = run.scenario
        area = chrome(L, s.title, "Practice mode" if run.mode == "practice" else "Exam mode",
                      HINT_AGAIN if self.again else HINT, run.banner)
        btn_h = L.button_height("Begin", 300, bold=True)
        w = min(area.width, round(900 * L.u))
        x = area.x + (area.width - w) // 2
        view = pygame.Rect(x - L.gap, area.y, w + 2 * L.gap, area.height - btn_h - L.gap * 2)
        scroll = L.scroll("briefing", view, self.offsets.get("briefing", 0))
        card = pygame.Rect(x, area.y, w - round(14 * L.u), 0)
        ix, iw = card.x + L.pad, card.width - 2 * L.pad
        y = card.y + L.pad
        y = L.add_text(ix, y, iw, "Briefing", card, kind="small", bold=True, color=t.accent, scroll=scroll,
                       role="heading").rect.bottom
        y = L.add_text(ix, y, iw, s.title, card, kind="h1", bold=True, scroll=scroll, role="title").rect.bottom + L.gap
        y = L.add_text(ix, y, iw, s.setting, card, kind="large", scroll=scroll, role="setting").rect.bottom + L.gap * 2
        mode = ("Practice: after each choice you see how it went and why." if run.mode == "practice" else
                "Exam: no feedback and no meters until the end; read the people as you would on the street.")
        for head, body in (("Mode", mode), ("Timers", self.timers_text()),
                           ("During the scene", "B shows this briefing again; P shows who everyone is.")):
            y = L.add_text(ix, y, iw, head, card, bold=True, color=t.accent, scroll=scroll).rect.bottom + 2
            y = L.add_text(ix, y, iw, body, card, scroll=scroll, role="note").rect.bottom + L.gap
        card.height = y - card.y + L.pad - L.gap
        L.panel(card, scroll=scroll)
        bw = min(round(300 * L.u), (area.width - L.gap) // 2)
        by = area.bottom - btn_h
        label = "Back to the scene" if self.again else "Begin"
        L.add_button("begin", pygame.Rect(x, by, bw, btn_h), label, self.begin, style="primary", center=True)
        if not self.again:
            L.add_button("picker", pygame.Rect(x + bw + L.gap, by, bw, btn_h), "Back to scenarios",
                         self.app.to_picker, center=True)
