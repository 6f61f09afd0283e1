"""The game window: the frame loop, input routing (mouse and keyboard alike) and the screen stack.

``commonground play`` without ``--text`` calls :func:`run_game`. The app is a view: it reads the
Session and calls it; scores, branches and endings all come from the engine.

``play SCENARIO --at NODE [--set NAME=VALUE]`` is the developer flag: the window opens straight on
that node, with no sign-in or briefing, as a test run (logged as one, with a banner on every screen).
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

import pygame

from game import userdirs
from game.content.format import Scenario
from game.content.library import Library, load_library
from game.engine import startpoint
from game.engine.session import EngineError, Step
from game.records.logfile import LogWriteError
from game.ui import settings as settings_mod
from game.ui import speech
from game.ui.layout import Button, Layout
from game.ui.render import draw_button, draw_layout
from game.ui.run import Run
from game.ui.screens.base import Screen
from game.ui.screens.briefing import BriefingScreen
from game.ui.screens.end import EndScreen
from game.ui.screens.feedback import FeedbackScreen
from game.ui.screens.pause import PauseScreen
from game.ui.screens.people import PeopleScreen
from game.ui.screens.picker import PickerScreen
from game.ui.screens.scene import SceneScreen
from game.ui.screens.settings import SettingsScreen
from game.ui.screens.title import TitleScreen
from game.ui.text import Text
from game.ui.theme import THEMES, Theme

DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (960, 540)
CAPTION = "Common Ground"
GUARD_SECONDS = 0.5
"""A screen that guards against a hurried second key press ignores activations this long after it opens."""
IDLE_WAKE = 1.0
"""Longest sleep between frames when nothing is moving (seconds); any input wakes the loop at once."""


class App:
    def __init__(self, args: argparse.Namespace, *, size: tuple[int, int] | None = None, fps: int = 60,
                 lib: Library | None = None):
        self.args = args
        self.settings = settings_mod.load()
        self.timers_override: str | None = getattr(args, "timers", None)
        self.lib = lib or load_library(getattr(args, "library", None) or [])
        self.log_dir: Path = getattr(args, "log_dir", None) or userdirs.log_dir()
        self.trainee = (getattr(args, "trainee", None) or "").strip()
        """Nobody is signed in at start unless --trainee says so: the last trainee's name is never reused."""
        self.mode = getattr(args, "mode", None) or self.settings.mode
        self.test_at: str | None = getattr(args, "at", None)
        """A test run from this node (``play SCENARIO --at NODE``). It makes the window a developer's: every
        start of that scenario here is a test run from the node, and any other scenario a test run from its start."""
        self.test_set = startpoint.parse_settings(getattr(args, "set", None) or []) if self.test_at else {}
        self.test_scenario: str | None = None
        """The id of the scenario the test run is of (found when the first screen opens)."""
        self.fps = fps
        self.text = Text()
        self.speaker = speech.Speaker()
        self.run: Run | None = None
        self.runs: list[Run] = []
        self.stack: list[Screen] = []
        self.running = True
        self.mouse = (-1, -1)
        self._pressed: str | None = None
        self.frame_count = 0
        self.full_draws = 0
        """Frames that redrew the whole window (a layout change); the tests and the benchmark read it."""
        self.partial_draws = 0
        """Frames that updated only what moved (the countdown, a meter easing)."""
        self.time = 0.0
        """Seconds of play since the window opened: the sum of frame times (tests advance it by hand)."""
        self._held: list[pygame.event.Event] = []
        self._last = time.monotonic()
        self._shown: list[int] = []
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(400, 40)
        self.window_size = size or self._saved_size() or DEFAULT_SIZE
        self._set_icon()
        self.surface = self._open_window()
        self._place_window(size is None)
        pygame.display.set_caption(CAPTION)
        self.clock = pygame.time.Clock()

    # --- window and settings ------------------------------------------------------------------

    def _open_window(self) -> pygame.Surface:
        _native_framebuffer()
        if self.settings.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(self.window_size, pygame.RESIZABLE)

    def _saved_size(self) -> tuple[int, int] | None:
        """The window's size when it last closed, if it still fits on a screen of this computer."""
        if len(self.settings.window) != 4:
            return None
        w, h = self.settings.window[2:]
        try:
            desktops = pygame.display.get_desktop_sizes()
        except pygame.error:
            desktops = []
        fits = any(w <= dw and h <= dh for dw, dh in desktops) if desktops else True
        return (w, h) if fits and w >= MIN_SIZE[0] and h >= MIN_SIZE[1] else None

    def _place_window(self, restore: bool) -> None:
        """Put the window where it was last time (the size was restored when it opened)."""
        if not restore or self.settings.fullscreen or len(self.settings.window) != 4:
            return
        x, y = self.settings.window[:2]
        try:
            if x >= 0 and y >= 0:
                pygame.display.set_window_position((x, y))
        except (pygame.error, AttributeError, TypeError):
            pass

    def _remember_window(self) -> None:
        if self.settings.fullscreen:
            return
        try:
            x, y = pygame.display.get_window_position()
            w, h = self.surface.get_size()
        except (pygame.error, AttributeError, TypeError):
            return
        self.settings.window = [int(x), int(y), int(w), int(h)]

    def _set_icon(self) -> None:
        from game.content.library import builtin_dir

        path = builtin_dir("assets") / "icon.png"
        with contextlib.suppress(pygame.error, FileNotFoundError):
            pygame.display.set_icon(pygame.image.load(str(path)))

    @property
    def theme(self) -> Theme:
        return THEMES[self.settings.high_contrast]

    @property
    def timers(self) -> str:
        return self.timers_override or self.settings.timers

    def set_timers(self, value: str) -> None:
        self.timers_override = None
        self.settings.timers = value

    def save_settings(self) -> None:
        settings_mod.save(self.settings)

    def apply_display(self) -> None:
        """Switch windowed/fullscreen, then lay every screen out again."""
        self.surface = self._open_window()
        self.relayout()

    def relayout(self) -> None:
        for screen in self.stack:
            screen.dirty = True

    def sign_out(self) -> None:
        """The next person at this workstation starts from an empty name field."""
        self.end_run()
        self.trainee = ""
        self.settings.trainee = ""
        self.save_settings()
        self.show_title()

    # --- screens ------------------------------------------------------------------------------

    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen) -> None:
        self.stack.append(screen)
        screen.opened_at = self.time
        screen.on_show()

    def pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()
            self.top.redraw = True
            self.top.on_show()

    def replace(self, screen: Screen) -> None:
        """Make ``screen`` the only screen (moving between title, picker, scene, end)."""
        self.stack = [screen]
        screen.opened_at = self.time
        screen.on_show()

    # --- moving between screens: screens ask the app, so no screen imports another -------------

    def show_title(self) -> None:
        self.replace(TitleScreen(self))

    def show_scene(self, run: Run) -> None:
        self.replace(SceneScreen(self, run))

    def show_feedback(self, run: Run, step: Step, scene: SceneScreen) -> None:
        self.replace(FeedbackScreen(self, run, step, scene))

    def show_end(self, run: Run) -> None:
        self.replace(EndScreen(self, run))

    def show_briefing(self, run: Run) -> None:
        self.replace(BriefingScreen(self, run))

    def push_briefing(self, run: Run) -> None:
        self.push(BriefingScreen(self, run, again=True))

    def push_people(self, run: Run) -> None:
        self.push(PeopleScreen(self, run))

    def push_pause(self, run: Run) -> None:
        self.push(PauseScreen(self, run))

    def push_settings(self) -> None:
        self.push(SettingsScreen(self))

    def first_screen(self) -> None:
        wanted = getattr(self.args, "scenario", None)
        if wanted and self.test_at:  # an author's test run: no sign-in, no briefing
            scenario = self.lib.find(wanted)
            self.test_scenario = scenario.id
            self.replace(PickerScreen(self))
            self.start(scenario)
        elif wanted and self.trainee:
            scenario = self.lib.find(wanted)
            self.replace(PickerScreen(self))
            self.start(scenario)
        else:
            self.replace(TitleScreen(self, then=wanted))

    # --- runs ---------------------------------------------------------------------------------

    def start(self, scenario: Scenario, mode: str | None = None) -> None:
        """Begin a playthrough and show its first node (only once its log is safely on disk)."""
        self.end_run()
        fixed = getattr(self.args, "variant", None)  # play --variant NAME, for the scenario that has it
        tested = scenario.id == self.test_scenario
        at = (self.test_at if tested else scenario.start) if self.test_at else None  # a developer's window
        try:
            self.run = Run(scenario, self.lib.rubric, trainee=self.trainee or "trainee", log_dir=self.log_dir,
                           mode=mode or self.mode, variant=fixed if fixed in scenario.variants else None,
                           at=at, settings=self.test_set if tested else None)
        except LogWriteError as exc:
            self.stop_run(exc.short)
            return
        except startpoint.StartError as exc:  # the scenario was edited since: the node or a value is gone
            self.stop_run(f"This test run cannot start: {exc}.")
            return
        except EngineError as exc:
            self.stop_run(f"This scenario cannot be played ({exc}). Tell your instructor.")
            return
        self.runs.append(self.run)
        if self.run.test_run:  # straight to the node under test
            self.show_scene(self.run)
            return
        if self.trainee:
            self.settings.remember_scenario(self.trainee, scenario.id)
            self.save_settings()
        self.show_briefing(self.run)

    def end_run(self, reason: str | None = None) -> None:
        """Leave the current playthrough; an unfinished one is logged as abandoned."""
        if self.run is not None:
            with contextlib.suppress(LogWriteError, EngineError):  # the log is already broken; stop_run says so
                self.run.abandon(reason)
            # Leaving a run is a screen change: wait (briefly) until its last lines are on disk, so the
            # next trainee at this workstation never starts while the last record is still in flight.
            self.run.log.drain(2.0)
            self.speaker.stop()
            self.run = None

    def stop_run(self, message: str) -> None:
        """A session that cannot go on (its log cannot be written, the engine stopped): end it, say why."""
        self.end_run(message[:300])
        screen = TitleScreen(self)
        screen.message = message
        self.replace(screen)

    def to_picker(self) -> None:
        self.end_run()
        self.replace(PickerScreen(self))

    def quit(self) -> None:
        self.end_run()
        self.running = False

    def say(self, text: str) -> None:
        if self.settings.read_aloud:
            self.speaker.say(text)

    # --- the frame ----------------------------------------------------------------------------

    def layout_for(self, screen: Screen) -> Layout:
        if screen.dirty or screen.layout is None or (screen.layout.w, screen.layout.h) != self.surface.get_size():
            L = Layout(self.surface.get_size(), self.theme, self.text, self.settings.text_scale)
            screen.build(L)
            for s in L.scrolls.values():
                s.offset = screen.offsets.get(s.id, 0)
                s.clamp()
            ids = [b.id for b in L.buttons]
            if screen.focus not in ids:
                wanted = screen.default_focus
                screen.focus = (ids[0] if ids else None) if wanted == "" else wanted if wanted in ids else None
            screen.layout = L
            screen.dirty = False
            screen.redraw = True
        return screen.layout

    def frame(self, dt: float | None = None) -> None:
        """One frame: input, update, and a redraw of only what changed. Tests call it directly with ``dt``."""
        if dt is None:
            dt = self.clock.tick(self.fps) / 1000 if self.fps else 1 / 60
        self.time += dt
        try:
            events, self._held = self._held + pygame.event.get(), []
            for event in events:
                self.handle(event)
                if not self.running:
                    return
            if self.run is not None and self.run.poll():
                for screen in self.stack:
                    screen.dirty = True
            self.top.moving = self.run is not None and self.run.animate(dt)
            self.top.update(dt)
        except LogWriteError as exc:
            self.stop_run(exc.short)
        except EngineError as exc:
            self.end_run(f"engine error: {exc}")
            self.stop_run(f"The scenario stopped unexpectedly ({exc}); the session was saved as abandoned. "
                          "Tell your instructor.")
        if not self.running:
            return
        if self.run is not None and self.run.log.failure is not None:  # a background write failed
            self.stop_run(self.run.log.failure.short)
        self.draw()
        self.frame_count += 1

    def next_wake(self) -> float:
        """Seconds the loop may sleep before something on screen must change (input wakes it sooner)."""
        wake = IDLE_WAKE
        if self.run is not None and self.run.watcher is not None:
            wake = min(wake, max(0.0, self.run.until_poll()))
        if self.top.moving:
            return 0.0
        return max(0.0, min(wake, self.top.next_wake()))

    def draw(self) -> None:
        """Redraw the window only when something changed: all of it after a layout change, else the live parts.

        Each screen keeps its layout drawn with no button focused (``static``); the focused button is drawn
        over it on the window, so moving the focus redraws two buttons, not the window.
        """
        visible = self._visible()
        shown = [id(s) for s in visible]
        size = self.surface.get_size()
        full = shown != self._shown
        for screen in visible:
            L = self.layout_for(screen)
            if screen.redraw or screen.static is None or screen.static.get_size() != size:
                self._render_static(screen, L, size)
                full = True
        if full:
            for screen in visible:
                self.surface.blit(screen.static, (0, 0))
                screen.draw_live(self.surface, full=True)
            self._draw_focus(self.surface.get_rect())
            self._shown = shown
            self.full_draws += 1
            pygame.display.flip()
            return
        rects = self._refocus(visible) + self.top.draw_live(self.surface, full=False)
        if rects:
            self.partial_draws += 1
            pygame.display.update(rects)

    def _visible(self) -> list[Screen]:
        if self.top.overlay and len(self.stack) > 1:
            return [self.stack[-2], self.top]
        return [self.top]

    def _render_static(self, screen: Screen, L: Layout, size: tuple[int, int]) -> None:
        """Draw a screen's layout with no button focused, into a surface kept from frame to frame."""
        if screen.static is None or screen.static.get_size() != size:
            screen.static = pygame.Surface(size, pygame.SRCALPHA if screen.overlay else 0)
        draw_layout(screen.static, L, None, fill=L.theme.overlay if screen.overlay else None)
        screen.draw_static(screen.static)
        screen.redraw = False
        screen.refocus = set()

    def _draw_focus(self, clip: pygame.Rect) -> None:
        L = self.top.layout
        button = next((b for b in L.buttons if b.id == self.top.focus), None) if L else None
        if button is not None:
            draw_button(self.surface, L, button, True, clip=clip)

    def _refocus(self, visible: list[Screen]) -> list[pygame.Rect]:
        """Put back the buttons whose focus changed, and the focus ring on the new one; returns the rects."""
        screen = self.top
        changed, screen.refocus = screen.refocus, set()
        L = screen.layout
        if not changed or L is None:
            return []
        rects = []
        window = self.surface.get_rect()
        ring = 4 * max(1, round(L.u)) + 2
        for b in L.buttons:
            if b.id not in changed:
                continue
            region = b.screen_rect().inflate(2 * ring, 2 * ring).clip(b.scroll.view if b.scroll else window)
            if not region.width or not region.height:
                continue
            for s in visible:
                self.surface.blit(s.static, region, region)
            self._draw_focus(region)
            rects.append(region)
        return rects

    def loop(self) -> int:
        """The frame loop: it sleeps in the operating system until input arrives or something must move."""
        self.first_screen()
        self._last = time.monotonic()
        while self.running:
            self.tick()
        return 0

    def tick(self) -> None:
        """One turn of the loop: a frame, then sleep until the next input or the next change on screen."""
        now = time.monotonic()
        self.frame(min(now - self._last, 0.25))
        self._last = now
        if not self.running:
            return
        wake = self.next_wake()
        if wake <= 0:
            self.clock.tick(self.fps or 60)
            return
        event = pygame.event.wait(max(1, round(wake * 1000)))
        if event.type != pygame.NOEVENT:
            self._held.append(event)

    # --- input --------------------------------------------------------------------------------

    def button_at(self, pos: tuple[int, int]) -> Button | None:
        L = self.top.layout
        if L is None:
            return None
        for b in reversed(L.buttons):
            if b.scroll is not None and not b.scroll.view.collidepoint(pos):
                continue
            if b.screen_rect().collidepoint(pos):
                return b
        return None

    def set_focus(self, bid: str | None, *, reveal: bool = True) -> None:
        screen = self.top
        if bid == screen.focus:
            return
        old, screen.focus = screen.focus, bid
        screen.refocus |= {b for b in (old, bid) if b is not None}  # the next frame redraws just these two
        if bid is None or screen.layout is None:
            return
        button = next((b for b in screen.layout.buttons if b.id == bid), None)
        if button is not None and reveal and button.scroll is not None:
            s = button.scroll
            if button.rect.top - s.offset < s.view.top:
                s.offset = button.rect.top - s.view.top - screen.layout.gap
            elif button.rect.bottom - s.offset > s.view.bottom:
                s.offset = button.rect.bottom - s.view.bottom + screen.layout.gap
            s.clamp()
            if screen.offsets.get(s.id, 0) != s.offset:
                screen.redraw = True
            screen.offsets[s.id] = s.offset
        screen.on_focus(bid)

    def move_focus(self, delta: int) -> None:
        L = self.layout_for(self.top)
        ids = [b.id for b in L.buttons]
        if not ids:
            return
        i = ids.index(self.top.focus) if self.top.focus in ids else -delta if delta > 0 else 0
        self.set_focus(ids[(i + delta) % len(ids)])

    def guarded(self) -> bool:
        """True while the top screen ignores activations (just opened, after a hurried key press)."""
        screen = self.top
        return screen.guard and self.time - screen.opened_at < GUARD_SECONDS

    def activate(self, bid: str | None, *, backward: bool = False) -> None:
        """Press a button; ``backward`` (a right click) steps a setting the other way where that means anything."""
        L = self.top.layout
        button = next((b for b in L.buttons if b.id == bid), None) if L else None
        if button is None or self.guarded():
            return
        if backward and button.back_action is not None:
            button.back_action()
        elif not backward:
            button.action()

    def scroll_by(self, pixels: int, at: tuple[int, int] | None = None) -> None:
        screen = self.top
        L = self.layout_for(screen)
        areas = list(L.scrolls.values())
        if at is not None:
            areas = [s for s in areas if s.view.collidepoint(at)] or areas
        for s in areas[:1]:
            s.offset += pixels
            s.clamp()
            screen.offsets[s.id] = s.offset
            screen.redraw = True

    def handle(self, event: pygame.event.Event) -> None:
        et = event.type
        if et == pygame.QUIT:
            self.quit()
        elif et in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            if not self.settings.fullscreen and et == pygame.VIDEORESIZE:
                w, h = max(MIN_SIZE[0], event.w), max(MIN_SIZE[1], event.h)
                self.window_size = (w, h)
                if self.surface.get_size() != (w, h):
                    self.surface = pygame.display.set_mode((w, h), pygame.RESIZABLE)
            self.relayout()
        elif et in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN):
            self._shown = []  # the window system lost what was shown: put it all back (no relayout needed)
        elif et == pygame.TEXTINPUT:
            self.top.on_text(event.text)
        elif et == pygame.KEYDOWN:
            self.key(event)
        elif et == pygame.MOUSEMOTION:
            self.mouse = event.pos
            b = self.button_at(event.pos)
            if b is not None:
                self.set_focus(b.id, reveal=False)
        elif et == pygame.MOUSEBUTTONDOWN and event.button in (1, 3):
            self.mouse = event.pos
            b = self.button_at(event.pos)
            self._pressed = (b.id, event.button) if b else None
            if b is not None:
                self.set_focus(b.id, reveal=False)
        elif et == pygame.MOUSEBUTTONUP and event.button in (1, 3):
            self.mouse = event.pos
            b = self.button_at(event.pos)
            pressed, self._pressed = self._pressed, None
            if b is not None and pressed == (b.id, event.button):
                self.activate(b.id, backward=event.button == 3)
        elif et == pygame.MOUSEWHEEL:
            L = self.layout_for(self.top)
            self.scroll_by(-event.y * 3 * L.line_h(), self.mouse)

    def key(self, event: pygame.event.Event) -> None:
        screen = self.top
        self.layout_for(screen)
        if screen.on_key(event):
            return
        k = event.key
        L = screen.layout
        assert L is not None
        if k == pygame.K_ESCAPE:
            screen.back()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.activate(screen.focus)
        elif k == pygame.K_TAB:
            self.move_focus(-1 if event.mod & pygame.KMOD_SHIFT else 1)
        elif k in (pygame.K_UP, pygame.K_DOWN) and screen.scroll_keys:
            self.scroll_by((-1 if k == pygame.K_UP else 1) * 2 * L.line_h())
        elif k in (pygame.K_UP, pygame.K_LEFT):
            self.move_focus(-1)
        elif k in (pygame.K_DOWN, pygame.K_RIGHT):
            self.move_focus(1)
        elif k in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            view = next(iter(L.scrolls.values())).view.height if L.scrolls else L.h // 2
            self.scroll_by((-1 if k == pygame.K_PAGEUP else 1) * int(view * 0.8))
        elif pygame.K_1 <= k <= pygame.K_9 or pygame.K_KP1 <= k <= pygame.K_KP9:
            n = str(k - pygame.K_0 if k <= pygame.K_9 else k - pygame.K_KP1 + 1)
            button = next((b for b in L.buttons if b.key == n), None)
            if button is not None and not self.guarded():
                self.set_focus(button.id)
                button.action()

    # --- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Finish every log on disk, remember where the window was, then close it (a log that could not be written
        is said on stderr)."""
        import sys

        self.end_run()
        self._remember_window()
        self.save_settings()
        for run in self.runs:
            run.finish_writing()
            if run.log.failure is not None:
                print(f"commonground: {run.log.failure}", file=sys.stderr)
        self.speaker.stop()
        pygame.display.quit()


def _native_framebuffer() -> None:
    """On X11, draw into the window's own shared-memory image instead of a GL texture SDL would otherwise make.

    With the texture, updating a 50-pixel rect presents the whole window (about 18 ms at 1920x1080 on a
    software GL); with the native image, SDL sends only the changed rects (0.02 ms) and a full frame costs
    under a millisecond. Other platforms keep SDL's default (macOS has no native framebuffer).
    """
    import os
    import sys

    if sys.platform.startswith("linux"):
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")


def run_game(args: argparse.Namespace) -> int:
    import sys

    from game.content.diagnostics import LoadError, format_report

    if _no_display():
        print("commonground: no display to open the game window on; play on a desktop session, "
              "or in the terminal with --text", file=sys.stderr)
        return 2
    try:
        app = App(args)
    except LoadError as exc:
        print(format_report(exc.diagnostics), file=sys.stderr)
        return 1
    except pygame.error as exc:
        print(f"commonground: cannot open the game window ({exc}); use --text", file=sys.stderr)
        return 2
    _end_cleanly_on_signals()
    try:
        return app.loop()
    except KeyError as exc:
        print(f"commonground: {exc.args[0]}", file=sys.stderr)
        return 2
    except LoadError as exc:
        print(format_report(exc.diagnostics), file=sys.stderr)
        return 1
    finally:
        app.close()


def _end_cleanly_on_signals() -> None:
    """A workstation shutting down (SIGTERM, SIGHUP) ends the session like closing the window does.

    The handler only queues a quit event: the frame loop then ends the session as abandoned and
    finishes every log, with no exception thrown into whatever the loop was doing at that moment.
    """
    import signal

    def stop(_signum: int, _frame: object) -> None:
        pygame.event.post(pygame.event.Event(pygame.QUIT))

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _no_display() -> bool:
    """True when SDL found no screen and fell back to drawing nowhere (a headless machine, an SSH login).

    An explicit ``SDL_VIDEODRIVER`` (tests use ``dummy``) is the caller's choice and is respected.
    """
    import os

    if os.environ.get("SDL_VIDEODRIVER"):
        return False
    pygame.display.init()
    return pygame.display.get_driver() in ("offscreen", "dummy")
