"""The end screen and the feedback screen under decision scoring: no exploration (so no freeze) however
large the scenario, passed or not, critical errors first, and "Better here" only where it belongs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
import pytest
import yaml

from game.analysis import statespace
from tests.conftest import FIXTURES, LIB
from tests.helpers import cli
from tests.scenario_gen import counters_maze
from tests.uidriver import Driver, fixture_library

SCORING = FIXTURES / "scoring"


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return tmp_path / "logs"


def _no_exploring(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a, **_k):
        raise AssertionError("the end screen explored the state space")

    monkeypatch.setattr(statespace, "build", refuse)
    monkeypatch.setattr(statespace, "optimise", refuse)


def test_the_end_screen_of_a_scenario_too_big_to_explore_appears_at_once(tmp_path: Path, logs: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Was a 1.1-3.9 s freeze: scoring explored every state on the drawing thread. Now it explores none."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(LIB / "topics.yaml", folder)
    (folder / "maze.yaml").write_text(yaml.safe_dump(counters_maze()), encoding="utf-8")
    lib = fixture_library(folder)
    _no_exploring(monkeypatch)
    d = Driver(logs, trainee="T-1", scenario="counters-maze", lib=lib)
    for _ in range(30):
        assert d.screen == "scene"
        d.key(pygame.K_2)  # moves on; option 1 stays put
        d.key(pygame.K_RETURN)  # past the feedback
    assert d.screen == "end"
    assert d.texts("passed") and d.texts("best").count("+ The best option here") < 30
    d.close()


def test_best_here_and_critical_errors_on_the_end_screen(logs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_exploring(monkeypatch)
    d = Driver(logs, trainee="T-2", scenario="doorstep", lib=fixture_library(SCORING))
    for key in (pygame.K_2, pygame.K_2, pygame.K_1):  # gate, check (ties for best), thank
        d.key(key)
        assert d.screen == "feedback" and not d.texts("critical")
        d.key(pygame.K_RETURN)
    d.key(pygame.K_2)  # arrest
    assert d.screen == "feedback"
    assert d.texts("critical") == ["Critical error: An arrest made to end an argument, with no offence that needed it."]
    d.key(pygame.K_RETURN)
    assert d.screen == "end"
    texts = d.texts()
    assert texts.index("Critical error: Tell Robin you are arresting them for the noise, and reach for the cuffs.") \
        < texts.index("Not passed (pass mark 60%)")
    best = d.texts("best")
    assert best[0] == "Good; better still here: Give your name and ask what is going on tonight."  # +1: not wrong
    assert best[1] == "+ The best option here"  # the tie for best is never flagged
    assert "Better here: Leave the council noise team's number, in case a neighbour calls again." in best
    d.close()


def test_text_play_takes_numbers_local_ids_and_qualified_ids(tmp_path: Path) -> None:
    result = cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", str(tmp_path),
                 stdin="distance\ntalk.ask\n1\n")
    assert result.returncode == 0, result.stderr
    assert "ENDING: Dog found" in result.stdout and "PASSED" in result.stdout
    waited = cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", str(tmp_path / "w"),
                 stdin="arrival.timeout\nhelp\norder\n")
    assert "enter a number from 1 to 2 or a choice's id" in waited.stdout  # 'help' is not offered at talk
    assert "ENDING: Complaint" in waited.stdout and waited.returncode == 0
