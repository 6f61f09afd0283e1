"""Practice mode's feedback after a choice: why it helped or harmed, the principles named, what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine import meters
from game.engine.scoring import step_effect
from game.engine.session import Step
from game.ui import feelings
from game.ui.layout import Layout
from game.ui.run import Run
from game.ui.screens.base import Screen, chrome, columns, draw_faces, draw_meters, groups, people_panel

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.screens.scene import SceneScreen

HINT = "Enter or click Continue when you are ready  ·  Esc pauses"


HEADINGS = {
    "helped": ("This helped", 1),
    "harmed": ("This made things harder", -1),
    "mixed": ("Mixed: it helped in one way and harmed in another", 0),
    "unscored": ("No score for this step", 0),
}


def verdict(step: Step) -> tuple[str, int]:
    """The heading for a step's feedback and its sign (1 helped, -1 harmed, 0 neither)."""
    return HEADINGS[step_effect(step.scores)]


def mood_changes(run: Run, step: Step) -> list[str]:
    """How each person's face changed with the step, in words (``Daniel Hollis now seems uneasy, was agitated``)."""
    out = []
    before = {k: int(v) for k, v in step.values_before.items()}
    after = {k: int(v) for k, v in step.values_after.items()}
    for who, _keys in groups(run):
        if who is None or who == feelings.YOU:
            continue
        a = feelings.feeling(run.scenario, who, before).expression
        b = feelings.feeling(run.scenario, who, after).expression
        if a != b:
            out.append(f"{run.scenario.people[who].name} now seems {b} (was {a})")
    return out


class FeedbackScreen(Screen):
    name = "feedback"

    def __init__(self, app: App, run: Run, step: Step, scene: SceneScreen):
        super().__init__(app)
        self.run = run
        self.step = step
        self.scene = scene
        self._bars: tuple | None = None
        app.say(f"{verdict(step)[0]}. {step.feedback}")

    def go_on(self) -> None:
        if self.run.session.finished:
            self.app.show_end(self.run)
        else:
            self.app.replace(self.scene)

    def back(self) -> None:
        self.app.push_pause(self.run)

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_BACKSPACE and self.run.test_run and not self.run.session.finished:
            if self.run.step_back() is None:  # the step just shown is taken back: its node again
                self.scene.node_key = None
                self.app.replace(self.scene)
            return True
        return False

    def build(self, L: Layout) -> None:
        t = L.theme
        run, step = self.run, self.step
        area = chrome(L, run.scenario.title, "Practice mode  ·  Esc: pause", HINT, run.playing_banner)
        main, side = columns(L, area)
        btn_h = L.button_height("Continue", 300, bold=True)
        view = pygame.Rect(main.x, main.y, main.width, main.height - btn_h - L.gap * 2)
        scroll = L.scroll("feedback", view)
        x, w = main.x, main.width - round(14 * L.u)
        ix, iw = x + L.pad, w - 2 * L.pad
        heading, sign = verdict(step)
        card = pygame.Rect(x, main.y, w, 0)
        y = card.y + L.pad
        you = "You let the moment pass" if step.kind == "timeout" else "You chose"
        y = L.add_text(ix, y, iw, you, card, kind="small", color=t.muted, scroll=scroll).rect.bottom
        y = L.add_text(ix, y, iw, step.text, card, kind="large", scroll=scroll, role="taken").rect.bottom + L.gap * 2
        mark = {1: "+", -1: "−", 0: "•"}[sign]
        colour = {1: t.good, -1: t.bad, 0: t.accent}[sign]
        y = L.add_text(ix, y, iw, f"{mark} {heading}", card, kind="h2", bold=True, color=colour, scroll=scroll,
                       role="verdict").rect.bottom + round(6 * L.u)
        if step.critical:
            y = L.add_text(ix, y, iw, f"Critical error: {step.critical}", card, bold=True, color=t.bad,
                           scroll=scroll, role="critical").rect.bottom + L.gap
        if step.feedback:
            y = L.add_text(ix, y, iw, step.feedback, card, kind="large", scroll=scroll,
                           role="feedback").rect.bottom + L.gap
        card.height = y - card.y + L.pad - L.gap
        L.panel(card, scroll=scroll, accent=colour)
        y = card.bottom + L.gap * 2
        main = pygame.Rect(x, main.y, w, 0)  # the scrolled column, measured once filled
        if step.scores:
            y = L.add_text(x, y, w, "Principles", main, bold=True, color=t.accent, scroll=scroll).rect.bottom + 4
            for ref, n in step.scores.items():
                p = run.rubric.principle(ref)
                title = p.title if p else ref
                desc = f" — {p.description}" if p else ""
                y = L.add_text(x, y, w, f"{n:+d}  {title}{desc}", main, color=t.good if n > 0 else t.bad,
                               scroll=scroll, role="principle").rect.bottom + 4
            y += L.gap
        changes = []
        for name, meter in run.scenario.meters.items():
            a, b = step.values_before.get(name), step.values_after.get(name)
            if a is None or b is None or a == b:
                continue
            word = meters.level_word(name, meter, int(b))
            changes.append(f"{meters.label(name, meter)}: from {a} to {b}, now {word}")
        changes = mood_changes(run, step) + changes
        if changes:
            y = L.add_text(x, y, w, "What changed", main, bold=True, color=t.accent, scroll=scroll).rect.bottom + 4
            for line in changes:
                y = L.add_text(x, y, w, line, main, scroll=scroll, role="change").rect.bottom + 4
            y += L.gap
        notes = [r.note for r in step.routes if r.note]
        if notes:
            y = L.add_text(x, y, w, "Then", main, bold=True, color=t.accent, scroll=scroll).rect.bottom + 4
            for note in notes:
                y = L.add_text(x, y, w, note, main, scroll=scroll, role="route").rect.bottom + 4
        main.height = max(y, view.bottom) - main.y
        bw = min(w, round(320 * L.u))
        L.add_button("continue", pygame.Rect(x, view.bottom + L.gap * 2, bw, btn_h),
                     "See how it ends" if run.session.finished else "Continue", self.go_on, style="primary",
                     center=True)
        L.panel(side)
        marks = (len(L.texts), dict(L.extras))
        if people_panel(L, run, side, side.y + L.pad, show_meters=True, compact=False) > side.bottom:
            del L.texts[marks[0]:]
            L.extras = marks[1]
            people_panel(L, run, side, side.y + L.pad, show_meters=True, compact=True)

    def draw_static(self, surface: pygame.Surface) -> None:
        if self.layout is not None:
            draw_faces(surface, self.layout, self.run)

    def draw_live(self, surface: pygame.Surface, full: bool) -> list[pygame.Rect]:
        if self.layout is None:
            return []
        bars = tuple(round(v, 1) for v in self.run.shown.values())
        if not full and bars == self._bars:
            return []
        self._bars = bars
        return draw_meters(surface, self.layout, self.run)
