"""The developer flag in the game window: ``play SCENARIO --at NODE [--set NAME=VALUE]`` opens a test run.

It starts at the node with the values, says on every screen that it is a test run, is logged as one
(as terminal play logs it), takes a step back with Backspace, and its end screen says it was not counted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from game.records.logread import read_log
from game.records.replay import replay
from game.records.verify import verify_file
from game.ui.records import best_results
from game.ui.theme import TEXT_SIZES
from tests.conftest import LIB
from tests.helpers import cli
from tests.test_ui_layout import SIZES, TEXT, problems
from tests.uidriver import Driver, fixture_library, only_log

BANNER = "TEST RUN from 'listen' with asked=true, trust=40 — not counted as training"


def _driver(logs: Path, **kwargs) -> Driver:
    return Driver(logs, scenario="mini", at="listen", values=("asked=true", "trust=40"), **kwargs)


def test_the_window_starts_a_test_run_at_the_node_with_the_values(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    d = _driver(logs)  # no --trainee: a test run needs no sign-in, and skips the briefing
    assert d.screen == "scene" and d.shows("“My dog got out.”")
    assert d.texts("key") == ["1", "2"]  # help is offered: asked and trust >= 30
    assert d.texts("test-run") == [f"{BANNER}  ·  Backspace takes the last step back"]
    d.key(pygame.K_1)
    assert d.screen == "feedback" and d.texts("test-run") == [BANNER]  # the ending: nothing left to take back
    d.key(pygame.K_RETURN)
    assert d.screen == "end" and d.texts("test-run") == [BANNER] and d.shows("Dog found")
    d.close()
    log = only_log(logs)
    start = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert start["test_run"] == {"at": "listen", "set": {"asked": True, "trust": 40}}
    assert verify_file(log, None).ok and replay(read_log(log), fixture_library().scenarios["mini"],
                                                fixture_library().rubric).matches
    assert best_results(logs, "trainee") == {}  # a test run is no result on the picker
    debrief = cli("debrief", str(log), "--library", str(LIB))
    assert "a test run: it started at 'listen'" in debrief.stdout


def test_backspace_takes_the_last_step_back_in_the_window(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    d = Driver(logs, scenario="mini", at="talk")
    assert d.screen == "scene" and d.shows("“What do you want?”")
    d.key(pygame.K_BACKSPACE)  # nothing to take back yet: said, nothing changes
    assert d.screen == "scene" and d.shows("·  Nothing to undo: this is where the test run started")
    d.key(pygame.K_1)  # ask: trust 10 -> 20
    assert d.screen == "feedback"
    d.key(pygame.K_BACKSPACE)  # take it back from its feedback
    assert d.screen == "scene" and d.shows("“What do you want?”") and d.app.run.session.values["trust"] == 10
    d.key(pygame.K_1)
    d.key(pygame.K_RETURN)
    assert d.screen == "scene" and d.shows("“My dog got out.”")
    d.key(pygame.K_BACKSPACE)  # and from the scene
    assert d.shows("“What do you want?”") and d.app.run.session.history == []
    d.key(pygame.K_2)
    d.key(pygame.K_RETURN)
    assert d.screen == "end" and d.shows("Complaint")
    d.close()
    log = only_log(logs)
    read = read_log(log)
    assert [e["type"] for e in read.events].count("undo") == 2 and read.summary["path"] == ["talk.order"]
    assert verify_file(log, None).ok
    assert replay(read, fixture_library().scenarios["mini"], fixture_library().rubric).matches


def test_training_in_the_window_has_no_banner_and_no_step_back(tmp_path: Path) -> None:
    d = Driver(tmp_path / "logs", scenario="mini", trainee="Alex Doe")
    assert d.screen == "scene" and d.texts("test-run") == []
    d.key(pygame.K_1)
    d.key(pygame.K_RETURN)
    d.key(pygame.K_BACKSPACE)
    assert len(d.app.run.session.history) == 1 and d.screen == "scene"
    d.close()
    assert "undo" not in only_log(tmp_path / "logs").read_text(encoding="utf-8")


def test_try_again_and_restart_stay_test_runs_from_the_same_node(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    d = _driver(logs)
    d.key(pygame.K_ESCAPE)
    d.click("restart")
    assert d.screen == "scene" and d.shows("“My dog got out.”") and d.app.run.session.node_id == "listen"
    d.key(pygame.K_2)
    d.key(pygame.K_RETURN)
    assert d.screen == "end"
    d.frame(dt=0.6)
    d.click("retry")
    assert d.screen == "scene" and d.app.run.session.test_start is not None and d.texts("test-run")
    d.close()
    assert all(json.loads(p.read_text(encoding="utf-8").splitlines()[0]).get("test_run")
               for p in logs.glob("*.jsonl"))


def test_every_run_in_a_developer_window_is_a_test_run(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "topics.yaml").write_text((LIB / "topics.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (LIB / "mini.yaml").read_text(encoding="utf-8")
    (folder / "mini.yaml").write_text(text, encoding="utf-8")
    (folder / "other.yaml").write_text(text.replace("id: mini", "id: other", 1), encoding="utf-8")
    lib = fixture_library(folder)
    logs = tmp_path / "logs"
    d = Driver(logs, scenario="mini", at="listen", values=("asked=true",), lib=lib)
    d.key(pygame.K_ESCAPE)
    d.click("quit")  # to the list of scenarios, then another one
    assert d.screen == "picker"
    d.app.start(lib.scenarios["other"])
    assert d.screen == "scene" and d.app.run.session.node_id == "arrival"
    assert d.texts("test-run") == ["TEST RUN from 'arrival' — not counted as training  ·  Backspace takes the last "
                                   "step back"]
    d.close()
    starts = [json.loads(p.read_text(encoding="utf-8").splitlines()[0]) for p in logs.glob("*.jsonl")]
    assert sorted(s["test_run"]["at"] for s in starts) == ["arrival", "listen"]
    assert {s["scenario"]: s["test_run"]["set"] for s in starts} == {"mini": {"asked": True}, "other": {}}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("text_size", TEXT, ids=[TEXT_SIZES[i][0] for i in TEXT])
def test_the_banner_fits_on_every_test_run_screen(tmp_path: Path, size: tuple[int, int], text_size: int) -> None:
    d = Driver(tmp_path, size=size, scenario="mini", at="arrival", values=("trust=40", "asked=true", "pushes=2"))
    d.app.settings.text_size = text_size
    d.app.relayout()
    d.frame()
    seen = []
    for step in ("scene", "people", "briefing", "feedback", "scene", "feedback", "scene", "feedback", "end"):
        if step == "people":
            d.key(pygame.K_p)
        elif step == "briefing":
            d.key(pygame.K_ESCAPE)
            d.key(pygame.K_b)
        elif step == "feedback":
            if d.screen == "briefing":
                d.key(pygame.K_ESCAPE)
            d.key(pygame.K_1)
        elif d.screen == "feedback":
            d.key(pygame.K_RETURN)
        assert d.screen == step, (step, d.screen)
        found = problems(d.layout)
        assert not found, f"{step}: " + "; ".join(found[:5])
        banner = d.layout.texts[[t.role for t in d.layout.texts].index("test-run")]
        title = next(t for t in d.layout.texts if t.role == "title")
        assert banner.rect.top >= title.rect.bottom and len(banner.lines) <= 2, step
        seen.append(step)
    assert seen[-1] == "end"
    d.close()


@pytest.mark.parametrize(("extra", "words"), [
    (["--at", "lisen"], "did you mean 'listen'?"),
    (["--at", "listen", "--set", "trsut=4"], "did you mean 'trust'?"),
    (["--at", "listen", "--set", "asked=7"], "is a flag"),
    (["--at", "listen", "--set", "trust"], "NAME=VALUE"),
])
def test_a_mistyped_window_test_run_is_one_line_and_opens_nothing(tmp_path: Path, extra: list[str],
                                                                  words: str) -> None:
    logs = tmp_path / "logs"
    result = cli("play", "mini", *extra, "--library", str(LIB), "--log-dir", str(logs),
                 env={"SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 2 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not logs.exists() or not list(logs.glob("*.jsonl"))


def test_at_without_a_scenario_says_what_is_missing() -> None:
    result = cli("play", "--at", "listen", env={"SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 2 and "--at needs a scenario" in result.stderr and "Traceback" not in result.stderr


def test_play_help_documents_the_test_run() -> None:
    text = " ".join(cli("play", "--help").stdout.split())
    assert "--at NODE" in text and "TEST RUN banner" in text and "'back'" in text and "Backspace" in text
