"""A game ended by the operating system (shutdown, logout) still closes its score log cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.records.scorelog import read_log
from tests.conftest import LIB, ROOT


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_shutdown_signal_mid_scene_saves_an_abandoned_log(signame: str, tmp_path: Path) -> None:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "mini", "--library", str(LIB), "--trainee", "kay",
                             "--log-dir", str(tmp_path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(getattr(signal, signame))
    proc.wait(timeout=30)
    (path,) = tmp_path.glob("*.jsonl")
    log = read_log(path)
    assert not log.truncated
    assert log.summary is not None and log.summary["status"] == "abandoned"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="headless fallback is SDL's on Linux")
def test_no_display_is_a_clear_error_not_an_invisible_window(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env.update(PYTHONPATH=str(ROOT), SDL_AUDIODRIVER="dummy", XDG_RUNTIME_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "game", "play", "--library", str(LIB), "--log-dir",
                             str(tmp_path)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no display" in result.stderr and "--text" in result.stderr
