"""Frame time of the game's scene screen against a bare ``fill()+flip()`` loop at the same size.

    python bench/bench_frames.py [--size 1920x1080] [--frames 900] [--text-size 1]

Prints the median and 99th-percentile frame time (ms) of the scene (a timed node, so the countdown
and the meters are live) and the ratio to the bare loop. Uses the dummy video driver unless a
display is available. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bare_loop(size: tuple[int, int], frames: int) -> list[float]:
    surface = pygame.display.set_mode(size)
    times = []
    for i in range(frames):
        start = time.perf_counter()
        pygame.event.pump()
        surface.fill((24, 29, 36) if i % 2 else (25, 29, 36))
        pygame.display.flip()
        times.append(time.perf_counter() - start)
    return times


def scene_loop(size: tuple[int, int], frames: int, text_size: int, library: Path, scenario: str) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COMMONGROUND_CONFIG_DIR"] = str(Path(tmp) / "config")
        from game.content.library import Library, scenario_files
        from game.content.loader import load_rubric, load_scenario
        from game.ui.app import App

        rubric = load_rubric(library / "topics.yaml")
        scenarios = [load_scenario(p, rubric) for p in scenario_files(library)]
        lib = Library(rubric=rubric, scenarios={s.id: s for s in scenarios})
        args = argparse.Namespace(scenario=scenario, trainee="bench", log_dir=Path(tmp) / "logs", mode="practice",
                                  timers="slower", library=[], text=False)
        app = App(args, size=size, fps=0, lib=lib)
        app.settings.text_size = text_size
        app.first_screen()
        pygame.event.clear()
        for _ in range(10):  # warm the caches as a trainee's first second would
            app.frame(1 / 60)
        assert app.top.name == "scene"
        times = []
        for _ in range(frames):
            start = time.perf_counter()
            app.frame(1 / 60)
            times.append(time.perf_counter() - start)
        assert app.top.name == "scene", "the countdown ran out during the benchmark"
        renders = app.text.renders
        app.close()
    print(f"text renders (cache misses) during the whole run: {renders}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--frames", type=int, default=900)
    ap.add_argument("--text-size", type=int, default=1)
    ap.add_argument("--library", type=Path, default=ROOT / "tests" / "fixtures" / "ui" / "lib")
    ap.add_argument("--scenario", default="corner-store")
    a = ap.parse_args()
    size = tuple(int(v) for v in a.size.lower().split("x"))
    pygame.display.init()
    pygame.font.init()
    driver = pygame.display.get_driver()
    bare = bare_loop(size, a.frames)
    scene = scene_loop(size, a.frames, a.text_size, a.library, a.scenario)
    bm, sm = statistics.median(bare) * 1000, statistics.median(scene) * 1000
    b99, s99 = percentile(bare, 99) * 1000, percentile(scene, 99) * 1000
    print(f"video driver: {driver}, size {size[0]}x{size[1]}, {a.frames} frames")
    print(f"bare fill()+flip():  median {bm:6.3f} ms   p99 {b99:6.3f} ms")
    print(f"scene screen:        median {sm:6.3f} ms   p99 {s99:6.3f} ms")
    print(f"ratio scene / bare:  median {sm / bm:5.2f}x    p99 {s99 / b99:5.2f}x")
    print(f"frame budget at 60 FPS: 16.667 ms; scene p99 uses {s99 / 16.667:.0%} of it")


if __name__ == "__main__":
    main()
