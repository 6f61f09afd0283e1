"""Undo in test runs: ``back`` in terminal play, Session.undo, and a record that stays sound.

The log stays append-only: an undo is an event. Whatever mix of steps, undos and restarts an author
makes, the log verifies, replays to the same state, and its summary is what a session that only took
the steps still standing would score.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from game.content.format import Rubric, Scenario
from game.content.library import load_library
from game.engine import startpoint, variants
from game.engine.rules import EngineError
from game.engine.scoring import session_card
from game.engine.session import Session, UndoRefused
from game.engine.startpoint import StartError
from game.engine.undo import settle
from game.records import integrity, logformat
from game.records.hotreload import carry_over
from game.records.logread import parse_log, read_log
from game.records.outbox import Outbox, queue_session
from game.records.replay import replay
from game.records.scorelog import ScoreLog
from game.records.verify import verify_file, verify_lines
from tests.conftest import LIB, ROOT
from tests.helpers import cli
from tests.test_records_trust import rechain

UNDO, RESTART = -1, -2


class _Kept(io.StringIO):
    """A log stream whose text outlives ``close`` (the log closes its stream with the summary)."""

    def close(self) -> None:
        pass


def _session(scenario: Scenario, rubric: Rubric, at: str | None, settings: dict | None = None
             ) -> tuple[Session, ScoreLog, _Kept]:
    out = _Kept()
    draw = variants.choose(scenario, None, 7)  # as the views do: drawn first, so the log's first line records it
    test_run = startpoint.test_record(scenario, at, settings or {}, draw.variant) if at is not None else None
    log = ScoreLog(Path("test.jsonl"), scenario, rubric, trainee="author", stream=out, test_run=test_run,
                   variant=draw.variant, seed=draw.seed)
    kwargs = {"observers": [log.observe], "clock": lambda: 0.0, "variant": draw.variant, "seed": draw.seed}
    if at is None:
        return Session(scenario, rubric, **kwargs), log, out
    return Session.begin_at(scenario, rubric, at, settings, **kwargs), log, out


def _act(session: Session, action: int) -> None:
    if action == UNDO:
        if session.undo_refusal is None:
            session.undo()
    elif action == RESTART:
        session.restart()
    elif session.choices:
        session.choose(action % len(session.choices) + 1)
    elif session.time_limit is not None:
        session.time_out()


@cache
def _library_scenarios() -> tuple[tuple[Scenario, Rubric], ...]:
    lib = load_library()
    small = sorted(lib.scenarios.values(), key=lambda s: len(s.nodes))[:6]  # any library: its smallest few
    return tuple((s, lib.rubric) for s in small)


def _check_record(session: Session, log: ScoreLog, out: _Kept, scenario: Scenario, rubric: Rubric) -> None:
    """The record of a session with undos is sound in every reader's eyes."""
    raw = out.getvalue().encode()
    read = parse_log("test.jsonl", raw)
    assert verify_lines("test.jsonl", raw.split(b"\n"), None).ok
    assert integrity.summary_disagreement(read.events, scenario, rubric) is None
    again = replay(read, scenario, rubric)
    assert again.matches, again.differences
    assert again.session.state.to_json() == session.state.to_json()
    summary = read.summary
    assert summary is not None
    assert summary["path"] == [st.choice for st in session.history]
    if summary.get("score") is not None:
        assert summary["score"] == session_card(session).to_json() == again.card.to_json()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_mix_of_steps_undos_and_restarts_leaves_a_sound_record(data: st.DataObject) -> None:
    from game.content.loader import load_rubric, load_scenario

    rubric = load_rubric(LIB / "topics.yaml")
    pool = [(load_scenario(LIB / "mini.yaml", rubric), rubric), *_library_scenarios()]
    scenario, rubric = pool[data.draw(st.integers(0, len(pool) - 1), label="scenario (0: mini)")]
    at = data.draw(st.sampled_from(sorted(scenario.nodes)), label="at")
    try:
        session, log, out = _session(scenario, rubric, at)
    except (EngineError, StartError):  # a node that offers nothing in the start state: no test run there
        assume(False)
        return
    moves = st.sampled_from([0, 1, 2, 3, 0, 1, UNDO, UNDO, UNDO, RESTART])  # choices (by place), undos, restarts
    actions = data.draw(st.lists(moves, min_size=2, max_size=20), label="actions")
    standing: list[str] = []
    for action in actions:
        if session.finished:
            break
        before = len(session.history)
        _act(session, action)
        if action == RESTART:
            standing.clear()
        elif len(session.history) < before:
            standing.pop()
        elif len(session.history) > before:
            standing.append(session.history[-1].choice)
    undos = sum(1 for e in log.events if e["type"] == "undo")
    event(f"undos: {min(undos, 3)}, ended: {session.state.ending is not None}")  # --hypothesis-show-statistics
    if not session.finished:
        session.abandon()
    assert [st.choice for st in session.history] == standing
    _check_record(session, log, out, scenario, rubric)
    # the same standing steps, taken by a session that never undid anything, score the same
    fresh, _, _ = _session(scenario, rubric, at)
    for choice in standing:
        if fresh.time_limit is not None and choice == f"{fresh.node_id}.timeout":
            fresh.time_out()
        else:
            fresh.choose(choice)
    assert fresh.state.values == session.state.values and fresh.node_id == session.node_id
    assert session_card(fresh).to_json() == session_card(session).to_json()


def test_undo_restores_state_history_and_score(mini, rubric) -> None:
    session, log, out = _session(mini, rubric, "arrival")
    shown = session.state.to_json()
    card = session_card(session).to_json()
    session.choose("rush")  # agitation +50: talk branches on to hot
    assert session.node_id == "hot" and session.values["pushes"] == 1
    step = session.undo()
    assert step.choice == "arrival.rush"
    assert session.state.to_json() == shown and session.history == [] and session_card(session).to_json() == card
    session.choose("distance")
    session.choose("ask")
    session.choose("help")
    assert session.finished
    _check_record(session, log, out, mini, rubric)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    undo = next(e for e in events if e["type"] == "undo")
    assert undo["choice"] == "arrival.rush" and undo["node"] == "arrival" and undo["turn"] == 0
    after = events[events.index(undo) + 1]
    assert after["type"] == "node" and after["node"] == "arrival" and after["state"] == shown
    assert events[-1]["path"] == ["arrival.distance", "talk.ask", "listen.help"]


def test_undo_is_refused_outside_a_test_run_and_before_the_first_step(mini, rubric) -> None:
    session, _, out = _session(mini, rubric, None)
    session.choose(1)
    with pytest.raises(UndoRefused, match="only a test run"):
        session.undo()
    assert len(session.history) == 1 and '"undo"' not in out.getvalue()
    test, _, _ = _session(mini, rubric, "talk")
    with pytest.raises(UndoRefused, match="nothing to undo: this is where the test run started"):
        test.undo()


def test_restart_in_a_test_run_goes_back_to_its_start_point(mini, rubric) -> None:
    session, log, out = _session(mini, rubric, "listen", {"asked": True, "trust": 40})
    session.choose("leave")  # ends the run: start again on a fresh one
    session, log, out = _session(mini, rubric, "talk", {"trust": 35})
    session.choose("ask")
    session.restart()
    assert session.node_id == "talk" and session.values["trust"] == 35 and session.history == []
    with pytest.raises(UndoRefused, match="nothing to undo"):
        session.undo()
    session.choose("ask")
    session.choose("help")
    _check_record(session, log, out, mini, rubric)


def test_a_hot_reload_ends_what_can_be_undone(mini, rubric) -> None:
    session, _, _ = _session(mini, rubric, "talk")
    session.choose("ask")
    carry_over(session, mini)
    with pytest.raises(UndoRefused, match="since the scenario was reloaded"):
        session.undo()


def _played(tmp_path: Path, stdin: str, *extra: str) -> tuple[str, Path]:
    logs = tmp_path / "logs"
    result = cli("play", "mini", "--text", *extra, "--library", str(LIB), "--log-dir", str(logs), stdin=stdin)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    (log,) = logs.glob("*.jsonl")
    return result.stdout, log


def test_back_in_terminal_play_takes_the_last_step_back_and_every_reader_agrees(tmp_path: Path) -> None:
    out, log = _played(tmp_path, "back\n1\n?\nback\n2\n", "--at", "talk")
    flat = " ".join(out.split())
    assert "Type ? to see the state, back to take the last step back" in flat
    assert "Nothing to undo: this is where the test run started." in flat
    assert "Type back to take the last step back (1 taken)." in flat
    assert "Took back: Ask what happened. Back at 'talk'" in flat
    assert out.count('"What do you want?"') == 2  # the node is shown again after the undo
    assert "Complaint" in out and "1. Order Sam inside." in out and "Ask what happened.\n     Voice" not in out
    read = read_log(log)
    assert [e["type"] for e in read.events].count("undo") == 1
    assert read.summary["path"] == ["talk.order"] and read.summary["score"]["overall"]["raw"] == -2
    assert verify_file(log, None).ok
    for command in ("replay", "verify"):  # verify plays the logged choices again, the undo through the engine
        result = cli(command, str(log), "--library", str(LIB))
        assert result.returncode == 0, result.stdout + result.stderr
    cohort = cli("cohort", str(log.parent), "--library", str(LIB), "--csv", str(tmp_path / "c.csv"))
    assert cohort.returncode == 0 and "failed their integrity check" not in cohort.stdout + cohort.stderr
    debrief = cli("debrief", str(log), "--library", str(LIB))
    assert "1 step taken back with 'back'" in debrief.stdout and "integrity: FAILED" not in debrief.stdout
    assert "Ask what happened" not in debrief.stdout.split("decisions:", 1)[1].split("best here")[0]


def test_back_outside_a_test_run_says_so_and_does_nothing(tmp_path: Path) -> None:
    out, log = _played(tmp_path, "1\nback\n1\n1\n")
    out = " ".join(out.split())
    assert "'back' is only for test runs (play SCENARIO --text --at NODE); nothing was undone." in out
    read = read_log(log)
    assert not any(e["type"] == "undo" for e in read.events)
    assert read.summary["path"] == ["arrival.distance", "talk.ask", "listen.help"]


def _forge(events: list[dict]) -> bytes:
    """What a forger does: renumber the events and recompute the chain."""
    for seq, e in enumerate(events):
        e["seq"] = seq
    return rechain([json.dumps(e).encode() for e in events])


def test_a_forged_undo_fails_verification(tmp_path: Path) -> None:
    """Undo events written into a training log (to drop a bad choice), or naming another step, are caught."""
    _, log = _played(tmp_path, "1\n1\n", "--at", "talk")  # talk.ask, listen.leave: no undo
    events = [json.loads(line) for line in log.read_bytes().splitlines()]
    start, shown, ask, listen, leave, ending, summary = events
    undo = {k: start[k] for k in ("v", "ts", "session")} | {"type": "undo", "node": "listen", "choice": "listen.leave"}

    log.write_bytes(_forge([start, shown, ask, listen, leave, undo, dict(listen), dict(leave), ending, summary]))
    assert verify_file(log, None).ok  # a sound undo in a test run: the summary stands as written
    training = {k: v for k, v in start.items() if k != "test_run"}
    log.write_bytes(_forge([training, shown, ask, listen, leave, undo, dict(listen), dict(leave), ending, summary]))
    verdict = verify_file(log, None)
    assert not verdict.ok and "only a test run may" in verdict.first
    wrong = undo | {"choice": "talk.ask"}
    log.write_bytes(_forge([start, shown, ask, listen, leave, wrong, dict(listen), dict(leave), ending, summary]))
    verdict = verify_file(log, None)
    assert not verdict.ok and "but the last step standing is 'listen.leave'" in verdict.first


def test_settle_withdraws_the_step_and_what_it_caused() -> None:
    start = {"type": "session_start", "test_run": {"at": "a"}}
    shown_a = {"type": "node", "node": "a"}
    events = [start, shown_a, {"type": "choice", "choice": "a.x", "seq": 2}, {"type": "branch", "node": "b"},
              {"type": "node", "node": "c"}, {"type": "undo", "choice": "a.x", "seq": 5},
              {"type": "node", "node": "a"}, {"type": "choice", "choice": "a.y", "seq": 7}]
    kept, problem = settle(events)
    assert problem is None and kept == [start, shown_a, events[-1]]
    _, problem = settle([start, shown_a, {"type": "undo", "choice": "a.x", "seq": 2}])
    assert problem is not None and "none to take back" in problem


def test_test_runs_never_go_to_the_lrs_outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_LRS_ENDPOINT", "http://127.0.0.1:9/xAPI/")
    _, log = _played(tmp_path, "1\n", "--at", "listen", "--set", "asked=true", "--set", "trust=40")
    events = read_log(log).events
    assert queue_session(log, events, None) is False
    assert Outbox().entries() == []


def test_the_log_format_docs_list_every_event_type() -> None:
    doc = (ROOT / "docs" / "score-log.md").read_text(encoding="utf-8")
    table = doc.split("## Event types", 1)[1].split("\n## ", 1)[0]
    listed = [row.split("|")[1].strip().strip("`") for row in table.splitlines() if row.startswith("| `")]
    assert listed == list(logformat.TYPES)
    assert "`test_run`" in table and "`undo`" in table
