"""Screenshots of every screen of the game as shipped, in a real window, for docs/screenshots/ and the README.

    python bench/screenshots.py [--size 1280x720 --size 1920x1080] [--out docs/screenshots]

Runs the installed game on the built-in library through SDL's x11 driver, on the X display in $DISPLAY or
on a private Xvfb it starts (``apt-get install xvfb``), driving it with the same synthetic key presses
a trainee's keyboard sends, and saves the window's own pixels: ``OUT/WxH/NAME.png`` for each screen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_frames import start_xvfb  # noqa: E402

TIMED = "bridge-rail"
"""A built-in scenario whose first scene is timed, for the countdown screenshots."""
STORY = "family-party-noise"
"""The README's scenario: briefing, scene, feedback and end screen."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", action="append", default=[])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    a = ap.parse_args()
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in (a.size or ["1280x720", "1920x1080"])]
    xvfb = start_xvfb(max(sizes))
    try:
        for size in sizes:
            shoot(size, a.out / f"{size[0]}x{size[1]}")
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def shoot(size: tuple[int, int], out: Path) -> None:
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy", COMMONGROUND_CONFIG_DIR=str(tmp / "config"),
                      COMMONGROUND_DATA_DIR=str(tmp / "data"))
    import pygame

    from game.analysis.exemplar import best_path
    from game.content.library import load_library
    from game.ui.app import App
    from game.ui.screens.settings import SettingsScreen

    out.mkdir(parents=True, exist_ok=True)
    lib = load_library(env={})
    args = argparse.Namespace(scenario=None, trainee=None, log_dir=None, mode="practice", timers=None,
                              library=[], text=False)
    app = App(args, size=size, fps=0, lib=lib)
    app.first_screen()
    pygame.event.clear()

    def frame(n: int = 1, dt: float = 1 / 60) -> None:
        for _ in range(n):
            app.frame(dt)

    def key(k: int, n: int = 1) -> None:
        for _ in range(n):
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
            frame()

    def shot(name: str) -> None:
        frame(40)  # let the meters settle
        app._shown = []  # one full redraw, so the saved pixels are the whole window as shown
        frame()
        pygame.image.save(app.surface, str(out / f"{name}.png"))
        print(out / f"{name}.png")

    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Jordan Reyes"))
    frame()
    shot("title")
    app.push(SettingsScreen(app))
    shot("settings")
    key(pygame.K_ESCAPE)
    key(pygame.K_RETURN)  # sign in
    app.top.choose(STORY)
    shot("picker")
    key(pygame.K_RETURN)  # start
    shot("briefing")
    key(pygame.K_RETURN)
    shot("scene")
    key(pygame.K_p)
    shot("people")
    key(pygame.K_ESCAPE)
    key(pygame.K_ESCAPE)
    shot("pause")
    key(pygame.K_ESCAPE)
    scenario = lib.scenarios[STORY]
    first = True
    for step in best_path(scenario, app.run.session.variant).path:
        run = app.run
        if step.endswith(".timeout"):
            run.session.time_out()
            run.last_step = run.session.history[-1]
            app.show_feedback(run, run.last_step, app.top)
        else:
            number = next(o.number for o in run.session.choices if o.id == step)
            key(getattr(pygame, f"K_{number}"))
        if first:
            shot("feedback")
            first = False
        key(pygame.K_RETURN)  # past the practice feedback
    frame(40, dt=0.6)
    shot("end")
    app.set_timers("on")
    app.start(lib.scenarios[TIMED])
    key(pygame.K_RETURN)
    frame(1, dt=app.top.countdown.reading * 0.6)
    shot("scene-reading-time")
    frame(1, dt=app.top.countdown.reading + 6)
    shot("scene-countdown")
    frame(1, dt=app.top.countdown.remaining - 3.5)
    shot("scene-last-seconds")
    app.mode = "exam"
    app.start(lib.scenarios[TIMED], mode="exam")
    key(pygame.K_RETURN)
    shot("scene-exam")
    app.settings.high_contrast = True
    app.start(lib.scenarios[STORY])
    key(pygame.K_RETURN)
    shot("scene-high-contrast")
    app.settings.high_contrast = False
    app.settings.text_size = 3
    app.relayout()
    shot("scene-largest-text")
    app.close()


if __name__ == "__main__":
    main()
