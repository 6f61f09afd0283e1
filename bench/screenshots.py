"""Screenshots of every game screen for docs/screenshots/ (the README shows scene.png).

    python bench/screenshots.py [--size 1920x1080] [--out docs/screenshots]

Plays the realistic fixture scenario (tests/fixtures/ui/lib) with synthetic key presses, the same way
the UI tests do, and saves one PNG per screen, plus the scene in high contrast and at the largest text.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--builtin", metavar="SCENARIO", default="family-party-noise",
                    help="built-in scenario for the README screenshots (scene and end screens); '' to skip")
    a = ap.parse_args()
    size = tuple(int(v) for v in a.size.lower().split("x"))
    a.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    os.environ["COMMONGROUND_CONFIG_DIR"] = str(tmp / "config")
    from game.content.library import Library, scenario_files
    from game.content.loader import load_rubric, load_scenario
    from game.ui.app import App
    from game.ui.screens.settings import SettingsScreen

    folder = ROOT / "tests" / "fixtures" / "ui" / "lib"
    rubric = load_rubric(folder / "topics.yaml")
    scenarios = [load_scenario(p, rubric) for p in scenario_files(folder)]
    lib = Library(rubric=rubric, scenarios={s.id: s for s in scenarios})
    args = argparse.Namespace(scenario=None, trainee="Jordan Reyes", log_dir=tmp / "logs", mode="practice",
                              timers=None, library=[], text=False)
    app = App(args, size=size, fps=0, lib=lib)
    app.first_screen()
    pygame.event.clear()

    def frame(n: int = 1, dt: float = 1 / 60) -> None:
        for _ in range(n):
            app.frame(dt)

    def key(k: int) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
        frame()

    def shot(name: str) -> None:
        frame(40)  # let the meters settle
        pygame.image.save(app.surface, str(a.out / f"{name}.png"))
        print(a.out / f"{name}.png")

    shot("title")
    app.push(SettingsScreen(app))
    shot("settings")
    key(pygame.K_ESCAPE)
    key(pygame.K_RETURN)  # sign in
    key(pygame.K_RETURN)
    key(pygame.K_RETURN)  # start (a first, practice run, so the picker has a record)
    for k in (pygame.K_1, pygame.K_RETURN, pygame.K_2, pygame.K_RETURN):
        key(k)
    app.to_picker()
    frame()
    shot("picker")
    key(pygame.K_RETURN)
    key(pygame.K_RETURN)
    frame(60 * 6)  # six seconds into the countdown
    shot("scene")
    key(pygame.K_ESCAPE)
    shot("pause")
    key(pygame.K_ESCAPE)
    key(pygame.K_1)
    shot("feedback")
    key(pygame.K_RETURN)
    key(pygame.K_1)
    key(pygame.K_RETURN)
    shot("end")
    app.settings.high_contrast = True
    app.start(lib.scenarios["corner-store"])
    shot("scene-high-contrast")
    app.settings.high_contrast = False
    app.settings.text_size = 3
    app.relayout()
    shot("scene-largest-text")
    app.settings.text_size = 1
    app.relayout()
    if a.builtin:
        builtin_shots(app, a.builtin, shot, key, frame)
    app.close()


def builtin_shots(app: object, scenario_id: str, shot: Callable, key: Callable, frame: Callable) -> None:
    """The README's images: a built-in scenario's first scene, and its end screen after the exemplar path."""
    from game.analysis.exemplar import best_path
    from game.content.library import load_library

    lib = load_library(env={})
    app.lib = lib
    scenario = lib.scenarios[scenario_id]
    app.start(scenario)
    frame(60 * 4)
    shot("library-scene")
    for step in best_path(scenario, app.run.session.variant).path:
        run = app.run
        if step.endswith(".timeout"):
            run.session.time_out()
            frame()
        else:
            number = next(o.number for o in run.session.choices if o.id == step)
            key(getattr(pygame, f"K_{number}"))
            key(pygame.K_RETURN)  # past the practice feedback
        frame(2)
    shot("library-end")


if __name__ == "__main__":
    main()
