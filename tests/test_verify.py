"""``verify``: every single-line edit, deletion, insertion and swap of a real log is caught, with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.records.scorelog import GENESIS, chain_hash
from game.records.verify import chain_intact, raw_ok, verify_file, verify_lines
from tests.conftest import FIXTURES, LIB
from tests.helpers import cli
from tests.logplay import play

KEY = b"academy-secret-for-tests"


@pytest.fixture(params=[None, KEY], ids=["unkeyed", "keyed"])
def logged(request, mini, rubric, tmp_path: Path) -> tuple[list[bytes], bytes | None]:
    path = play(mini, rubric, tmp_path, ["wait", "ask", "leave"], key=request.param)
    return path.read_bytes().splitlines(), request.param


def _check(lines: list[bytes], key: bytes | None):
    return verify_lines("log.jsonl", [*lines, b""], key)


def _mutations(value):
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | float):
        return [value + 1, -value - 1]
    if isinstance(value, str):
        return [value + "x", value[:-1] if value else "x"]
    if value is None:
        return ["x"]
    if isinstance(value, dict):
        return [{**value, "x": 1}, {k: v for i, (k, v) in enumerate(value.items()) if i}] if value else [{"x": 1}]
    return [[*value, "x"], value[1:]] if value else [["x"]]


def test_the_untouched_log_verifies(logged) -> None:
    lines, key = logged
    verdict = _check(lines, key)
    assert verdict.ok, verdict.lines()
    assert verdict.events == len(lines) and verdict.keyed == (key is not None)


def test_every_field_edit_is_caught_on_its_line(logged) -> None:
    lines, key = logged
    count = 0
    for i, line in enumerate(lines):
        event = json.loads(line)
        for field, value in event.items():
            for new in _mutations(value):
                if new == value:
                    continue
                edited = dict(event, **{field: new})
                changed = [*lines[:i], json.dumps(edited, separators=(",", ":")).encode(), *lines[i + 1:]]
                verdict = _check(changed, key)
                assert not verdict.ok, (i, field, new)
                assert any(issue.line in (i + 1, 0) for issue in verdict.issues), (i, field, verdict.lines())
                count += 1
    assert count > 100


def test_every_byte_edit_is_caught_on_its_line(logged) -> None:
    lines, key = logged
    for i, line in enumerate(lines):
        for pos in range(len(line)):
            old = line[pos:pos + 1]
            new = b"7" if old != b"7" else b"8"
            verdict = _check([*lines[:i], line[:pos] + new + line[pos + 1:], *lines[i + 1:]], key)
            assert not verdict.ok, (i, pos)
            assert any(issue.line in (i + 1, 0) for issue in verdict.issues), (i, pos, verdict.lines())
        spaced = line.replace(b":", b": ", 1)  # same JSON, different bytes
        assert not _check([*lines[:i], spaced, *lines[i + 1:]], key).ok


def test_every_deletion_is_caught_where_the_gap_is(logged) -> None:
    lines, key = logged
    for i in range(len(lines)):
        verdict = _check([*lines[:i], *lines[i + 1:]], key)
        assert not verdict.ok, i
        where = min(i + 1, len(lines) - 1)
        assert any(issue.line == where for issue in verdict.issues), (i, verdict.lines())
        kinds = {issue.kind for issue in verdict.issues}
        assert kinds & {"deleted", "truncated", "key"}, (i, kinds)


def test_every_insertion_of_a_copy_is_caught(logged) -> None:
    lines, key = logged
    for pos in range(len(lines) + 1):
        for j, source in enumerate(lines):
            changed = [*lines[:pos], source, *lines[pos:]]
            verdict = _check(changed, key)
            assert not verdict.ok, (pos, j)
            flagged = [changed[issue.line - 1] for issue in verdict.issues if issue.line]
            assert source in flagged, (pos, j, verdict.lines())


def test_every_insertion_of_a_forged_event_is_caught(logged) -> None:
    """A forger who knows the format (not the key) writes a well-formed event chained to its predecessor."""
    lines, key = logged
    events = [json.loads(line) for line in lines]
    for pos in range(1, len(lines) + 1):
        before = events[pos - 1]
        forged = {"v": 1, "seq": before["seq"] + 1, "ts": before["ts"], "session": before["session"],
                  "type": "choice", "turn": 0, "node": "talk", "choice": "talk.ask", "elapsed": 1.0, "effects": {},
                  "scores": {"fair.voice": 5}, "goto": "listen", "prev": before["hash"]}
        forged["hash"] = chain_hash(before["hash"], forged, None)  # all a forger without the key can do
        changed = [*lines[:pos], json.dumps(forged, separators=(",", ":")).encode(), *lines[pos:]]
        verdict = _check(changed, key)
        assert not verdict.ok, pos
        if key is None and pos < len(lines):  # without a key, the forged event is caught by its successor
            assert any(i.line == pos + 1 and i.kind == "inserted" for i in verdict.issues), (pos, verdict.lines())
        if key is not None:
            assert any(i.line == pos + 1 for i in verdict.issues), (pos, verdict.lines())


def test_every_swap_is_caught(logged) -> None:
    lines, key = logged
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            changed = list(lines)
            changed[i], changed[j] = changed[j], changed[i]
            verdict = _check(changed, key)
            assert not verdict.ok, (i, j)
            assert any(issue.line in (i + 1, j + 1) for issue in verdict.issues), (i, j, verdict.lines())
            if j == i + 1:
                assert any(issue.kind == "reordered" for issue in verdict.issues), (i, verdict.lines())


def test_keyed_log_needs_the_key_and_the_right_one(mini, rubric, tmp_path: Path) -> None:
    lines = play(mini, rubric, tmp_path, ["distance", "order"], key=KEY).read_bytes().splitlines()
    assert [i.kind for i in _check(lines, None).issues] == ["key"]
    assert [i.kind for i in _check(lines, b"another key").issues] == ["key"]
    # rewriting the whole chain without the key, flagged unkeyed, is still caught when the academy has a key
    events = [json.loads(line) for line in lines]
    prev, forged = "0" * 64, []
    for e in events:
        e = dict(e, prev=prev, keyed=False) if e["type"] == "session_start" else dict(e, prev=prev)
        e["hash"] = chain_hash(prev, e, None)
        prev = e["hash"]
        forged.append(json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode())
    assert [i.kind for i in _check(forged, KEY).issues] == ["unkeyed"]


def test_cli_reports_each_problem_by_line(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    good = play(mini, rubric, folder, ["distance", "ask", "help"], trainee="a")
    bad = play(mini, rubric, folder, ["rush", "back-off", "talk_again.1", "leave"], trainee="b")
    lines = bad.read_text().splitlines(keepends=True)
    lines[2], lines[3] = lines[3], lines[2]
    del lines[6]
    bad.write_text("".join(lines))
    result = cli("verify", str(folder))
    assert result.returncode == 1
    assert f"{good}: unsigned: edits cannot be detected" in result.stdout and "verified (" not in result.stdout
    assert f"{bad}:3:1: reordered:" in result.stdout
    assert f"{bad}:7:1: deleted:" in result.stdout
    assert "2 logs: 0 verified, 1 unsigned (edits cannot be detected), 1 failed" in result.stdout
    assert cli("verify", str(good)).returncode == 0
    assert cli("verify", str(tmp_path / "missing.jsonl")).returncode == 1
    _ = LIB


def _old_layout(lines: list[bytes]) -> list[bytes]:
    """The same events as the writer laid them out before lines were canonical: fields in writing order."""
    out = []
    for line in lines:
        e = json.loads(line)
        first = {k: e[k] for k in ("v", "seq", "ts", "session")}
        rest = {k: v for k, v in e.items() if k not in (*first, "prev", "hash")}
        out.append(json.dumps({**first, **rest, "prev": e["prev"], "hash": e["hash"]}, ensure_ascii=False,
                              separators=(",", ":")).encode())
    return out


def test_the_fast_check_passes_every_line_and_the_whole_chain(logged) -> None:
    lines, key = logged
    prev = GENESIS
    for line in lines:
        event = json.loads(line)
        assert raw_ok(line, prev, event["hash"], key) and raw_ok(line + b"\r", prev, event["hash"], key)
        assert not raw_ok(line, prev, event["hash"], None if key else b"k")  # the other key, or none
        prev = event["hash"]
    assert chain_intact([*lines, b""], key) and chain_intact([line + b"\r" for line in lines], key)
    assert _check([line + b"\r" for line in lines], key).ok  # CRLF line ends, as ever


def test_the_fast_walk_fails_on_every_edit_deletion_insertion_and_swap(logged) -> None:
    lines, key = logged
    for i, line in enumerate(lines):
        # cutting the end leaves a whole (shorter) chain: whether it ends in a summary is the reader's check
        assert chain_intact([*lines[:i], *lines[i + 1:]], key) == (i == len(lines) - 1), i
        assert not chain_intact([*lines[:i], lines[-1], *lines[i:]], key), i
        for j in range(i + 1, len(lines)):
            assert not chain_intact([*lines[:i], lines[j], *lines[i + 1:j], line, *lines[j + 1:]], key), (i, j)
        for pos in range(len(line)):
            new = b"7" if line[pos:pos + 1] != b"7" else b"8"
            assert not chain_intact([*lines[:i], line[:pos] + new + line[pos + 1:], *lines[i + 1:]], key), (i, pos)
        spaced = line.replace(b":", b": ", 1)
        assert not chain_intact([*lines[:i], spaced, *lines[i + 1:]], key)
        assert [x.kind for x in _check([*lines[:i], spaced, *lines[i + 1:]], key).issues] == ["edited"]


def test_old_layout_logs_still_verify_through_the_full_check(logged) -> None:
    lines, key = logged
    old = _old_layout(lines)
    assert old != lines and not chain_intact(old, key)  # the fast walk cannot vouch for them
    verdict = _check(old, key)
    assert verdict.ok, verdict.lines()
    assert verdict.events == len(lines)
    for i, line in enumerate(old):  # and they are checked as strictly as before
        spaced = line.replace(b":", b": ", 1)
        assert [x.kind for x in _check([*old[:i], spaced, *old[i + 1:]], key).issues] == ["edited"], i
        edited = line.replace(b'"seq":', b'"seq":1', 1)
        assert any(x.line == i + 1 for x in _check([*old[:i], edited, *old[i + 1:]], key).issues), i
    mixed = [*lines[:3], *old[3:]]  # a log whose layout changed part-way still verifies
    assert _check(mixed, key).ok


def test_frozen_old_layout_fixture_verifies() -> None:
    path = FIXTURES / "logs" / "v1-mini.jsonl"
    lines = path.read_bytes().splitlines()
    assert not raw_ok(lines[0], GENESIS, json.loads(lines[0])["hash"], None)
    assert verify_file(path, None).ok


def test_chain_fields_of_the_wrong_type_are_damage_not_a_crash(logged) -> None:
    lines, key = logged
    for field, value in (("prev", 5), ("prev", [1]), ("session", ["x"])):
        event = json.loads(lines[2])
        event[field] = value
        verdict = _check([*lines[:2], json.dumps(event).encode(), *lines[3:]], key)
        assert any(i.line == 3 and i.kind == "damaged" for i in verdict.issues), verdict.lines()
