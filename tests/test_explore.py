"""``commonground explore``: path counts, endings, score ranges; its best path is the one scoring normalises by."""

from __future__ import annotations

import json

import pytest

from game.analysis import scoring
from game.analysis.exploration import approx, explore
from game.content.diagnostics import LoadError
from game.content.library import load_library
from game.engine.session import Session
from tests.conftest import FIXTURES, LIB
from tests.helpers import cli


def play(scenario, rubric, path: list[str]) -> Session:
    session = Session(scenario, rubric)
    for step in path:
        if step.endswith(".timeout"):
            session.time_out()
        else:
            session.choose(step)
    return session


def test_mini_counts_every_path_and_ending(mini, rubric) -> None:
    r = explore(mini)
    # arrival: distance (ask->help|leave, order), time-out (ask->leave, order), rush (back-off->ask->leave, grab)
    assert r.paths == 7
    assert r.ending_paths == {"end_good": 1, "end_meh": 3, "end_bad": 2, "end_force": 1}
    assert r.best_path == ["arrival.distance", "talk.ask", "listen.help"]
    assert r.best_total == scoring.bounds(mini).best_total == 7
    assert r.worst_path == ["arrival.rush", "hot.grab"] and r.worst_total == -7
    assert r.score_range["calm.distance"] == (-7, 2)
    assert r.stuck_states == 0 and r.unfinished_states == 0


def test_loops_count_once_and_traps_are_reported(rubric) -> None:
    from game.content.loader import load_scenario

    r = explore(load_scenario(FIXTURES / "lint" / "cg103-no-way-out.yaml", rubric))
    assert r.unfinished_states > 0 and r.paths == sum(r.ending_paths.values())


def test_cli_text_json_and_the_bound() -> None:
    text = cli("explore", str(LIB / "mini.yaml"), "--library", str(LIB))
    assert text.returncode == 0, text.stderr
    assert "7 distinct playthroughs" in text.stdout
    assert "best path (total +7): arrival.distance -> talk.ask -> listen.help" in text.stdout
    data = json.loads(cli("explore", str(LIB / "mini.yaml"), "--library", str(LIB), "--json").stdout)
    assert data["paths"] == 7 and data["endings"]["end_meh"] == {"outcome": "disengaged", "paths": 3}
    assert data["best"]["total"] == 7 and data["scores"]["overall"] == {"min": -7, "max": 7}
    limited = cli("explore", str(LIB / "mini.yaml"), "--library", str(LIB), "--max-states", "5")
    assert limited.returncode == 1
    assert "more than 5 reachable states" in limited.stderr and "Traceback" not in limited.stderr


def test_huge_counts_are_shown_approximately() -> None:
    assert approx(1234) == "1,234"
    assert approx(3**20000).startswith("about ") and approx(3**20000).endswith("e+9542")


def _library_ids() -> list[str]:
    try:
        return sorted(load_library().scenarios) or ["<empty library>"]
    except LoadError:
        return ["<library does not load>"]


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.mark.parametrize("sid", _library_ids())
def test_every_library_scenario_explores_and_its_best_path_is_the_scoring_best(sid: str, library) -> None:
    assert sid in library.scenarios, f"{sid}: run 'commonground validate' on the library"
    scenario = library.scenarios[sid]
    r = explore(scenario)
    assert r.best_total == scoring.bounds(scenario).best_total
    session = play(scenario, library.rubric, r.best_path)
    assert session.finished and session.ending is not None
    assert sum(sum(s.scores.values()) for s in session.history) == r.best_total
    assert r.paths >= 1 and r.ending_paths[session.state.ending] >= 1
