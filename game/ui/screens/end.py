"""The end of a scenario: critical errors first, passed or not, outcome, scores as bars, the timeline of
decisions beside the best option at each, then try again or back to the picker. Everything it shows
comes from the session's score card (:func:`game.engine.scoring.session_card`): judging a finished
session looks only at its own decisions, so the screen appears at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine import meters
from game.engine.scoring import Line, session_card, step_effect, step_text
from game.ui import feelings
from game.ui.layout import Layout, Scroll
from game.ui.run import Run
from game.ui.screens.base import Screen, chrome, draw_face, groups, percent_text

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "Up and Down scroll the debrief  ·  Tab moves to the buttons  ·  Enter selects  ·  Esc: scenarios"


def card_for(run: Run):
    """The session's score card: the one place the end screen asks the scoring layer for it."""
    return session_card(run.session)


class EndScreen(Screen):
    name = "end"
    scroll_keys = True
    default_focus = None
    """The debrief is read first: no button is focused, so Enter alone does nothing until the trainee moves."""
    guard = True
    """A hurried second Enter (from the last feedback) within half a second does nothing here."""

    def __init__(self, app: App, run: Run):
        super().__init__(app)
        self.run = run
        session = run.session
        self.card = card_for(run)
        self.decisions = self.card.decisions
        self.faces: list[tuple[pygame.Rect, str]] = []
        self.bars: list[tuple[pygame.Rect, float, Scroll]] = []
        ending = session.ending
        if ending is not None:
            app.say(f"{ending.title}. {ending.narration or ''} {ending.debrief}")

    def back(self) -> None:
        self.app.to_picker()

    def retry(self) -> None:
        self.app.start(self.run.scenario, self.run.mode)

    def on_key(self, event: pygame.event.Event) -> bool:
        return False

    def build(self, L: Layout) -> None:
        t = L.theme
        run = self.run
        ending = run.session.ending
        self.bars = []
        area = chrome(L, run.scenario.title, "Practice mode" if run.mode == "practice" else "Exam mode", HINT,
                      run.banner)
        btn_h = L.button_height("Back to scenarios", 300, bold=True)
        view = pygame.Rect(area.x, area.y, area.width, area.height - btn_h - L.gap * 2)
        scroll = L.scroll("end", view)
        col_gap = L.gap * 2
        left_w = round((area.width - col_gap) * 0.5)
        left = pygame.Rect(area.x, area.y, left_w, 0)
        right = pygame.Rect(left.right + col_gap, area.y, area.width - left_w - col_gap - round(14 * L.u), 0)
        # Outcome card
        x, w = left.x + L.pad, left.width - 2 * L.pad
        card = pygame.Rect(left.x, left.y, left.width, 0)
        y = card.y + L.pad
        for c in self.card.critical:  # critical errors first, whatever the percentage
            y = L.add_text(x, y, w, f"Critical error: {step_text(run.scenario, c.choice)}", card, bold=True,
                           color=t.bad, scroll=scroll, role="critical").rect.bottom + 2
            y = L.add_text(x, y, w, c.reason, card, color=t.bad, scroll=scroll, role="critical-reason").rect.bottom
            y += L.gap
        verdict = "Passed" if self.card.passed else "Not passed"
        y = L.add_text(x, y, w, f"{verdict} (pass mark {self.card.pass_mark}%)", card, bold=True,
                       color=t.good if self.card.passed else t.bad, scroll=scroll, role="passed").rect.bottom + L.gap
        if ending is not None:
            outcome = (self.card.outcome or "").replace("_", " ")
            y = L.add_text(x, y, w, f"Outcome: {outcome}", card, kind="small", color=t.muted,
                           scroll=scroll, role="outcome").rect.bottom
            y = L.add_text(x, y, w, ending.title, card, kind="h1", bold=True, scroll=scroll,
                           role="ending").rect.bottom + L.gap
            if ending.narration:
                y = L.add_text(x, y, w, ending.narration, card, scroll=scroll).rect.bottom + L.gap
            y = L.add_text(x, y, w, "What to take away", card, bold=True, color=t.accent,
                           scroll=scroll).rect.bottom + 2
            y = L.add_text(x, y, w, ending.debrief, card, kind="large", scroll=scroll,
                           role="debrief").rect.bottom + L.gap
        card.height = y - card.y + L.pad - L.gap
        L.panel(card, scroll=scroll)
        # Scores
        sc = pygame.Rect(left.x, card.bottom + L.gap * 2, left.width, 0)
        y = sc.y + L.pad
        y = L.add_text(x, y, w, "Your score", sc, kind="large", bold=True, scroll=scroll).rect.bottom + L.gap
        y = self._bar(L, scroll, sc, x, w, y, self.card.overall, bold=True)
        if self.card.topics:
            y = L.add_text(x, y + L.gap, w, "By topic", sc, bold=True, color=t.accent, scroll=scroll).rect.bottom + 4
            for line in self.card.topics:
                y = self._bar(L, scroll, sc, x, w, y, line)
        if self.card.principles:
            y = L.add_text(x, y + L.gap, w, "By principle", sc, bold=True, color=t.accent,
                           scroll=scroll).rect.bottom + 4
            for line in self.card.principles:
                y = self._bar(L, scroll, sc, x, w, y, line)
        sc.height = y - sc.y + L.pad - L.gap
        L.panel(sc, scroll=scroll)
        self._feelings(L, scroll, pygame.Rect(left.x, sc.bottom + L.gap * 2, left.width, 0))
        # Timeline
        self._timeline(L, scroll, right)
        bw = min(round(300 * L.u), (area.width - L.gap) // 2)
        by = area.bottom - btn_h
        L.add_button("picker", pygame.Rect(area.x, by, bw, btn_h), "Back to scenarios", self.app.to_picker,
                     style="primary", center=True)
        L.add_button("retry", pygame.Rect(area.x + bw + L.gap, by, bw, btn_h), "Try again", self.retry, center=True)

    def _feelings(self, L: Layout, scroll: Scroll, card: pygame.Rect) -> None:
        """How each person ended up: face, and each meter from start to end (exam mode shows them only here)."""
        run = self.run
        self.faces = []
        x, w = card.x + L.pad, card.width - 2 * L.pad
        y = card.y + L.pad
        y = L.add_text(x, y, w, "How they ended up", card, kind="large", bold=True, scroll=scroll).rect.bottom + L.gap
        start = {k: m.start for k, m in run.scenario.meters.items()}
        if run.session.history:
            start = {k: int(v) for k, v in run.session.history[0].values_before.items() if k in start}
        values = {k: int(v) for k, v in run.session.values.items()}
        size = round(56 * L.u)
        for who, keys in groups(run):
            tx, tw = x, w
            if who is not None and who != feelings.YOU:
                face = pygame.Rect(x, y, size, size)
                self.faces.append((face, who))
                tx, tw = face.right + L.gap, w - size - L.gap
                mood = feelings.feeling(run.scenario, who, values).expression
                name = f"{run.scenario.people[who].name}: seems {mood}"
            else:
                name = "You" if who == feelings.YOU else "Around you"
            ty = L.add_text(tx, y, tw, name, card, bold=True, scroll=scroll, role="person").rect.bottom
            for key in keys:
                meter = run.scenario.meters[key]
                a, b = start.get(key, meter.start), values[key]
                line = f"{meters.label(key, meter)}: {meters.level_word(key, meter, a)} ({a}) to " \
                       f"{meters.level_word(key, meter, b)} ({b})"
                ty = L.add_text(tx, ty, tw, line, card, kind="small", scroll=scroll, role="meter-end").rect.bottom
            y = max(ty, y + (size if who not in (None, feelings.YOU) else 0)) + L.gap
        card.height = y - card.y + L.pad - L.gap
        L.panel(card, scroll=scroll)

    def _bar(self, L: Layout, scroll: Scroll, panel: pygame.Rect, x: int, w: int, y: int, line: Line,
             bold: bool = False) -> int:
        t = L.theme
        value = percent_text(line.percent) if line.percent is not None else "not assessed"
        vw = min(L.text.width(value, L.px(), bold) + 2, w // 2)
        label = L.add_text(x, y, w - vw - L.gap, line.title, panel, bold=bold, scroll=scroll, role="score-label")
        L.add_text(x + w - vw, y, vw, value, panel, bold=bold, color=t.text, scroll=scroll, role="score-value")
        y = label.rect.bottom + 4
        bar = pygame.Rect(x, y, w, max(8, round(10 * L.u)))
        self.bars.append((bar, (line.percent or 0) / 100, scroll))
        return bar.bottom + L.gap

    def _timeline(self, L: Layout, scroll: Scroll, col: pygame.Rect) -> None:
        t = L.theme
        history = self.run.session.history
        y = col.y
        y = L.add_text(col.x, y, col.width, "Your decisions", col, kind="large", bold=True,
                       scroll=scroll).rect.bottom + L.gap
        if not history:
            L.add_text(col.x, y, col.width, "No decisions were made.", col, scroll=scroll)
            col.height = scroll.content_h
            return
        best_by_turn = {d.turn: d for d in self.decisions}
        for i, step in enumerate(history):
            card = pygame.Rect(col.x, y, col.width, 0)
            x, w = card.x + L.pad, card.width - 2 * L.pad
            cy = card.y + L.gap
            verb = "Let the moment pass: " if step.kind == "timeout" else ""
            cy = L.add_text(x, cy, w, f"{i + 1}. {verb}{step.text}", card, bold=True, scroll=scroll,
                            role="decision").rect.bottom + 4
            d = best_by_turn.get(i)
            helped = step_effect(step.scores) == "helped"
            good = d is None or d.was_best or helped  # a choice that helped is never shown as wrong
            if step.critical:
                cy = L.add_text(x, cy, w, f"Critical error: {step.critical}", card, bold=True, color=t.bad,
                                scroll=scroll, role="critical").rect.bottom + 4
            if d is not None and d.was_best:
                cy = L.add_text(x, cy, w, "+ The best option here", card, color=t.good, scroll=scroll,
                                role="best").rect.bottom + 4
            elif d is not None and d.best_text:
                lead = "Good; better still here" if helped else "Better here"
                cy = L.add_text(x, cy, w, f"{lead}: {d.best_text}", card, color=t.accent if helped else t.bad,
                                scroll=scroll, role="best").rect.bottom + 4
            if step.feedback:
                cy = L.add_text(x, cy, w, step.feedback, card, scroll=scroll, role="feedback").rect.bottom + 4
            if step.scores:
                marks = ",  ".join(f"{n:+d} {self._title(ref)}" for ref, n in step.scores.items())
                cy = L.add_text(x, cy, w, marks, card, kind="small", color=t.muted, scroll=scroll,
                                role="marks").rect.bottom + 4
            card.height = cy - card.y + L.gap - 4
            L.panel(card, scroll=scroll, accent=t.bad if step.critical else t.good if good else t.bad)
            y = card.bottom + L.gap
        col.height = y - col.y

    def _title(self, ref: str) -> str:
        p = self.run.rubric.principle(ref)
        return p.title if p else ref

    def draw_static(self, surface: pygame.Surface) -> None:
        if self.layout is None:
            return
        L = self.layout
        values = {k: int(v) for k, v in self.run.session.values.items()}
        s = L.scrolls["end"]
        surface.set_clip(s.view)
        for face, who in self.faces:
            mood = feelings.feeling(self.run.scenario, who, values).expression
            draw_face(surface, face.move(0, -s.offset), self.run.scenario.people[who], mood, L)
        t = self.layout.theme
        for bar, frac, scroll in self.bars:
            rect = bar.move(0, -scroll.offset)
            surface.set_clip(scroll.view)
            pygame.draw.rect(surface, t.track, rect, border_radius=rect.height // 2)
            if frac > 0:
                fill = rect.copy()
                fill.width = max(rect.height, round(rect.width * frac))
                pygame.draw.rect(surface, t.accent, fill, border_radius=rect.height // 2)
        surface.set_clip(None)
