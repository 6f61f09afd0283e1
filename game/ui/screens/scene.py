"""The scene: what happens, who speaks (their face, and on first appearance who they are), the numbered
choices, the people the meters describe and, on a timed node, a fair countdown. Choosing calls the
Session; nothing is decided here.

Every choice fits on screen at the default text size: when the story is long it scrolls inside its own
card above the choices; only when the choices alone cannot fit (the largest text sizes) does the whole
column scroll, and then the clock stands still while any choice is out of view.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game.engine.rules import TIMER_FACTOR
from game.ui import sound
from game.ui.countdown import LAST_SECONDS, Countdown, reading_allowance, word_count
from game.ui.layout import Layout, Scroll
from game.ui.run import Run
from game.ui.screens.base import Screen, chrome, columns, draw_face, draw_faces, draw_meters, people_panel

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "1-9 or click: choose  ·  Arrows and Enter work too  ·  B: briefing  ·  P: people  ·  Esc: pause"
DIAL_STEPS = 120


class SceneScreen(Screen):
    name = "scene"
    default_focus = None
    """No choice is highlighted until the trainee moves to one, so the first is not suggested."""

    def __init__(self, app: App, run: Run):
        super().__init__(app)
        self.run = run
        self.node_key: tuple[str, int] | None = None
        self.countdown: Countdown | None = None
        self.introduce: str | None = None
        """The speaker whose description shows with their line (their first appearance)."""
        self._timer_state: tuple | None = None
        self._bars_state: tuple | None = None
        self._ticked: int | None = None

    # --- the node on screen ------------------------------------------------------------------

    @property
    def remaining(self) -> float | None:
        """Seconds of countdown left (reading time not included); None on an untimed node or with timers off."""
        return self.countdown.remaining if self.countdown else None

    @property
    def total(self) -> float | None:
        return self.countdown.total if self.countdown else None

    def on_show(self) -> None:
        self.dirty = True
        self.sync_timer()

    def sync_timer(self) -> None:
        """A new node: reading time, then the countdown. Only the timer setting changed: keep the fraction left."""
        session = self.run.session
        key = (session.node_id, session.state.turn)
        limit = session.time_limit
        factor = TIMER_FACTOR[self.app.timers]
        total = limit.seconds * factor if (limit is not None and factor is not None) else None
        if key != self.node_key:
            self.node_key = key
            self.focus = None
            self.offsets.clear()
            node = session.node
            speaker = node.speaker if node is not None and node.line else None
            self.introduce = speaker if speaker is not None and speaker not in self.run.met else None
            if speaker is not None:
                self.run.met.add(speaker)
            self.countdown = None
            if total is not None:
                self.countdown = Countdown.start(reading_allowance(self.words(), self.app.settings.words_per_minute),
                                                 total)
            self._ticked = None
            self.read_aloud()
        elif total is None:
            self.countdown = None
        elif self.countdown is None:
            self.countdown = Countdown.start(0.0, total)
        elif total != self.countdown.total:
            self.countdown.rescale(total)

    def words(self) -> int:
        """What there is to read before deciding: narration, the line, every choice."""
        session = self.run.session
        node = session.node
        if node is None:
            return 0
        return word_count(node.narration, node.line, *(o.text for o in session.choices))

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
        run.back_note = ""
        if run.mode == "practice":
            self.app.show_feedback(run, step, self)
        elif run.session.finished:
            self.app.show_end(run)
        else:
            self.sync_timer()
            self.dirty = True

    def back(self) -> None:
        self.app.push_pause(self.run)

    def step_back(self) -> None:
        """Backspace in a test run: take the last step back and show its node again (a fresh countdown)."""
        if self.run.step_back() is None:
            self.node_key = None
            self.sync_timer()
        self.dirty = True

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_BACKSPACE and self.run.test_run:
            self.step_back()
            return True
        if event.key == pygame.K_b:
            self.app.push_briefing(self.run)
            return True
        if event.key == pygame.K_p:
            self.app.push_people(self.run)
            return True
        return False

    # --- the clock ---------------------------------------------------------------------------

    def all_visible(self) -> bool:
        """Every choice fully in view, and the story either fully shown or scrolled to its end."""
        L = self.app.layout_for(self)
        for b in L.buttons:
            if b.id.startswith("choice:") or b.id == "wait":
                if b.scroll is not None and not b.scroll.view.contains(b.screen_rect()):
                    return False
        story = L.scrolls.get("story")
        return story is None or story.offset >= story.max_offset

    def update(self, dt: float) -> None:
        c = self.countdown
        if c is None or self.app.top is not self:
            return
        if c.advance(dt, self.all_visible()):
            self.wait()
            return
        if c.last_seconds and self.app.settings.countdown_sound:
            n = c.shown_number()
            if n != self._ticked:
                self._ticked = n
                sound.tick(last=n <= 1)

    def next_wake(self) -> float:
        c = self.countdown
        if c is None or self.app.top is not self:
            return math.inf
        return c.until_change(DIAL_STEPS)

    # --- layout ------------------------------------------------------------------------------

    def build(self, L: Layout) -> None:
        run = self.run
        session = run.session
        scenario = run.scenario
        mode = "Practice" if run.mode == "practice" else "Exam"
        area = chrome(L, scenario.title, f"{mode} mode  ·  Esc: pause", HINT, run.playing_banner)
        main, side = columns(L, area)
        L.extras.clear()
        if session.node is None:
            return
        self._main(L, main)
        self._side(L, side)

    def _choices_height(self, L: Layout, w: int) -> int:
        session = self.run.session
        h = L.line_h("body", True) + L.gap // 2
        for offer in session.choices:
            h += L.button_height(offer.text, w, key=str(offer.number)) + self._choice_gap(L)
        if self._wait_label() is not None:
            h += L.button_height(self._wait_label() or "", w, key="9", sub=WAIT_SUB) + self._choice_gap(L)
        return h

    @staticmethod
    def _choice_gap(L: Layout) -> int:
        return round(8 * L.u)

    def _wait_label(self) -> str | None:
        limit = self.run.session.time_limit
        if limit is None or TIMER_FACTOR[self.app.timers] is not None:
            return None
        return f"Wait: {limit.text}" if limit.text else "Wait and say nothing"

    def _main(self, L: Layout, main: pygame.Rect) -> None:
        x, w = main.x, main.width - round(14 * L.u)
        choices_h = self._choices_height(L, w)
        story_h = self._story(L, None, pygame.Rect(x, main.y, w, 0), measure=True)
        if story_h + L.gap + choices_h <= main.height:
            story = pygame.Rect(x, main.y, w, story_h)
            self._story(L, None, story)
            self._choices(L, story.bottom + L.gap, x, w, None, main)
            return
        min_story = 3 * L.line_h() + 2 * L.pad
        if choices_h + L.gap + min_story <= main.height:
            # The story scrolls inside its own card; the choices stay where they can all be seen.
            view_h = main.height - choices_h - L.gap
            view = pygame.Rect(x, main.y, main.width, view_h)
            scroll = L.scroll("story", view, self.offsets.get("story", 0))
            story = pygame.Rect(x, main.y, w, story_h)
            self._story(L, scroll, story)
            self._choices(L, view.bottom + L.gap, x, w, None, main)
            return
        scroll = L.scroll("column", main, self.offsets.get("column", 0))
        story = pygame.Rect(x, main.y, w, story_h)
        self._story(L, scroll, story)
        self._choices(L, story.bottom + L.gap, x, w, scroll, pygame.Rect(x, main.y, w, 0))

    def _story(self, L: Layout, scroll: Scroll | None, card: pygame.Rect, measure: bool = False) -> int:
        """Narration, then the speaker's face, name, (first time) who they are, and their line.

        With ``measure`` nothing is added to the layout; returns the card's height either way.
        """
        t = L.theme
        run = self.run
        node = run.session.node
        assert node is not None
        pad = L.gap + round(4 * L.u)
        inner_x, inner_w = card.x + pad, card.width - 2 * pad
        y = card.y + pad

        def text(x: int, y: int, w: int, s: str, **kw) -> int:
            if measure:
                return y + L.measure(s, w, kw.get("kind", "body"), kw.get("bold", False))
            return L.add_text(x, y, w, s, card, scroll=scroll, **kw).rect.bottom

        if node.narration:
            y = text(inner_x, y, inner_w, node.narration, role="narration") + L.gap
        if node.line and node.speaker:
            person = run.scenario.people[node.speaker]
            size = round(72 * L.u)
            face = pygame.Rect(inner_x, y + round(4 * L.u), size, size)
            if not measure:
                L.extras["portrait"] = face
            tx, tw = face.right + L.gap, inner_w - size - L.gap
            ly = text(tx, y, tw, person.name, bold=True, color=t.accent, role="speaker")
            if self.introduce == node.speaker:
                ly = text(tx, ly, tw, person.description, kind="small", color=t.muted, role="introduction") + 4
            ly = text(tx, ly, tw, f"“{node.line}”", role="line")
            y = max(ly, face.bottom) + L.gap
        height = y - card.y + pad - L.gap
        if not measure:
            card.height = height
            L.panel(card, scroll=scroll)
        return height

    def _choices(self, L: Layout, y: int, x: int, w: int, scroll: Scroll | None, column: pygame.Rect) -> None:
        session = self.run.session
        y = L.add_text(x, y, w, "What do you do?", column, bold=True, role="prompt", color=L.theme.accent,
                       scroll=scroll).rect.bottom + L.gap // 2
        for offer in session.choices:
            b = L.add_button(f"choice:{offer.id}", pygame.Rect(x, y, w, 0), offer.text,
                             lambda n=offer.number: self.choose(n), key=str(offer.number), scroll=scroll)
            y = b.rect.bottom + self._choice_gap(L)
        label = self._wait_label()
        if label is not None:
            n = len(session.choices) + 1
            b = L.add_button("wait", pygame.Rect(x, y, w, 0), label, self.wait, key=str(n) if n <= 9 else None,
                             scroll=scroll, sub=WAIT_SUB)
            y = b.rect.bottom + self._choice_gap(L)
        if scroll is not None:
            column.height = max(column.height, y - column.y)

    def _side(self, L: Layout, side: pygame.Rect) -> None:
        """The countdown, then the people; when they do not fit (large text, small window), the compact form,
        and when even that does not (a test run's banner at the largest text), without the Briefing and People
        buttons (B and P, in the key hint, still open them)."""
        marks = (len(L.texts), len(L.panels), len(L.buttons), dict(L.extras))
        for compact, buttons in ((False, True), (True, True), (True, False)):
            if compact:
                del L.texts[marks[0]:], L.panels[marks[1]:], L.buttons[marks[2]:]
                L.extras = dict(marks[3])
            if self._side_fill(L, side, compact=compact, buttons=buttons) <= side.bottom:
                return

    def _side_fill(self, L: Layout, side: pygame.Rect, compact: bool, buttons: bool = True) -> int:
        t = L.theme
        run = self.run
        x, w = side.x + L.pad, side.width - 2 * L.pad
        L.panel(side)
        y = side.y + L.pad
        if run.session.time_limit is not None:
            if self.countdown is not None:
                h = L.line_h("body", True) + max(L.line_h("h1", True), round(48 * L.u)) + 2 * L.line_h("small") \
                    + round(10 * L.u)
                box = pygame.Rect(x, y, w, h)
                L.extras["timer"] = box
                y = box.bottom + L.gap
            else:
                y = L.add_text(x, y, w, "No countdown (timers are off)", side, bold=True,
                               role="timer").rect.bottom + L.gap
        practice = run.mode == "practice"
        if not practice:
            y = L.add_text(x, y, w, "Exam mode: the meters show at the end.", side, kind="small", color=t.muted,
                           role="exam-note").rect.bottom + L.gap
        y = people_panel(L, run, side, y, show_meters=practice, compact=compact)
        y = self._notes(L, side, y)
        if not buttons:
            return y
        btn_h = L.button_height("Briefing", w // 2, kind="small")
        by = side.bottom - L.pad - btn_h
        half = (w - L.gap) // 2
        L.add_button("briefing", pygame.Rect(x, by, half, btn_h), "Briefing", lambda: self.app.push_briefing(run),
                     kind="small", center=True)
        L.add_button("people", pygame.Rect(x + half + L.gap, by, w - half - L.gap, btn_h), "People",
                     lambda: self.app.push_people(run), kind="small", center=True)
        return y + btn_h + L.pad

    def _notes(self, L: Layout, side: pygame.Rect, y: int) -> int:
        """The scenario file was edited while playing (an instructor testing with hot reload)."""
        t = L.theme
        run = self.run
        if not (run.problems or run.note):
            return y
        x, w = side.x + L.pad, side.width - 2 * L.pad
        lines = run.problems[:2]
        head = "The scenario file has errors; still playing the last good version:" if lines else run.note
        box_h = L.measure(head, w - 2 * L.gap, "small", True) + sum(
            L.measure(p, w - 2 * L.gap, "small") for p in lines) + 2 * L.gap
        box = pygame.Rect(x, y, w, box_h)
        L.panel(box, t.panel_alt, accent=t.bad if lines else t.accent)
        by = L.add_text(x + L.gap, y + L.gap, w - 2 * L.gap, head, box, kind="small", bold=True,
                        role="reload").rect.bottom
        for p in lines:
            by = L.add_text(x + L.gap, by, w - 2 * L.gap, p, box, kind="small", role="diagnostic").rect.bottom
        return box.bottom + L.gap

    # --- drawing -----------------------------------------------------------------------------

    def draw_static(self, surface: pygame.Surface) -> None:
        L = self.layout
        if L is None:
            return
        draw_faces(surface, L, self.run)
        face = L.extras.get("portrait")
        node = self.run.session.node
        if face is None or node is None or node.speaker is None:
            return
        s = L.scrolls.get("story") or L.scrolls.get("column")
        rect = face.move(0, -s.offset) if s else face
        surface.set_clip(s.view if s else None)
        from game.ui import feelings

        mood = feelings.feeling(self.run.scenario, node.speaker, {k: int(v) for k, v in
                                                                  self.run.session.values.items()})
        draw_face(surface, rect, self.run.scenario.people[node.speaker], mood.expression, L)
        surface.set_clip(None)

    def draw_live(self, surface: pygame.Surface, full: bool) -> list[pygame.Rect]:
        L = self.layout
        if L is None:
            return []
        rects: list[pygame.Rect] = []
        bars = tuple(round(v, 1) for v in self.run.shown.values())
        if full or bars != self._bars_state:
            self._bars_state = bars
            rects += draw_meters(surface, L, self.run)
        box = L.extras.get("timer")
        c = self.countdown
        if box is not None and c is not None:
            step = math.ceil(c.remaining / c.total * DIAL_STEPS) if c.total else 0
            state = (c.phase, c.shown_number(), step, c.paused, c.last_seconds)
            if full or state != self._timer_state:
                self._timer_state = state
                draw_timer(surface, L, box, c, self.app.timers == "slower")
                rects.append(box)
        return rects


WAIT_SUB = "Timers are off, so letting the moment pass is a choice you make."


def timer_words(c: Countdown, slower: bool) -> tuple[str, str]:
    """The countdown's heading and note: what state the clock is in, in words."""
    if c.paused and c.phase != "over":
        return "Timer paused", "It goes on when every choice is in view."
    if c.phase == "reading":
        return "Reading time", f"Then {round(c.total)} s to respond."
    if c.last_seconds:
        return f"Last {LAST_SECONDS} seconds", "If time runs out, you have said nothing."
    return "Time to respond", "Timers: slower (double time)" if slower else "If time runs out, you have said nothing."


def draw_timer(surface: pygame.Surface, L: Layout, box: pygame.Rect, c: Countdown, slower: bool) -> None:
    """The countdown: a heading, a dial (a warning triangle in the last seconds), the number and a note."""
    t = L.theme
    surface.fill(t.panel, box)
    phase = c.phase
    heading, note = timer_words(c, slower)
    y = box.y
    surface.blit(L.text.render(heading, L.px(), t.text, True), (box.x, y))
    y += L.line_h("body", True)
    d = max(L.line_h("h1", True), round(48 * L.u))
    dial = pygame.Rect(box.x, y + 2, d - 4, d - 4)
    width = max(2, round(3 * L.u))
    if c.paused and phase != "over":
        pygame.draw.circle(surface, t.track, dial.center, dial.width // 2, width)
        bar = pygame.Rect(0, 0, max(3, dial.width // 8), dial.height // 2)
        for dx in (-1, 1):
            bar.center = (dial.centerx + dx * dial.width // 7, dial.centery)
            pygame.draw.rect(surface, t.text, bar)
    elif phase == "reading":
        pygame.draw.circle(surface, t.track, dial.center, dial.width // 2, width)
        _book(surface, dial, t.muted, width)
    elif c.last_seconds:
        tri = [(dial.centerx, dial.top), (dial.right, dial.bottom), (dial.left, dial.bottom)]
        pygame.draw.polygon(surface, t.accent, tri)
        pygame.draw.polygon(surface, t.text, tri, width)
        mark = L.text.render("!", L.px("large"), t.bg, True)
        surface.blit(mark, mark.get_rect(center=(dial.centerx, dial.centery + dial.height // 8)))
    else:
        frac = c.remaining / c.total if c.total else 0
        pygame.draw.circle(surface, t.track, dial.center, dial.width // 2)
        _pie(surface, dial, frac, t.accent)
        pygame.draw.circle(surface, t.text, dial.center, dial.width // 2, max(1, width // 2))
    number = f"{c.shown_number()} s"
    size = L.px("h1")
    surf = L.text.render(number, size, t.text, True)
    surface.blit(surf, (dial.right + L.gap, y + (d - surf.get_height()) // 2))
    if phase == "reading" and not c.paused:
        hint = L.text.render("to read", L.px("small"), t.muted)
        surface.blit(hint, (dial.right + L.gap + surf.get_width() + L.gap // 2, y + (d - hint.get_height()) // 2 + 4))
    y += d + round(4 * L.u)
    for line in L.text.wrap(note, L.px("small"), box.width)[:2]:
        surface.blit(L.text.render(line, L.px("small"), t.muted), (box.x, y))
        y += L.line_h("small")


def _pie(surface: pygame.Surface, rect: pygame.Rect, frac: float, colour) -> None:
    """A filled wedge for the time left, starting at twelve o'clock and shrinking clockwise."""
    if frac <= 0:
        return
    cx, cy = rect.center
    r = rect.width // 2 - 1
    steps = max(2, round(48 * frac))
    points = [(cx, cy)]
    for i in range(steps + 1):
        a = -math.pi / 2 + 2 * math.pi * frac * i / steps
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    pygame.draw.polygon(surface, colour, points)


def _book(surface: pygame.Surface, rect: pygame.Rect, colour, width: int) -> None:
    """An open book inside the dial: reading time, not yet the countdown."""
    r = rect.inflate(-rect.width // 2, -rect.height // 2)
    pygame.draw.lines(surface, colour, False, [r.topleft, (r.centerx, r.top + r.height // 6), r.topright], width)
    pygame.draw.lines(surface, colour, False, [r.bottomleft, (r.centerx, r.bottom + r.height // 6 - r.height // 6),
                                               r.bottomright], width)
    pygame.draw.line(surface, colour, (r.centerx, r.top + r.height // 6), (r.centerx, r.bottom), width)
    pygame.draw.line(surface, colour, r.topleft, r.bottomleft, width)
    pygame.draw.line(surface, colour, r.topright, r.bottomright, width)
