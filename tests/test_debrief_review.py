"""The debrief asks the scenario's after-action review questions for the decisions where points were lost."""

from __future__ import annotations

from pathlib import Path

from game.analysis.exemplar import best_path, worst_path
from game.content.library import load_library
from tests.helpers import cli

LIB = load_library(env={})


def _play(scenario_id: str, steps: list[str], variant: str | None, logs: Path) -> Path:
    args = ["play", scenario_id, "--text", "--timers", "off", "--log-dir", str(logs)]
    if variant:
        args += ["--variant", variant]
    result = cli(*args, stdin="".join(f"{s}\n" for s in steps))
    assert result.returncode == 0, result.stderr
    return max(logs.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)


def test_questions_follow_the_decisions_where_points_were_lost(tmp_path: Path) -> None:
    scenario = LIB.scenarios["bridge-rail"]
    assert scenario.instructor is not None
    variant = next(iter(scenario.variants), None)
    worst = worst_path(scenario, variant)
    log = _play(scenario.id, worst.path, variant, tmp_path / "worst")
    out = cli("debrief", str(log)).stdout
    assert "questions for the after-action review" in out
    lost = {st.node for st in worst.steps if st.decision}
    expected = [q for q in scenario.instructor.review_questions if set(q.nodes) & lost]
    assert expected and all(q.question in out for q in expected)
    html = tmp_path / "worst.html"
    assert cli("debrief", str(log), "--html", str(html), "--no-graphviz").returncode == 0
    assert "Questions for the after-action review" in html.read_text(encoding="utf-8")


def test_a_flawless_run_gets_no_questions(tmp_path: Path) -> None:
    scenario = LIB.scenarios["bridge-rail"]
    variant = next(iter(scenario.variants), None)
    log = _play(scenario.id, best_path(scenario, variant).path, variant, tmp_path / "best")
    out = cli("debrief", str(log)).stdout
    assert "questions for the after-action review" not in out
    assert "not passed" not in out.lower() and "passed" in out.lower()
