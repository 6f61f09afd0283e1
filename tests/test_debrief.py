"""``debrief``: the terminal summary and the self-contained HTML report of one real session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.records.scorelog import read_log
from game.records.verify import verify_file
from game.reports.debrief import build
from tests.browser import CHROMIUM, external_references, open_page
from tests.conftest import LIB
from tests.helpers import cli
from tests.logplay import play

MISSED = ["rush", "back-off", "talk_again.1", "leave"]


@pytest.fixture
def session_log(mini, rubric, tmp_path: Path) -> Path:
    return play(mini, rubric, tmp_path / "logs", MISSED, trainee="<script>alert('x')</script>")


def test_model_has_every_decision_with_meters_and_best_choice(mini, rubric, session_log: Path) -> None:
    d = build(read_log(session_log), mini, rubric, verify_file(session_log, None))
    assert d.integrity == "unsigned" and not d.verified  # an unkeyed log is never called verified
    assert [w[:30] for w in d.warnings] == ["unsigned: edits cannot be dete"]
    assert d.outcome == "disengaged" and d.ending == "end_meh" and d.status == "completed"
    assert [m.choice for m in d.moments] == ["arrival.rush", "hot.back-off", "talk_again.1", "listen.leave"]
    first = d.moments[0]
    assert (first.before[0].name, first.before[0].value, first.after[0].value) == ("agitation", 60, 100)
    assert first.best == "arrival.distance" and first.best_text == "Stop and introduce yourself."
    assert first.feedback == "Rushing hurts." and first.elapsed == 2.5
    assert first.branches and "hot" in first.branches[0]
    assert d.visits == ["arrival", "talk", "hot", "talk_again", "listen", "end_meh"]
    assert d.meter_series["Agitation"] == [60, 100, 60, 60, 60]
    assert {r.key for r in d.scores} >= {"overall", "calm", "fair", "calm.distance", "calm.listening", "fair.voice"}


def test_terminal_summary(session_log: Path) -> None:
    result = cli("debrief", str(session_log), "--library", str(LIB))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "outcome: disengaged" in out and "integrity: unsigned: edits cannot be detected" in out
    assert "verified" not in out
    assert "1. Walk straight up." in out and "best here: Stop and introduce yourself." in out
    assert "Agitation 60→100" in out and "Distance:" in out


def test_html_report_is_self_contained_escaped_and_renders(session_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "report" / "debrief.html"
    result = cli("debrief", str(session_log), "--library", str(LIB), "--html", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert external_references(html) == []
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert html.count("<svg") == 3 and "@media print" in html
    for text in ("Scores by topic and principle", "Meters over time", "Timeline of decisions", "Best here:",
                 "Rushing hurts.", "The path through the scenario", "unsigned: edits cannot be detected"):
        assert text in html
    assert "Record verified" not in html
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    page = open_page(out)
    assert page.console == [] and page.requests == []
    assert "Timeline of decisions" in page.dom and "<svg" in page.dom


def test_browser_check_would_catch_a_fetch(tmp_path: Path) -> None:
    """The checks above can fail: a page that fetches shows up in both."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="https://example.org/x.png"></body></html>')
    assert external_references(page.read_text())
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    assert open_page(page).requests == ["https://example.org/x.png"]


def test_unverified_log_is_flagged(session_log: Path, tmp_path: Path) -> None:
    lines = session_log.read_text().splitlines(keepends=True)
    event = json.loads(lines[2])
    event["scores"] = {"calm.distance": 5}
    lines[2] = json.dumps(event, separators=(",", ":")) + "\n"
    session_log.write_text("".join(lines))
    out = tmp_path / "d.html"
    result = cli("debrief", str(session_log), "--library", str(LIB), "--html", str(out))
    assert result.returncode == 0
    assert "UNVERIFIED" in result.stderr and ":3:1" not in result.stdout
    assert "line 3: edited" in result.stderr
    assert "UNVERIFIED" in out.read_text() and "Record verified" not in out.read_text()


def test_changed_or_missing_scenario_is_said(session_log: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(LIB / "topics.yaml", lib)
    (lib / "mini.yaml").write_text((LIB / "mini.yaml").read_text().replace("Rushing hurts.", "Rushing hurts a lot."))
    result = cli("debrief", str(session_log), "--library", str(lib))
    assert result.returncode == 0, result.stderr
    assert "changed since this session" in result.stderr and "Rushing hurts a lot." in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copy(LIB / "topics.yaml", empty)
    out = tmp_path / "bare.html"
    result = cli("debrief", str(session_log), "--library", str(empty), "--html", str(out))
    assert result.returncode == 0, result.stderr
    assert "is not in the library" in result.stderr
    assert "1. arrival.rush" in result.stdout and "graph cannot be drawn" in out.read_text()


def test_matplotlib_graph_fallback(session_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.html"
    assert cli("debrief", str(session_log), "--library", str(LIB), "--html", str(out), "--no-graphviz").returncode == 0
    html = out.read_text()
    assert "Drawn with matplotlib" in html and html.count("<svg") == 3


def test_bad_log_is_a_diagnostic(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = cli("debrief", str(bad))
    assert result.returncode == 1 and f"{bad}:1:1:" in result.stderr and "Traceback" not in result.stderr
