"""The scenario picker, grouped by topic, with details and the trainee's best earlier result."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.content.format import Scenario
from game.ui.layout import Layout
from game.ui.records import Best, best_results
from game.ui.screens.base import Screen, chrome, percent_text

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "Up and Down choose  ·  Enter opens  ·  Tab moves to the buttons  ·  Esc signs out"
MODE_WORDS = {"practice": "Practice: feedback after each choice", "exam": "Exam: feedback only at the end"}


class PickerScreen(Screen):
    name = "picker"

    def __init__(self, app: App):
        super().__init__(app)
        self.groups = self._group(app)
        first = next((s for _, items in self.groups for s in items), None)
        last = app.settings.last_scenario.get(app.trainee) if app.trainee else None
        self.selected: str | None = last if last in app.lib.scenarios else (first.id if first else None)
        """The scenario this trainee opened last time, else the first."""
        self.best: dict[str, Best] = best_results(app.log_dir, app.trainee or "trainee")  # once per visit

    @staticmethod
    def _group(app: App) -> list[tuple[str, list[Scenario]]]:
        """Scenarios under their first topic, topics in rubric order, titles alphabetical."""
        rubric = app.lib.rubric
        order = list(rubric.topics)
        groups: dict[str, list[Scenario]] = {}
        for s in app.lib.scenarios.values():
            groups.setdefault(s.topics[0], []).append(s)
        keys = sorted(groups, key=lambda k: (order.index(k) if k in order else len(order), k))
        return [(rubric.topics[k].title if k in rubric.topics else k, sorted(groups[k], key=lambda s: s.title))
                for k in keys]

    def back(self) -> None:
        self.app.sign_out()

    def on_show(self) -> None:
        if self.selected and self.focus is None:
            self.focus = f"scn:{self.selected}"

    def on_focus(self, bid: str) -> None:
        if bid.startswith("scn:") and bid[4:] != self.selected:
            self.selected = bid[4:]
            self.offsets["detail"] = 0
            self.dirty = True

    def choose(self, sid: str) -> None:
        self.selected = sid
        self.dirty = True
        self.focus = "start"

    def toggle_mode(self) -> None:
        app = self.app
        app.mode = "exam" if app.mode == "practice" else "practice"
        app.settings.mode = app.mode
        app.save_settings()
        self.dirty = True

    def start(self) -> None:
        if self.selected:
            self.app.start(self.app.lib.scenarios[self.selected])

    def open_settings(self) -> None:
        self.app.push_settings()

    def best_line(self, sid: str) -> str:
        best = self.best.get(sid)
        if best is None:
            return "Not played yet"
        outcome = f", {best.outcome.replace('_', ' ')}" if best.outcome else ""
        plays = "1 play" if best.plays == 1 else f"{best.plays} plays"
        return f"Your best: {percent_text(best.percent)}{outcome} ({plays})"

    def build(self, L: Layout) -> None:
        t = L.theme
        app = self.app
        area = chrome(L, "Choose a scenario", f"Signed in as {app.trainee or 'trainee'}", HINT)
        btn_h = L.button_height("Settings", 200)
        bottom = pygame.Rect(area.x, area.bottom - btn_h, area.width, btn_h)
        area.height -= btn_h + L.gap
        list_w = round(area.width * 0.40)
        left = pygame.Rect(area.x, area.y, list_w, area.height)
        right = pygame.Rect(left.right + L.gap * 2, area.y, area.width - list_w - L.gap * 2, area.height)
        L.panel(left)
        view = left.inflate(-2 * round(4 * L.u), -2 * round(4 * L.u))
        scroll = L.scroll("list", view)
        x, w = left.x + L.gap, left.width - 2 * L.gap - round(10 * L.u)
        y = left.y + L.gap
        content = pygame.Rect(left.x, left.y, left.width, 0)
        left = content  # the list's text is measured against the scrolled content, which may outgrow the panel
        if not self.groups:
            L.add_text(x, y, w, "No scenarios were found in the library.", left, scroll=scroll)
        for title, items in self.groups:
            y = L.add_text(x, y, w, title.upper(), left, kind="small", bold=True, color=t.accent, role="group",
                           scroll=scroll).rect.bottom + round(6 * L.u)
            for s in items:
                sub = f"{s.difficulty.capitalize()} · {s.minutes} min · {self.best_line(s.id)}"
                b = L.add_button(f"scn:{s.id}", pygame.Rect(x, y, w, 0), s.title, lambda sid=s.id: self.choose(sid),
                                 selected=s.id == self.selected, scroll=scroll, style="row", sub=sub)
                y = b.rect.bottom + round(6 * L.u)
            y += L.gap
        # Scenario files with errors are left out silently here; 'commonground doctor' tells the instructor.
        content.height = max(scroll.content_h, L.h)
        self._detail(L, right)
        bw = min(round(220 * L.u), (bottom.width - L.gap) // 2)
        L.add_button("settings", pygame.Rect(bottom.x, bottom.y, bw, btn_h), "Settings", self.open_settings,
                     center=True)
        L.add_button("signout", pygame.Rect(bottom.x + bw + L.gap, bottom.y, bw, btn_h), "Sign out", self.back,
                     center=True)

    def _detail(self, L: Layout, rect: pygame.Rect) -> None:
        t = L.theme
        L.panel(rect)
        s = self.app.lib.scenarios.get(self.selected) if self.selected else None
        if s is None:
            return
        x, w = rect.x + L.pad, rect.width - 2 * L.pad - round(10 * L.u)
        mode_h = L.button_height(MODE_WORDS["practice"], w, sub="Enter switches the mode")
        start_h = L.button_height("Start scenario", w, bold=True)
        buttons_top = rect.bottom - L.pad - start_h - L.gap - mode_h
        view = pygame.Rect(rect.x + 4, rect.y + 4, rect.width - 8, buttons_top - L.gap - rect.y - 4)
        scroll = L.scroll("detail", view)
        rubric = self.app.lib.rubric
        panel = rect
        rect = pygame.Rect(panel.x, panel.y, panel.width, 0)  # the scrolled content, measured when filled
        topics = ", ".join(rubric.topics[k].title if k in rubric.topics else k for k in s.topics)
        y = rect.y + L.pad
        y = L.add_text(x, y, w, s.title, rect, kind="h1", bold=True, role="title", scroll=scroll).rect.bottom
        meta = f"{s.difficulty.capitalize()}  ·  about {s.minutes} min  ·  {topics}"
        y = L.add_text(x, y + 4, w, meta, rect, color=t.muted, scroll=scroll).rect.bottom + L.gap
        y = L.add_text(x, y, w, s.summary, rect, kind="large", scroll=scroll).rect.bottom + L.gap * 2
        for heading, body in (("Setting", s.setting),):
            y = L.add_text(x, y, w, heading, rect, bold=True, color=t.accent, scroll=scroll).rect.bottom + 2
            y = L.add_text(x, y, w, body, rect, scroll=scroll).rect.bottom + L.gap * 2
        y = L.add_text(x, y, w, "Learning objectives", rect, bold=True, color=t.accent, scroll=scroll).rect.bottom + 2
        bullet = round(18 * L.u)
        for obj in s.objective_list():
            L.add_text(x, y, bullet, "–", rect, scroll=scroll, role="bullet")
            y = L.add_text(x + bullet, y, w - bullet, obj.text, rect, scroll=scroll).rect.bottom + round(4 * L.u)
        y += L.gap * 2
        y = L.add_text(x, y, w, "Your record", rect, bold=True, color=t.accent, scroll=scroll).rect.bottom + 2
        L.add_text(x, y, w, self.best_line(s.id), rect, scroll=scroll)
        rect.height = max(scroll.content_h, panel.height)
        y = buttons_top
        y = L.add_button("mode", pygame.Rect(x, y, w, mode_h), MODE_WORDS[self.app.mode], self.toggle_mode,
                         sub="Enter switches the mode").rect.bottom + L.gap
        L.add_button("start", pygame.Rect(x, y, w, start_h), "Start scenario", self.start, style="primary",
                     center=True)
