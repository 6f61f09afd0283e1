"""The scene: setting and narration, who speaks and what they say, the numbered choices, the meters
and, on a timed node, a calm countdown. Choosing calls the Session; nothing is decided here."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game.engine.rules import TIMER_FACTOR
from game.ui.layout import Layout
from game.ui.run import Run
from game.ui.screens.base import Screen, chrome, draw_meters, meters_panel
from game.ui.screens.portrait import draw_portrait

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "Press 1-9 or click to choose  ·  Arrows and Enter work too  ·  Esc pauses"


class SceneScreen(Screen):
    name = "scene"
    default_focus = None
    """No choice is highlighted until the trainee moves to one, so the first is not suggested."""

    def __init__(self, app: App, run: Run):
        super().__init__(app)
        self.run = run
        self.node_key: tuple[str, int] | None = None
        self.total: float | None = None
        self.remaining: float | None = None
        self._person = None

    # --- the node on screen ------------------------------------------------------------------

    def on_show(self) -> None:
        self.dirty = True
        self.sync_timer()

    def sync_timer(self) -> None:
        """Start the countdown on a new node; when only the timer setting changed, keep the fraction left."""
        session = self.run.session
        key = (session.node_id, session.state.turn)
        limit = session.time_limit
        factor = TIMER_FACTOR[self.app.timers]
        total = limit.seconds * factor if (limit is not None and factor is not None) else None
        if key != self.node_key:
            self.node_key = key
            self.total, self.remaining = total, total
            self.focus = None
            self.offsets.clear()
            self.read_aloud()
        elif total != self.total:
            frac = (self.remaining / self.total) if (self.remaining is not None and self.total) else 1.0
            self.total, self.remaining = total, (total * frac if total is not None else None)

    def read_aloud(self) -> None:
        node = self.run.session.node
        if node is None:
            return
        parts = [node.narration or ""]
        if node.line and node.speaker:
            parts.append(f"{self.run.scenario.people[node.speaker].name} says: {node.line}")
        self.app.say(" ".join(p for p in parts if p))

    # --- acting ------------------------------------------------------------------------------

    def choose(self, number: int) -> None:
        session = self.run.session
        if session.finished:
            return
        step = session.choose(number)
        self.after(step)

    def wait(self) -> None:
        """Let the moment pass: the time-out, taken on purpose (timers off) or when the countdown ends."""
        session = self.run.session
        limit = session.time_limit
        if session.finished or limit is None:
            return
        factor = TIMER_FACTOR[self.app.timers]
        elapsed = round(limit.seconds * factor, 3) if factor is not None else None
        step = session.time_out(elapsed=elapsed)
        self.after(step)

    def after(self, step) -> None:
        run = self.run
        run.last_step = step
        if run.mode == "practice":
            self.app.show_feedback(run, step, self)
        elif run.session.finished:
            self.app.show_end(run)
        else:
            self.sync_timer()
            self.dirty = True

    def back(self) -> None:
        self.app.push_pause(self.run)

    def update(self, dt: float) -> None:
        if self.remaining is None or self.app.top is not self:
            return
        before = math.ceil(self.remaining)
        self.remaining = max(0.0, self.remaining - dt)
        if self.remaining <= 0:
            self.wait()
        elif math.ceil(self.remaining) != before:
            pass  # the number is drawn live; nothing to rebuild

    # --- drawing -----------------------------------------------------------------------------

    def build(self, L: Layout) -> None:
        t = L.theme
        run = self.run
        session = run.session
        scenario = run.scenario
        node = session.node
        mode = "Practice" if run.mode == "practice" else "Exam"
        area = chrome(L, scenario.title, f"{mode} mode  ·  Esc: pause", HINT)
        side_w = max(round(area.width * 0.3), round(300 * L.u))
        main = pygame.Rect(area.x, area.y, area.width - side_w - L.gap * 2, area.height)
        side = pygame.Rect(main.right + L.gap * 2, area.y, side_w, area.height)
        if node is None:
            return
        # The story column scrolls when it must (long text at a large size); choices follow the story.
        scroll = L.scroll("story", main)
        x, w = main.x, main.width - round(14 * L.u)
        y = main.y
        story = pygame.Rect(x, y, w, 0)
        inner_x, inner_w = x + L.pad, w - 2 * L.pad
        iy = y + L.pad
        if session.state.turn == 0:  # where and when, as the trainee arrives
            iy = L.add_text(inner_x, iy, inner_w, scenario.setting, story, kind="small", color=t.muted,
                            role="setting", scroll=scroll).rect.bottom + L.gap
        if node.narration:
            iy = L.add_text(inner_x, iy, inner_w, node.narration, story, role="narration",
                            scroll=scroll).rect.bottom + L.gap
        if node.line and node.speaker:
            person = scenario.people[node.speaker]
            size = round(84 * L.u)
            face = pygame.Rect(inner_x, iy + round(4 * L.u), size, size)
            L.extras["portrait"] = face
            self._person = person
            tx, tw = face.right + L.pad, inner_w - size - L.pad
            role = person.description
            ly = L.add_text(tx, iy, tw, person.name, story, bold=True, color=t.accent, role="speaker",
                            scroll=scroll).rect.bottom
            ly = L.add_text(tx, ly, tw, role, story, kind="small", color=t.muted, scroll=scroll).rect.bottom + 4
            ly = L.add_text(tx, ly, tw, f"“{node.line}”", story, kind="large", role="line",
                            scroll=scroll).rect.bottom
            iy = max(ly, face.bottom) + L.gap
        else:
            L.extras.pop("portrait", None)
        story.height = iy - y + L.pad - L.gap
        L.panel(story, scroll=scroll)
        y = story.bottom + L.gap * 2
        column = pygame.Rect(x, main.y, w, 0)
        y = L.add_text(x, y, w, "What do you do?", column, bold=True, kind="large", role="prompt",
                       scroll=scroll).rect.bottom + L.gap
        for offer in session.choices:
            b = L.add_button(f"choice:{offer.id}", pygame.Rect(x, y, w, 0), offer.text,
                             lambda n=offer.number: self.choose(n), key=str(offer.number), scroll=scroll)
            y = b.rect.bottom + L.gap
        limit = session.time_limit
        if limit is not None and TIMER_FACTOR[self.app.timers] is None:
            n = len(session.choices) + 1
            label = f"Wait: {limit.text}" if limit.text else "Wait and say nothing"
            b = L.add_button("wait", pygame.Rect(x, y, w, 0), label, self.wait,
                             key=str(n) if n <= 9 else None, scroll=scroll,
                             sub="Timers are off, so letting the moment pass is a choice you make.")
            y = b.rect.bottom + L.gap
        column.height = y - main.y
        self._side(L, side)

    def _side(self, L: Layout, side: pygame.Rect) -> None:
        """The meters and the timer; when they do not fit (large text, small window), the hints go."""
        marks = (len(L.texts), len(L.panels), dict(L.extras))
        if self._side_fill(L, side, compact=False) > side.bottom - L.pad:
            del L.texts[marks[0]:], L.panels[marks[1]:]
            L.extras = marks[2]
            self._side_fill(L, side, compact=True)

    def _side_fill(self, L: Layout, side: pygame.Rect, compact: bool) -> int:
        t = L.theme
        run = self.run
        subject = run.scenario.people.get("subject")
        title = f"How {subject.name} is doing" if subject else "How it is going"
        L.panel(side)
        y = meters_panel(L, run, side, title, hints=not compact)
        limit = run.session.time_limit
        x, w = side.x + L.pad, side.width - 2 * L.pad
        if limit is not None:
            y += L.gap
            if self.total is not None:
                y = L.add_text(x, y, w, "Time to respond", side, bold=True, role="timer").rect.bottom + 4
                num_w = L.text.width("600 s", L.px("h1"), True) + 4
                num = pygame.Rect(x, y, min(num_w, w), L.line_h("h1", True))
                L.extras["timer_text"] = num
                L.texts.append(_reserve(L, num, side, "600 s"))
                y = num.bottom + 4
                bar = pygame.Rect(x, y, w, max(6, round(8 * L.u)))
                L.extras["timer_bar"] = bar
                y = bar.bottom + 6
                note = "Timers: slower (double time)" if self.app.timers == "slower" else \
                    "If time runs out, you have said nothing."
                if not compact or self.app.timers == "slower":
                    y = L.add_text(x, y, w, note, side, kind="small", color=t.muted).rect.bottom + L.gap
            else:
                y = L.add_text(x, y, w, "No countdown (timers are off)", side, bold=True,
                               role="timer").rect.bottom + 4
                if not compact:
                    y = L.add_text(x, y, w, "Waiting is offered as a choice.", side, kind="small",
                                   color=t.muted).rect.bottom + L.gap
        if run.problems or run.note:
            y += L.gap
            lines = run.problems[:4]
            head = "The scenario file has errors; still playing the last good version:" if lines else run.note
            avail = side.bottom - L.pad - y
            box_h = L.measure(head, w - 2 * L.gap, "small", True) + sum(
                L.measure(p, w - 2 * L.gap, "small") for p in lines) + 2 * L.gap
            box = pygame.Rect(x, y, w, min(box_h, max(avail, 0)))
            if box.height >= L.measure(head, w - 2 * L.gap, "small", True) + L.gap:
                L.panel(box, t.panel_alt, accent=t.bad if lines else t.accent)
                by = L.add_text(x + L.gap, y + L.gap, w - 2 * L.gap, head, box, kind="small", bold=True,
                                role="reload").rect.bottom
                lh = L.line_h("small")
                for p in lines:
                    room = (box.bottom - L.gap // 2 - by) // lh
                    if room <= 0:
                        break
                    wrapped = L.text.wrap(p, L.px("small"), w - 2 * L.gap)
                    shown = p if len(wrapped) <= room else " ".join(wrapped[:room])[:-2] + "…"
                    by = L.add_text(x + L.gap, by, w - 2 * L.gap, shown, box, kind="small",
                                    role="diagnostic").rect.bottom
            y = box.bottom
        return y

    def draw_static(self, surface: pygame.Surface) -> None:
        L = self.layout
        face = L.extras.get("portrait") if L else None
        if L is None or face is None or self._person is None:
            return
        s = L.scrolls.get("story")
        rect = face.move(0, -s.offset) if s else face
        surface.set_clip(s.view if s else None)
        draw_portrait(surface, rect, self._person, L.theme, self.app.settings.high_contrast)
        surface.set_clip(None)

    def draw_live(self, surface: pygame.Surface) -> None:
        L = self.layout
        if L is None:
            return
        t = L.theme
        draw_meters(surface, L, self.run)
        num, bar = L.extras.get("timer_text"), L.extras.get("timer_bar")
        if num is not None and bar is not None and self.remaining is not None and self.total:
            label = f"{math.ceil(self.remaining)} s"
            surf = L.text.render(label, L.px("h1"), t.text, True)
            surface.fill(t.panel, num)
            surface.blit(surf, num.topleft)
            pygame.draw.rect(surface, t.track, bar, border_radius=bar.height // 2)
            fill = bar.copy()
            fill.width = round(bar.width * self.remaining / self.total)
            if fill.width > 0:
                pygame.draw.rect(surface, t.accent, fill, border_radius=bar.height // 2)


def _reserve(L: Layout, rect: pygame.Rect, panel: pygame.Rect, widest: str):
    """A text box for live text (the countdown), sized for its widest value so the layout check covers it."""
    from game.ui.layout import TextBox

    return TextBox(pygame.Rect(rect), pygame.Rect(panel), widest, [], L.px("h1"), True, L.theme.text,
                   rect.height, role="timer-live")
