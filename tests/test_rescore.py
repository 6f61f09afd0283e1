"""Old logs under the new model, and the score card every reader shows: debrief (terminal, HTML, --json),
cohort and xAPI agree on the figures, on ``passed`` and on critical errors, listed first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.engine.scoring import SCORING_MODEL
from game.records.rescore import LEGACY, LOGGED, RESCORED, session_score
from game.records.scorelog import read_log
from game.records.xapi import EXT, Builder
from tests.conftest import FIXTURES, LIB
from tests.helpers import cli
from tests.logplay import play

V1 = FIXTURES / "logs" / "v1-mini.jsonl"  # scored under model 1 (no "scoring" in its summary)
SCORING = FIXTURES / "scoring"


def _changed_library(tmp_path: Path) -> Path:
    lib = tmp_path / "changed"
    lib.mkdir()
    shutil.copy(LIB / "topics.yaml", lib)
    (lib / "mini.yaml").write_text((LIB / "mini.yaml").read_text().replace("Silence hurt.", "Silence hurts."))
    return lib


def test_an_old_log_is_rescored_from_its_choices_when_the_scenario_is_the_same(mini, rubric) -> None:
    log = read_log(V1)
    assert "scoring" not in log.summary and log.summary["score"]["overall"]["percent"] == 14.3
    sc = session_score(log, mini, rubric)
    assert sc.source == RESCORED and sc.model == SCORING_MODEL and "re-scored under scoring model 2" in sc.note
    assert sc.overall == 40.0 and sc.passed is False
    shown = cli("debrief", str(V1), "--library", str(LIB), "--json")
    assert shown.returncode == 0 and "re-scored under scoring model 2 from the logged choices" in shown.stderr
    data = json.loads(shown.stdout)
    assert data["overall"] == 40.0 and data["topics"] == {"calm": 0.0, "fair": 100.0}
    assert data["decisions"][0] == {"node": "arrival", "choice": "arrival.timeout", "best_here": "arrival.distance",
                                    "quality": 0.0}


def test_an_old_log_whose_scenario_changed_or_is_missing_shows_its_logged_figures_flagged(tmp_path: Path) -> None:
    for lib in (_changed_library(tmp_path), None):
        args = ["--library", str(lib)] if lib else ["--library", str(tmp_path / "empty")]
        if lib is None:
            (tmp_path / "empty").mkdir()
            shutil.copy(LIB / "topics.yaml", tmp_path / "empty")
        text = cli("debrief", str(V1), *args)
        assert text.returncode == 0, text.stderr
        assert "scored under scoring model 1, which this version no longer uses" in text.stderr
        assert "cannot be re-scored: these are the logged figures" in text.stdout
        assert "Overall: 14.3% (+1 of a best 7)" in text.stdout
        data = json.loads(cli("debrief", str(V1), *args, "--json").stdout)
        assert data["overall"] == 14.3 and data["passed"] is False and data["decisions"] == []


def test_a_current_log_is_the_record_even_after_the_scenario_changed(mini, rubric, tmp_path: Path) -> None:
    path = play(mini, rubric, tmp_path / "logs", ["distance", "ask", "leave"])
    before = json.loads(cli("debrief", str(path), "--library", str(LIB), "--json").stdout)
    after = cli("debrief", str(path), "--library", str(_changed_library(tmp_path)), "--json")
    assert json.loads(after.stdout) == before and "re-scored" not in after.stderr
    assert session_score(read_log(path), mini, rubric).source == LOGGED
    assert before["overall"] == 57.1 and before["passed"] is False


def test_critical_errors_come_first_in_every_debrief(rubric, tmp_path: Path) -> None:
    from game.content.loader import load_scenario

    doorstep = load_scenario(SCORING / "doorstep.yaml", rubric)
    path = play(doorstep, rubric, tmp_path, ["ask", "reflect", "thank", "arrest"])
    text = cli("debrief", str(path), "--library", str(SCORING))
    assert text.returncode == 0, text.stderr
    out = text.stdout
    assert out.index("CRITICAL ERRORS (1):") < out.index("result: NOT PASSED") < out.index("Overall:")
    assert "critical error at 'close': An arrest made to end an argument" in out
    data = json.loads(cli("debrief", str(path), "--library", str(SCORING), "--json").stdout)
    assert data["critical"] == [{"node": "close", "choice": "close.arrest",
                                 "reason": "An arrest made to end an argument, with no offence that needed it."}]
    assert data["passed"] is False and data["outcome"] == "arrest"
    report = tmp_path / "d.html"
    assert cli("debrief", str(path), "--library", str(SCORING), "--html", str(report)).returncode == 0
    page = report.read_text()
    assert page.index("Critical errors (1)") < page.index("Scores by topic and principle")
    assert "Not passed" in page and "The best option here." in page


def test_the_best_here_never_flags_a_best_choice_in_any_debrief(rubric, tmp_path: Path) -> None:
    from game.content.loader import load_scenario

    doorstep = load_scenario(SCORING / "doorstep.yaml", rubric)
    path = play(doorstep, rubric, tmp_path, ["gate", "check", "thank", "refer"])  # 'check' ties for best
    out = cli("debrief", str(path), "--library", str(SCORING)).stdout
    assert out.count("best here:") == 1 and "best here: Give your name and ask what is going on tonight." in out
    assert out.count("the best option here") == 2


def test_xapi_success_is_passed(rubric, mini, tmp_path: Path) -> None:
    from game.content.loader import load_scenario

    doorstep = load_scenario(SCORING / "doorstep.yaml", rubric)

    def graded(path: Path, scenario, **kw) -> dict:
        statements = Builder(read_log(path), scenario, rubric=rubric, **kw).statements()
        return next(s for s in statements if s["verb"]["id"].endswith(("/passed", "/failed")))

    good = graded(play(doorstep, rubric, tmp_path / "a", ["ask", "reflect", "thank", "refer"]), doorstep)
    assert good["result"]["success"] is True and good["verb"]["id"].endswith("/passed")
    assert good["result"]["score"] == {"scaled": 1.0, "raw": 7, "min": 0, "max": 7}
    bad = graded(play(doorstep, rubric, tmp_path / "b", ["ask", "reflect", "thank", "arrest"]), doorstep)
    assert bad["result"]["success"] is False and bad["result"]["extensions"][EXT["critical"]][0]["choice"] == \
        "close.arrest"
    old = graded(V1, mini)
    assert old["result"]["success"] is False and old["result"]["extensions"][EXT["rescored"]] is True
    assert old["result"]["extensions"][EXT["scoring_model"]] == SCORING_MODEL
    legacy = graded(V1, None, pass_mark=10)
    assert legacy["result"]["success"] is True and legacy["result"]["extensions"][EXT["scoring_model"]] == 1


@pytest.mark.parametrize("where", ["same", "changed"])
def test_cohort_rescores_old_logs_or_flags_them(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(V1, folder)
    lib = LIB if where == "same" else _changed_library(tmp_path)
    out = cli("cohort", str(folder), "--library", str(lib), "--csv", str(tmp_path / "c.csv"))
    assert out.returncode == 0, out.stderr
    row = (tmp_path / "c.csv").read_text().splitlines()[1].split(",")
    if where == "same":
        assert "1 log(s) scored under an older scoring model were re-scored" in out.stdout
        assert "40.0" in row and RESCORED in row
    else:
        assert "could not be re-scored" in out.stderr and "14.3" in row and LEGACY in row
