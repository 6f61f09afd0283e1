"""Score logs: one event a line, flushed as it goes, hash-chained, readable after a crash, replayable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine.session import Session
from game.records.replay import replay
from game.records.scorelog import GENESIS, LogError, ScoreLog, chain_hash, read_log
from tests.conftest import LIB
from tests.helpers import cli


def _play(mini, rubric, tmp_path: Path, steps) -> ScoreLog:
    log = ScoreLog.create(mini, rubric, trainee="t-17", log_dir=tmp_path)
    s = Session(mini, rubric, observers=[log.observe])
    for step in steps:
        if step == "wait":
            s.time_out()
        else:
            s.choose(step)
    if not s.finished:
        s.abandon()
    return log


def test_every_event_is_versioned_and_chained(mini, rubric, tmp_path: Path) -> None:
    log = _play(mini, rubric, tmp_path, ["distance", "ask", "help"])
    lines = log.path.read_text().splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["type"] for e in events] == ["session_start", "node", "choice", "node", "choice", "node", "choice",
                                           "ending", "summary"]
    prev = GENESIS
    for i, e in enumerate(events):
        assert e["v"] == 1 and e["seq"] == i and e["session"] == log.session_id
        assert e["prev"] == prev and e["hash"] == chain_hash(prev, e, None)
        prev = e["hash"]
    start, summary = events[0], events[-1]
    assert start["scenario"] == "mini" and start["trainee"] == "t-17" and start["content_hash"].startswith("sha256:")
    assert summary["status"] == "completed" and summary["outcome"] == "resolved"
    assert summary["score"]["overall"]["percent"] == 100.0
    assert summary["path"] == ["arrival.distance", "talk.ask", "listen.help"]


def test_flushed_per_event(mini, rubric, tmp_path: Path) -> None:
    log = ScoreLog.create(mini, rubric, trainee="t", log_dir=tmp_path)
    s = Session(mini, rubric, observers=[log.observe])
    s.choose("distance")
    on_disk = read_log(log.path)  # read while the file is still open for writing
    assert [e["type"] for e in on_disk.events][-2:] == ["choice", "node"]


def test_log_replays_to_the_same_state_and_score(mini, rubric, tmp_path: Path) -> None:
    log = _play(mini, rubric, tmp_path, ["wait", "ask", "leave"])
    result = replay(read_log(log.path), mini, rubric)
    assert result.matches, result.differences
    assert result.session.state.ending == "end_meh"
    assert result.card.to_json() == read_log(log.path).summary["score"]


def test_replay_notices_a_different_scenario(mini, rubric, tmp_path: Path) -> None:
    log = _play(mini, rubric, tmp_path, ["distance", "ask", "help"])
    changed = mini.model_copy(deep=True)
    changed.nodes["arrival"].choices[0].effects["trust"] = 0
    from game.content.loader import link
    from game.content.yamlsrc import read_yaml

    link(changed, read_yaml(LIB / "mini.yaml"), rubric)
    result = replay(read_log(log.path), changed, rubric)
    assert not result.matches


def test_cut_off_log_loads_up_to_the_last_whole_event(mini, rubric, tmp_path: Path) -> None:
    log = _play(mini, rubric, tmp_path, ["distance", "ask", "help"])
    raw = log.path.read_bytes()
    cut = raw[: raw.rindex(b"\n", 0, len(raw) - 1) + 40]  # killed mid-way through the last line
    log.path.write_bytes(cut)
    read = read_log(log.path)
    assert read.truncated and read.events[-1]["type"] == "ending"


def test_corrupt_middle_line_is_located(mini, rubric, tmp_path: Path) -> None:
    log = _play(mini, rubric, tmp_path, ["distance", "ask", "help"])
    lines = log.path.read_text().splitlines(keepends=True)
    lines[2] = "{not json\n"
    log.path.write_text("".join(lines))
    with pytest.raises(LogError) as info:
        read_log(log.path)
    assert info.value.line == 3


def test_unknown_schema_version_is_a_clear_error(mini, rubric, tmp_path: Path) -> None:
    log = _play(mini, rubric, tmp_path, ["distance", "ask", "help"])
    text = log.path.read_text().replace('"v":1,', '"v":99,', 1)
    log.path.write_text(text)
    with pytest.raises(LogError, match="version 99 is not supported"):
        read_log(log.path)


def test_keyed_hashes_differ(mini, rubric, tmp_path: Path) -> None:
    log = ScoreLog.create(mini, rubric, trainee="t", log_dir=tmp_path, key=b"academy-secret")
    log.close()
    event = json.loads(log.path.read_text().splitlines()[0])
    assert event["keyed"] is True
    assert event["hash"] == chain_hash(GENESIS, event, b"academy-secret") != chain_hash(GENESIS, event, None)


def test_scripted_text_play_writes_a_replayable_log(tmp_path: Path, mini, rubric) -> None:
    result = cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", str(tmp_path), "--trainee", "ana",
                 stdin="1\n1\n1\n")
    assert result.returncode == 0, result.stderr
    assert "ENDING: Dog found" in result.stdout and "Overall: 100%  (pass mark 60): PASSED" in result.stdout
    (path,) = tmp_path.glob("*.jsonl")
    assert str(path) in result.stdout
    assert replay(read_log(path), mini, rubric).matches


def test_text_play_waits_and_reprompts(tmp_path: Path) -> None:
    result = cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", str(tmp_path), stdin="w\n7\n2\n")
    assert "enter a number from 1 to 2" in result.stdout
    assert "ENDING: Complaint" in result.stdout
    assert result.returncode == 0


def test_input_ending_early_saves_an_abandoned_log(tmp_path: Path) -> None:
    result = cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", str(tmp_path), stdin="1\n")
    assert result.returncode == 1
    assert "saved as abandoned" in result.stdout
    (path,) = tmp_path.glob("*.jsonl")
    summary = read_log(path).summary
    assert summary["status"] == "abandoned" and summary["steps"] == 1


def test_replay_command(tmp_path: Path) -> None:
    cli("play", "mini", "--text", "--library", str(LIB), "--log-dir", str(tmp_path), stdin="1\n1\n1\n")
    (path,) = tmp_path.glob("*.jsonl")
    result = cli("replay", str(path), "--library", str(LIB))
    assert result.returncode == 0, result.stderr
    assert "ok, 3 steps, end_good, overall 100%, passed" in result.stdout
    path.write_text(path.read_text().replace('"arrival.distance"', '"arrival.rush"'))
    result = cli("replay", str(path), "--library", str(LIB))
    assert result.returncode == 1 and "replay differs" in result.stderr


def test_each_line_is_the_hashed_bytes_with_the_hash_last(mini, rubric, tmp_path: Path) -> None:
    """A verifier can hash a line's raw bytes: the canonical event, then ``,"hash":"…"}``, nothing re-encoded."""
    from game.records.scorelog import canonical

    for key in (None, b"academy-secret"):
        log = ScoreLog.create(mini, rubric, trainee="t-ü", log_dir=tmp_path / str(key), key=key)  # non-ASCII kept
        s = Session(mini, rubric, observers=[log.observe])
        for step in ("distance", "ask", "help"):
            s.choose(step)
        prev = GENESIS
        for line in log.path.read_bytes().splitlines():
            event = json.loads(line)
            body = canonical({k: v for k, v in event.items() if k != "hash"})
            assert list(event)[-1] == "hash" and line == body[:-1] + b',"hash":"' + event["hash"].encode() + b'"}'
            assert event["hash"] == chain_hash(prev, event, key)  # the hash itself is defined as it always was
            prev = event["hash"]
        assert "t-ü".encode() in log.path.read_bytes()
