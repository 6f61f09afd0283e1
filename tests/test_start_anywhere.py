"""Start anywhere: a test run at any node with any state, in terminal play and in test plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.session import Session
from game.engine.startpoint import StartError
from tests.conftest import LIB
from tests.helpers import cli

PLAN = """\
plans:
  - name: Late node, asked and trusted
    start: {{at: listen, set: {{asked: true, trust: 40}}}}
    steps: [help]
    expect: {{ending: end_good}}
  - name: {name}
    start: {{at: {at}, set: {{{values}}}}}
    steps: [help]
    expect: {{ending: end_good}}
"""


def test_a_session_can_begin_at_any_node_with_values_set(mini, rubric) -> None:
    events: list[dict] = []
    s = Session.begin_at(mini, rubric, "listen", {"asked": "true", "trust": "40"}, observers=[events.append])
    assert s.node_id == "listen" and s.values["asked"] is True and s.values["trust"] == 40
    assert s.choices[0].id == "listen.help"
    assert events[0]["type"] == "node" and events[0]["node"] == "listen"
    assert s.test_start == {"at": "listen", "set": {"asked": True, "trust": 40}}


@pytest.mark.parametrize(("node", "values", "message"), [
    ("lisen", {}, "did you mean 'listen'?"),
    ("listen", {"trsut": "4"}, "did you mean 'trust'?"),
    ("listen", {"asked": "7"}, "is a flag"),
    ("listen", {"trust": "high"}, "whole number"),
    ("listen", {"trust": "400"}, "outside"),
])
def test_a_bad_start_says_why(mini, rubric, node: str, values: dict, message: str) -> None:
    with pytest.raises(StartError, match=message):
        Session.begin_at(mini, rubric, node, values)


def _library_with_plan(tmp_path: Path, name: str, at: str, values: str) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    for f in ("topics.yaml", "mini.yaml"):
        (folder / f).write_text((LIB / f).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "mini.plan.yaml").write_text(PLAN.format(name=name, at=at, values=values), encoding="utf-8")
    return folder


def test_plans_may_start_at_a_node(tmp_path: Path) -> None:
    folder = _library_with_plan(tmp_path, "Also late", "listen", "asked: true, trust: 35")
    result = cli("test", str(folder / "mini.yaml"), "--library", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 plan(s) passed" in result.stdout


def test_a_plan_that_starts_at_a_missing_node_fails_at_its_line(tmp_path: Path) -> None:
    folder = _library_with_plan(tmp_path, "Nowhere", "lisen", "trust: 35")
    result = cli("test", str(folder / "mini.yaml"), "--library", str(folder))
    assert result.returncode == 1
    assert "mini.plan.yaml:7:" in result.stdout + result.stderr and "did you mean 'listen'?" in (
        result.stdout + result.stderr)


def test_terminal_play_starts_a_test_run_at_a_node_and_cohort_leaves_it_out(tmp_path: Path) -> None:
    import json

    logs = tmp_path / "logs"
    result = cli("play", "mini", "--text", "--at", "listen", "--set", "asked=true", "--set", "trust=40",
                 "--library", str(LIB), "--log-dir", str(logs), stdin="1\n")
    assert result.returncode == 0, result.stderr
    assert "Test run: starting at 'listen'" in result.stdout and "ENDING" in result.stdout
    (log,) = logs.glob("*.jsonl")
    start = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert start["test_run"] == {"at": "listen", "set": {"asked": True, "trust": 40}}
    debrief = cli("debrief", str(log), "--library", str(LIB))
    assert "a test run: it started at 'listen'" in debrief.stdout + debrief.stderr
    cohort = cli("cohort", str(logs), "--library", str(LIB), "--csv", str(tmp_path / "c.csv"))
    assert cohort.returncode == 0, cohort.stderr
    assert "sessions: 0" in cohort.stdout or "0 session" in cohort.stdout, cohort.stdout
    assert "failed their integrity check" not in cohort.stderr  # played again from 'listen', it agrees
    verify = cli("verify", str(log), "--library", str(LIB))
    assert verify.returncode == 0 and "unsigned: edits cannot be detected" in verify.stdout, verify.stdout
    from game.ui.records import best_results

    assert best_results(logs, start["trainee"]) == {}  # never shown to the trainee as a result


def test_a_mistyped_start_is_a_message_and_writes_no_log(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    for extra, words in ((["--at", "lisen"], "did you mean 'listen'?"), (["--at", "listen", "--set", "trsut=4"],
                                                                           "did you mean 'trust'?"),
                         (["--at", "listen", "--set", "trust"], "NAME=VALUE"), (["--set", "trust=4"], "needs --at")):
        result = cli("play", "mini", "--text", *extra, "--library", str(LIB), "--log-dir", str(logs), stdin="1\n")
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr, extra
    assert not list(logs.glob("*.jsonl")) if logs.exists() else True


def test_question_mark_shows_the_state_and_why_a_choice_is_held_back(tmp_path: Path) -> None:
    result = cli("play", "mini", "--text", "--at", "listen", "--set", "trust=10", "--library", str(LIB),
                 "--log-dir", str(tmp_path / "logs"), stdin="?\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "State at 'listen'" in out and "trust=10" in out and "asked=false" in out
    assert "listen.help: if asked and trust >= 30: does not hold, so it is held back" in out
    assert "listen.leave: always offered" in out
