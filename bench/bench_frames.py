"""The game's footprint on a real X display: frame times against a bare fill-and-flip, idle CPU per screen,
memory while playing.

    python bench/bench_frames.py [--size 1920x1080] [--frames 600] [--idle 3] [--scenario bridge-rail]

Runs on the X display in $DISPLAY, or starts its own Xvfb (``apt-get install xvfb``) when there is none,
so SDL draws through its real x11 driver, not the dummy one (which hides the cost of pushing pixels).
Prints, all measured in the same run on the same display:

- a bare ``fill()`` + ``flip()`` of the whole window (the baseline), then the game's frames on a timed
  scene (a running countdown, faces and meters): every frame at 60 Hz, the frames that redraw the
  countdown, and full redraws (focus moving every frame); each as median and p99, and as a ratio to
  the baseline;
- idle CPU per screen: the real frame loop left alone for a few seconds on each screen, as a share of
  one core (process CPU time over wall time);
- memory: resident size after playing the scenario through to its end screen, and the peak.

Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_xvfb(size: tuple[int, int]) -> subprocess.Popen | None:
    """A private X server when there is no display; None when one is already there."""
    if os.environ.get("DISPLAY"):
        return None
    exe = shutil.which("Xvfb")
    if exe is None:
        sys.exit("bench_frames: no X display and no Xvfb (apt-get install xvfb)")
    for n in range(90, 120):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    proc = subprocess.Popen([exe, f":{n}", "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{n}"
    return proc


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], None], frames: int) -> list[float]:
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--frames", type=int, default=600)
    ap.add_argument("--idle", type=float, default=3.0, help="seconds of idle measured on each screen")
    ap.add_argument("--scenario", default="bridge-rail", help="a built-in scenario with a timed first scene")
    ap.add_argument("--gl-framebuffer", action="store_true",
                    help="use SDL's GL-texture window surface (the game turns it off on X11) to compare")
    a = ap.parse_args()
    size = tuple(int(v) for v in a.size.lower().split("x"))
    xvfb = start_xvfb(size)
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy", COMMONGROUND_CONFIG_DIR=str(tmp / "config"),
                      COMMONGROUND_DATA_DIR=str(tmp / "data"))
    if a.gl_framebuffer:
        os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = "1"
    try:
        run(a, size, tmp)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def run(a: argparse.Namespace, size: tuple[int, int], tmp: Path) -> None:
    import psutil
    import pygame

    pygame.display.init()
    pygame.font.init()
    from game.ui.app import _native_framebuffer

    _native_framebuffer()  # the bare loop draws into the same kind of window surface as the game
    proc = psutil.Process()
    surface = pygame.display.set_mode(size)
    flip = [0]

    def bare() -> None:
        pygame.event.pump()
        flip[0] ^= 1
        surface.fill((24, 29, 36) if flip[0] else (25, 29, 36))
        pygame.display.flip()

    bare_times = timed(bare, a.frames)
    fb = "GL texture" if os.environ.get("SDL_FRAMEBUFFER_ACCELERATION") == "1" else "native (XShm)"
    print(f"display {os.environ['DISPLAY']}, video driver {pygame.display.get_driver()}, window {size[0]}x{size[1]}, "
          f"window surface {fb}")

    from game.content.library import load_library
    from game.ui.app import App

    lib = load_library(env={})
    args = argparse.Namespace(scenario=a.scenario, trainee="bench", log_dir=tmp / "logs", mode="practice",
                              timers="slower", library=[], text=False)
    app = App(args, size=size, fps=0, lib=lib)
    app.first_screen()
    pygame.event.clear()
    app.frame(1 / 60)
    app.key(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="", scancode=0))  # begin
    for _ in range(10):
        app.frame(1 / 60)
    scene = app.top
    assert scene.name == "scene" and scene.countdown is not None, "pick a scenario whose first scene is timed"
    scene.countdown.reading = 0.0  # straight to the countdown, so every frame has a clock to move
    rss_scene = proc.memory_info().rss

    every = timed(lambda: app.frame(1 / 60), a.frames)
    assert app.top is scene, "the countdown ran out during the benchmark"

    partial_times: list[float] = []
    for _ in range(a.frames // 4):
        before = app.partial_draws
        start = time.perf_counter()
        app.frame(scene.countdown.until_change() + 1e-3)
        if app.partial_draws > before:
            partial_times.append(time.perf_counter() - start)
        if scene.countdown.remaining < 3:
            scene.countdown.remaining = scene.countdown.total

    ids = [b.id for b in app.layout_for(scene).buttons]
    k = [0]

    def focus() -> None:
        k[0] += 1
        app.set_focus(ids[k[0] % len(ids)], reveal=False)
        app.frame(1 / 60)

    def full() -> None:
        scene.redraw = True
        app.frame(1 / 60)

    def relayout() -> None:
        scene.dirty = True
        app.frame(1 / 60)

    focus_times = timed(focus, a.frames // 2)
    full_times = timed(full, a.frames // 4)
    layout_times = timed(relayout, a.frames // 4)

    def line(name: str, times: list[float]) -> None:
        m, p = statistics.median(times) * 1000, percentile(times, 99) * 1000
        print(f"{name:34s} median {m:6.2f} ms  p99 {p:6.2f} ms   ratio to bare: median {m / bm:5.2f}x  "
              f"p99 {p / b99:5.2f}x")

    bm, b99 = statistics.median(bare_times) * 1000, percentile(bare_times, 99) * 1000
    print(f"{'bare fill()+flip()':34s} median {bm:6.2f} ms  p99 {b99:6.2f} ms")
    line("scene, every frame at 60 Hz", every)
    line("scene, frames that move the clock", partial_times)
    line("scene, focus moves to a choice", focus_times)
    line("scene, whole window redrawn", full_times)
    line("scene, laid out again and redrawn", layout_times)
    print("frame budget at 60 Hz: 16.67 ms")

    print(f"\nidle CPU, the real frame loop left alone for {a.idle:g} s on each screen (share of one core):")
    rss_playing = 0
    for name, prepare in screens(app, lib, pygame):
        if name == "end":
            rss_playing = proc.memory_info().rss
        prepare()
        app._last = time.monotonic()
        settle = time.monotonic() + 1.0  # let meters finish easing: idle means nothing is moving
        while time.monotonic() < settle and app.running:
            app.tick()
        cpu0, wall0 = time.process_time(), time.monotonic()
        frames0 = app.frame_count
        while time.monotonic() - wall0 < a.idle and app.running:
            app.tick()
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        print(f"  {name:28s} {100 * cpu / wall:5.1f}%   ({(app.frame_count - frames0) / wall:5.1f} frames/s)")
    rss_end = proc.memory_info().rss
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"\nmemory (resident): {rss_scene / 2**20:.0f} MB in the first scene; {rss_playing / 2**20:.0f} MB while "
          f"playing, after every screen but the end; {rss_end / 2**20:.0f} MB after the end screen; "
          f"peak {peak / 2**20:.0f} MB")
    print("(abandoned and finished runs are scored when their log closes: today the scorer explores the "
          "scenario's state space for its score bounds, which is most of what comes after play)")
    app.close()


def screens(app, lib, pygame) -> list[tuple[str, Callable[[], None]]]:
    """Each screen a trainee sees, reached as the game reaches it, with timers on so the clock really runs."""
    from game.ui.screens.picker import PickerScreen
    from game.ui.screens.settings import SettingsScreen
    from game.ui.screens.title import TitleScreen

    def key(k: int) -> None:
        app.key(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
        app.frame(1 / 60)

    def scene_timed() -> None:
        app.set_timers("on")
        app.start(app.run.scenario if app.run else lib.scenarios["bridge-rail"])
        key(pygame.K_RETURN)

    def untimed() -> None:
        app.set_timers("off")
        app.start(lib.scenarios["family-party-noise"])
        key(pygame.K_RETURN)

    def feedback() -> None:
        key(pygame.K_1)

    def end() -> None:
        while app.top.name in ("scene", "feedback"):
            key(pygame.K_1 if app.top.name == "scene" else pygame.K_RETURN)

    return [
        ("title", lambda: app.replace(TitleScreen(app))),
        ("settings", lambda: app.push(SettingsScreen(app))),
        ("picker", lambda: app.replace(PickerScreen(app))),
        ("briefing", lambda: (app.set_timers("on"), app.start(lib.scenarios["bridge-rail"]))),
        ("scene, countdown running", lambda: (key(pygame.K_RETURN), setattr(app.top.countdown, "reading", 0))),
        ("scene, reading time", scene_timed),
        ("pause", lambda: key(pygame.K_ESCAPE)),
        ("people", lambda: (key(pygame.K_ESCAPE), key(pygame.K_p))),
        ("scene, no timer", untimed),
        ("feedback", feedback),
        ("end", end),
    ]


if __name__ == "__main__":
    main()
