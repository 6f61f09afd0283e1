"""``cohort``: many real sessions in one report, with filters, pseudonyms, CSV and flagged unverified logs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from game.records.cohort import Aggregator, Filters, log_files, pseudonym, scan
from tests.browser import CHROMIUM, external_references, open_page
from tests.conftest import LIB
from tests.helpers import cli
from tests.logplay import play

PLAN = {  # trainee: their attempts, in order (worse to better for some)
    "cadet-a": [["rush", "grab"], ["wait", "ask", "leave"], ["distance", "ask", "help"]],
    "cadet-b": [["distance", "order"], ["distance", "order"]],
    "cadet-c": [["rush", "back-off", "talk_again.1", "leave"], ["distance", "quit"]],
}


@pytest.fixture
def cohort_dir(mini, rubric, tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    for trainee, attempts in PLAN.items():
        for steps in attempts:
            play(mini, rubric, folder / trainee, steps, trainee=trainee)
    return folder


def _cohort(folder: Path, **kw):
    agg = Aggregator(**{k: v for k, v in kw.items() if k in ("only_verified", "pseudonym_key")})
    for item in scan(log_files([folder]), None, kw.get("filters", Filters()), workers=kw.get("workers", 1)):
        agg.add(item, keep_rows=True)
    return agg, agg.finish()


def test_aggregates(cohort_dir: Path) -> None:
    _, c = _cohort(cohort_dir)
    assert c.sessions == 7 and c.trainees == 3 and not c.unverified
    assert c.outcomes == {"mini": {"use_of_force": 1, "disengaged": 2, "resolved": 1, "complaint": 2, "abandoned": 1}}
    spread = {s.key: s for s in c.principles}
    assert set(spread) == {"calm.distance", "calm.listening", "fair.voice"}
    assert spread["calm.distance"].n == 7 and 0 <= spread["calm.distance"].mean <= 100
    top = c.hard_points[0]
    assert (top.node, top.worst_choice, top.harmful, top.reached) == ("listen", "listen.leave", 2, 3)
    talk = next(p for p in c.hard_points if p.node == "talk")
    assert (talk.worst_choice, talk.harmful, talk.reached) == ("talk.order", 2, 4)
    a = next(p for p in c.progress if p.trainee == "cadet-a")
    assert a.scores[-1] == 100.0 and len(a.attempts) == 3 and a.scores[0] < a.scores[-1]


def test_parallel_scan_gives_the_same_result(cohort_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import game.records.cohort

    monkeypatch.setattr(game.records.cohort, "PARALLEL_FROM", 1)
    _, serial = _cohort(cohort_dir, workers=1)
    _, parallel = _cohort(cohort_dir, workers=2)
    assert serial.outcomes == parallel.outcomes and serial.hard_points == parallel.hard_points
    assert [s.values for s in serial.principles] == [s.values for s in parallel.principles]


def test_filters(cohort_dir: Path) -> None:
    _, c = _cohort(cohort_dir, filters=Filters(trainees=frozenset({"cadet-b"})))
    assert c.sessions == 2 and c.trainees == 1
    _, c = _cohort(cohort_dir, filters=Filters(scenarios=frozenset({"other"})))
    assert c.sessions == 0
    _, c = _cohort(cohort_dir, filters=Filters(since="2999-01-01"))
    assert c.sessions == 0
    _, c = _cohort(cohort_dir, filters=Filters(since="2000-01-01", until="2999-12-31"))
    assert c.sessions == 7
    _, c = _cohort(cohort_dir, filters=Filters(until="2000-01-01"))
    assert c.sessions == 0


def test_pseudonyms_are_consistent_and_keyed(cohort_dir: Path) -> None:
    agg, c = _cohort(cohort_dir, pseudonym_key=b"k1")
    names = {p.trainee for p in c.progress}
    assert names == {pseudonym(t, b"k1") for t in PLAN} and not any(t in names for t in PLAN)
    assert pseudonym("cadet-a", b"k1") != pseudonym("cadet-a", b"k2")
    assert all(r.trainee in names for r in agg.rows)


def test_cli_html_csv_and_unverified_flag(cohort_dir: Path, tmp_path: Path) -> None:
    victim = sorted(log_files([cohort_dir]))[0]
    lines = victim.read_text().splitlines(keepends=True)
    event = json.loads(lines[-1])
    event["score"]["overall"]["percent"] = 42.42
    lines[-1] = json.dumps(event, separators=(",", ":")) + "\n"
    victim.write_text("".join(lines))
    html, table = tmp_path / "out" / "cohort.html", tmp_path / "cohort.csv"
    result = cli("cohort", str(cohort_dir), "--html", str(html), "--csv", str(table), "--library", str(LIB),
                 "--pseudonymize", env={"COMMONGROUND_PSEUDONYM_KEY": "class-of-2025"})
    assert result.returncode == 0, result.stderr
    assert "1 log(s) failed their integrity check" in result.stderr and f":{len(lines)}:1: edited:" in result.stderr
    assert str(victim) not in result.stderr  # file names carry trainee ids
    assert "6 sessions of 3 trainees" in result.stdout  # the edited log is left out of the statistics
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 7 and [r["integrity"] for r in rows].count("failed") == 1
    assert [r["counted"] for r in rows].count("no") == 1 and {r["verified"] for r in rows} == {"no"}
    assert not {r["trainee"] for r in rows} & set(PLAN) and not any("cadet" in r["path"] for r in rows)
    page = html.read_text()
    assert "failed their integrity check" in page and "cadet-a" not in page and "Distance" in page
    assert external_references(page) == [] and page.count("<svg") == 3
    default = cli("cohort", str(cohort_dir), "--trainee", "cadet-a")
    assert "2 sessions of 1 trainees" in default.stdout and "2 counted session(s) are unsigned" in default.stderr
    every = cli("cohort", str(cohort_dir), "--trainee", "cadet-a", "--include-unverified")
    assert "3 sessions of 1 trainees" in every.stdout
    only = cli("cohort", str(cohort_dir), "--only-verified", "--trainee", "cadet-a")  # unkeyed logs: none verified
    assert "0 sessions of 0 trainees" in only.stdout
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    opened = open_page(html)
    assert opened.console == [] and opened.requests == [] and "Progress over attempts" in opened.dom


def test_cli_errors(tmp_path: Path) -> None:
    assert cli("cohort", str(tmp_path / "nope")).returncode == 1
    (tmp_path / "x.jsonl").write_text("garbage\n")
    result = cli("cohort", str(tmp_path))
    assert result.returncode == 1 and "x.jsonl:1:1: not a score log" in result.stderr
    result = cli("cohort", str(tmp_path), "--pseudonymize")
    assert result.returncode == 2 and "needs a secret key" in result.stderr
    assert cli("cohort", str(tmp_path), "--since", "yesterday").returncode == 2


def _records(folder: Path, key: bytes | None = None) -> list:
    return list(scan(log_files([folder]), key, Filters(), workers=1))


def test_raw_chain_walk_gives_the_same_records_as_parsing_everything(cohort_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import game.records.cohort

    fast = _records(cohort_dir)
    # always the full parse and verify
    monkeypatch.setattr(game.records.cohort, "chain_intact", lambda lines, key: False)
    assert _records(cohort_dir) == fast and all(r.integrity == "unsigned" and r.ok for r in fast)
    assert any(r.decisions for r in fast) and any(r.status == "abandoned" for r in fast)


def test_old_layout_logs_give_the_same_cohort(cohort_dir: Path, tmp_path: Path) -> None:
    from tests.test_verify import _old_layout

    old_dir = tmp_path / "old"
    for path in log_files([cohort_dir]):
        target = old_dir / path.relative_to(cohort_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\n".join(_old_layout(path.read_bytes().splitlines())) + b"\n")
    new, old = _records(cohort_dir), _records(old_dir)
    assert all(r.integrity == "unsigned" and r.ok for r in old)
    assert [(r.session, r.outcome, r.overall, r.principles, r.decisions) for r in old] == \
           [(r.session, r.outcome, r.overall, r.principles, r.decisions) for r in new]


def test_a_whole_chain_cut_short_or_under_another_key_is_still_flagged(mini, rubric, tmp_path: Path) -> None:
    key = b"academy-secret-for-tests"
    play(mini, rubric, tmp_path / "keyed", ["distance", "ask", "help"], key=key)
    assert [r.verified for r in _records(tmp_path / "keyed", key)] == [True]
    (r,) = _records(tmp_path / "keyed", None)
    assert not r.verified and ": key:" in r.issue
    (r,) = _records(tmp_path / "keyed", b"another key")
    assert not r.verified and ": key:" in r.issue
    cut = play(mini, rubric, tmp_path / "cut", ["distance", "ask", "help"])
    cut.write_bytes(b"".join(cut.read_bytes().splitlines(keepends=True)[:-1]))  # the summary gone: still a chain
    (r,) = _records(tmp_path / "cut")
    assert not r.verified and ": truncated:" in r.issue and r.status == "unfinished"
    (r,) = _records(tmp_path / "cut", key)
    assert not r.verified and ": unkeyed:" in r.issue
