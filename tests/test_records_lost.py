"""Records are never lost silently: a full disk, a folder that cannot be written, a signal, an engine error.

Each test is a defect from issue 12 that failed before: the game played on to its end screen while
the disk was full; terminal play showed a traceback; a read-only log folder gave a traceback at start;
Ctrl-C, SIGTERM and SIGHUP in terminal play wrote no summary; a counter that grew in a loop crashed
the session at its ending; a scenario that stops play crashed both views.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest

from game.content.library import Library
from game.content.loader import load_scenario
from game.records.logread import read_log
from game.records.scorelog import ScoreLog
from game.records.verify import verify_file
from game.textplay import TextPlay
from tests.conftest import LIB, ROOT
from tests.diskfull import full_disk, read_only_folder
from tests.helpers import cli
from tests.uidriver import Driver, fixture_library

MINI = (LIB / "mini.yaml").read_text()


def _variant(tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    text = MINI
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mini.yaml"
    path.write_text(text)
    return path


STUCK = ("      - id: ask\n        text: Ask what happened.\n",
         "      - id: ask\n        if: asked\n        text: Ask what happened.\n"), \
        ("      - id: order\n        text: Order Sam inside.\n",
         "      - id: order\n        if: asked\n        text: Order Sam inside.\n")
"""``talk`` offers nothing until Sam was asked, which only ``talk`` can do: play stops there."""

COUNTER_LOOP = ("    line: Fine. What?\n    choices:\n",
                "    line: Fine. What?\n    choices:\n      - text: Ask again.\n        goto: talk_again\n"
                "        effects: {pushes: +1}\n"),
"""At ``talk_again`` a choice loops back, counting: unbounded, the score at the ending never came."""


def _text_play(lib: Library, scenario_id: str, answers: str, folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        code = TextPlay(lib, lib.scenarios[scenario_id], trainee="kay", log_dir=folder, stdin=io.StringIO(answers),
                        stdout=out).run()
    finally:
        sys.stderr = old
    return code, out.getvalue(), err.getvalue()


# --- a full disk ------------------------------------------------------------------------------------------


def test_terminal_play_on_a_full_disk_stops_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with full_disk(tmp_path, monkeypatch) as disk:
        if disk.real:
            result = cli("play", "mini", "--text", "--library", str(LIB), "--trainee", "kay", "--log-dir",
                         str(disk.folder), stdin="1\n1\n1\n")
            code, err = result.returncode, result.stderr
        else:
            code, _, err = _text_play(fixture_library(), "mini", "1\n1\n1\n", disk.folder)
        assert code == 1 and "Traceback" not in err
        assert "The score log could not be saved (No space left on device)" in err and "Tell your instructor" in err
        (path,) = disk.folder.glob("*.jsonl")
        assert read_log(path).summary is None  # what reached the disk is kept; nothing pretends to be whole


def test_game_window_on_a_full_disk_stops_the_session_and_says_why(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with full_disk(tmp_path, monkeypatch) as disk:
        d = Driver(disk.folder, trainee="kay", scenario="mini")
        assert d.screen == "scene"
        for _ in range(12):  # choose and go on until the session stops (it must, long before the end screen)
            if d.screen != "scene" and d.screen != "feedback":
                break
            run = d.app.run
            d.key(pygame.K_1 if d.screen == "scene" else pygame.K_RETURN)
            run.log.drain()  # the writer thread runs a moment behind the frame loop
            d.frame()
        assert d.screen == "title" and d.app.run is None
        assert any("could not be saved (No space left on device)" in t for t in d.texts("message"))
        d.close()


def test_a_read_only_log_folder_stops_play_at_start_in_both_views(tmp_path: Path) -> None:
    with read_only_folder(tmp_path) as folder:
        result = cli("play", "mini", "--text", "--library", str(LIB), "--trainee", "kay", "--log-dir",
                     str(folder / "logs"), stdin="1\n")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "The score log could not be saved" in result.stderr and "Stay back!" not in result.stdout
        d = Driver(folder / "logs", trainee="kay", scenario="mini")
        assert d.screen == "title" and d.app.run is None  # the scene was never shown
        assert any("could not be saved" in t for t in d.texts("message"))
        d.close()
    missing = cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", "/dev/null/logs", stdin="1\n")
    assert missing.returncode == 1 and "could not be saved (Not a directory)" in missing.stderr


def test_the_log_is_on_disk_and_owner_only_before_the_first_node(mini, rubric, tmp_path: Path) -> None:
    log = ScoreLog.create(mini, rubric, trainee="t", log_dir=tmp_path / "new", background=True)
    assert [e["type"] for e in read_log(log.path).events] == ["session_start"]  # synced, not queued
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    log.close()
    log.finish()


# --- stop signals in terminal play ----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_stop_signal_in_terminal_play_writes_abandoned_and_the_summary(signame: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "mini", "--text", "--library", str(LIB),
                             "--trainee", "kay", "--log-dir", str(tmp_path)], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"1\n")  # one decision made, then the signal while waiting for the next
    proc.stdin.flush()
    seen = b""
    while b"What do you want?" not in seen:
        seen += proc.stdout.read1(4096)
    time.sleep(0.2)
    proc.send_signal(getattr(signal, signame))
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + getattr(signal, signame)
    assert b"Traceback" not in err and f"Stopped ({signame})".encode() in out
    (path,) = tmp_path.glob("*.jsonl")
    log = read_log(path)
    assert [e["type"] for e in log.events][-2:] == ["abandoned", "summary"]
    assert log.summary["status"] == "abandoned" and log.summary["path"] == ["arrival.distance"]
    assert verify_file(path, None).ok  # whole: xapi and verify accept it, rather than calling it tampered


def test_terminal_play_whose_output_goes_away_still_closes_its_record(tmp_path: Path) -> None:
    """``play --text | head``: the reader of the output leaves mid-session; the log still ends in its summary."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "mini", "--text", "--library", str(LIB),
                             "--trainee", "kay", "--log-dir", str(tmp_path)], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(b"1\n")
    proc.stdin.flush()
    seen = b""
    while b"What do you want?" not in seen:
        seen += proc.stdout.read1(4096)
    proc.stdout.close()  # what 'head' does when it has its lines
    proc.stdin.write(b"1\n" * 5)
    proc.stdin.close()
    err = proc.stderr.read()
    proc.wait(timeout=30)
    assert b"Traceback" not in err, err
    (path,) = tmp_path.glob("*.jsonl")
    log = read_log(path)
    assert log.summary is not None and log.summary["status"] in ("abandoned", "completed")
    assert verify_file(path, None).ok


# --- what used to crash a session ------------------------------------------------------------------------


def test_a_counter_growing_in_a_loop_ends_with_a_summary_quickly(rubric, tmp_path: Path) -> None:
    path = _variant(tmp_path, "loop", *COUNTER_LOOP)
    assert cli("validate", str(path), "--library", str(LIB)).returncode == 0
    scenario = load_scenario(path, rubric)
    lib = Library(rubric=rubric, scenarios={"mini": scenario})
    started = time.monotonic()
    code, _, err = _text_play(lib, "mini", "2\n1\n" + "1\n" * 1500 + "2\n1\n", tmp_path / "logs")
    assert code == 0, err
    assert time.monotonic() - started < 60
    (log_path,) = (tmp_path / "logs").glob("*.jsonl")
    log = read_log(log_path)
    assert log.summary["status"] == "completed" and log.summary["score"] is not None
    assert max(e["state"]["values"]["pushes"] for e in log.of_type("node")) == 1000  # kept within its bounds
    for command in (["debrief", str(log_path)], ["replay", str(log_path)]):
        result = cli(*command, "--library", str(path.parent), "--library", str(LIB))
        assert "Traceback" not in result.stderr, result.stderr


def test_an_engine_error_ends_terminal_play_cleanly_with_the_log_closed(rubric, tmp_path: Path) -> None:
    path = _variant(tmp_path, "stuck", *STUCK)
    result = cli("play", str(path), "--text", "--library", str(LIB), "--trainee", "kay", "--log-dir",
                 str(tmp_path / "logs"), stdin="1\n1\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the scenario stopped unexpectedly" in result.stderr and "commonground validate" in result.stderr
    (log_path,) = (tmp_path / "logs").glob("*.jsonl")
    log = read_log(log_path)
    assert log.summary["status"] == "abandoned" and "offers no choice" in next(log.of_type("abandoned"))["reason"]
    assert verify_file(log_path, None).ok


def test_an_engine_error_ends_the_game_window_session_cleanly(rubric, tmp_path: Path) -> None:
    path = _variant(tmp_path, "stuck", *STUCK)
    scenario = load_scenario(path, rubric)
    lib = Library(rubric=rubric, scenarios={"mini": scenario})
    d = Driver(tmp_path / "logs", trainee="kay", scenario="mini", lib=lib)
    d.key(pygame.K_1)  # to talk, where nothing is offered
    for _ in range(3):
        if d.screen == "feedback":
            d.key(pygame.K_RETURN)
    assert d.screen == "title" and any("stopped unexpectedly" in t for t in d.texts("message"))
    d.close()
    (log_path,) = (tmp_path / "logs").glob("*.jsonl")
    assert read_log(log_path).summary["status"] == "abandoned" and verify_file(log_path, None).ok
