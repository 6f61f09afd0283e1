"""Drive the pygame game with synthetic events, the way a trainee would, and read what it shows.

The dummy video and audio drivers are selected before pygame starts, so the tests need no display.
Events go through pygame's own queue (``pygame.event.post``) and one ``App.frame()`` handles them,
exactly as in the real loop; the layout each screen built is what the assertions read.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse
import io
import json
from pathlib import Path

import pygame

from game.content.library import Library, scenario_files
from game.content.loader import load_rubric, load_scenario
from game.textplay import TextPlay
from game.ui.app import App
from game.ui.layout import Button, Layout
from tests.conftest import LIB

VOLATILE = ("ts", "session", "prev", "hash", "elapsed")


def fixture_library(folder: Path = LIB) -> Library:
    """Only the fixture scenarios, so the tests never depend on the built-in content."""
    rubric = load_rubric(folder / "topics.yaml")
    scenarios = [load_scenario(p, rubric) for p in scenario_files(folder)]
    return Library(rubric=rubric, scenarios={s.id: s for s in scenarios}, dirs=[folder])


class Driver:
    def __init__(self, log_dir: Path, *, size: tuple[int, int] = (1280, 720), trainee: str | None = None,
                 scenario: str | None = None, mode: str = "practice", timers: str | None = None,
                 lib: Library | None = None, briefing: bool = False, at: str | None = None,
                 values: tuple[str, ...] = ()):
        """``briefing``: stop at the briefing of a scenario named on the command line (else go past it).
        ``at`` and ``values``: a test run, as ``play SCENARIO --at NODE --set NAME=VALUE`` starts one."""
        args = argparse.Namespace(scenario=scenario, trainee=trainee, log_dir=log_dir, mode=mode, timers=timers,
                                  library=[str(LIB)], text=False, at=at, set=list(values))
        self.app = App(args, size=size, fps=0, lib=lib or fixture_library())
        self.app.first_screen()
        pygame.event.clear()  # the queue starts with the window's own events
        self.frame()
        if self.screen == "briefing" and not briefing:
            self.key(pygame.K_RETURN)

    def begin(self) -> None:
        """Past the briefing into the first scene, and past its reading time, so the countdown runs."""
        assert self.screen == "briefing", self.screen
        self.key(pygame.K_RETURN)
        self.read()

    def read(self) -> None:
        """Let the reading allowance of a timed scene pass."""
        c = getattr(self.app.top, "countdown", None)
        if c is not None and c.reading > 0:
            self.frame(dt=c.reading)

    # --- input ------------------------------------------------------------------------------

    def frame(self, dt: float = 1 / 60) -> None:
        self.app.frame(dt)

    def key(self, key: int, mod: int = 0, times: int = 1) -> None:
        for _ in range(times):
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
            self.frame()

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.frame()

    def button(self, bid: str) -> Button:
        L = self.layout
        found = [b for b in L.buttons if b.id == bid]
        assert found, f"no button {bid!r} on {self.screen}: {[b.id for b in L.buttons]}"
        return found[0]

    def click(self, bid: str) -> None:
        """Move the mouse onto a button (scrolling with the wheel if it is out of view) and click it."""
        b = self.button(bid)
        for _ in range(50):
            if b.scroll is None or b.scroll.view.contains(b.screen_rect()):
                break
            down = b.screen_rect().centery > b.scroll.view.centery
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=b.scroll.view.center, rel=(0, 0),
                                                 buttons=(0, 0, 0)))
            pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1 if down else 1, flipped=False,
                                                 precise_x=0.0, precise_y=-1.0 if down else 1.0))
            self.frame()
            b = self.button(bid)
        pos = b.screen_rect().center
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
        self.frame()

    # --- reading ----------------------------------------------------------------------------

    @property
    def screen(self) -> str:
        return self.app.top.name

    @property
    def layout(self) -> Layout:
        return self.app.layout_for(self.app.top)

    def texts(self, role: str | None = None) -> list[str]:
        return [t.text for t in self.layout.texts if role is None or t.role == role]

    def shows(self, fragment: str) -> bool:
        return any(fragment in t for t in self.texts())

    def close(self) -> None:
        self.app.close()


def events(path: Path) -> list[dict]:
    """A log's events without what differs from run to run (times, ids, hashes)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        out.append({k: v for k, v in e.items() if k not in VOLATILE})
    return out


def only_log(folder: Path) -> Path:
    logs = sorted(folder.glob("*.jsonl"))
    assert len(logs) == 1, logs
    return logs[0]


def terminal_log(lib: Library, scenario_id: str, answers: list[str], folder: Path, *, trainee: str,
                 mode: str = "practice") -> Path:
    """Play the same choices in terminal mode (``play --text``) and return its log."""
    stdin = io.StringIO("".join(a + "\n" for a in answers))
    TextPlay(lib, lib.scenarios[scenario_id], trainee=trainee, log_dir=folder, mode=mode, timers="on",
             stdin=stdin, stdout=io.StringIO()).run()
    return only_log(folder)
