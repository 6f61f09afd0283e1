"""xAPI: statements in the ADL/cmi5 vocabularies, sent to a real Ralph LRS on loopback, idempotently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.records.lrs import Client
from game.records.scorelog import read_log
from game.records.xapi import VERBS, Builder, duration
from tests.conftest import LIB
from tests.helpers import cli
from tests.logplay import play
from tests.lrsservers import PASSWORD, USER, free_port

SECRET = {"COMMONGROUND_LRS_PASSWORD": PASSWORD}
COMPLETED = ["wait", "ask", "leave"]
ABANDONED = ["distance", "quit"]


@pytest.fixture
def logs(mini, rubric, tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    play(mini, rubric, folder, COMPLETED, trainee="trainee-a")
    play(mini, rubric, folder, ABANDONED, trainee="trainee-b")
    play(mini, rubric, folder, ["distance", "ask", "help"], trainee="trainee-a")
    return folder


def _statements(folder: Path, mini, **kw) -> list[dict]:
    return [s for p in sorted(folder.glob("*.jsonl")) for s in Builder(read_log(p), mini, **kw).statements()]


def test_statements_follow_adl_and_cmi5(logs: Path, mini) -> None:
    by_session: dict[str, list[dict]] = {}
    for s in _statements(logs, mini):
        by_session.setdefault(s["context"]["registration"], []).append(s)
    assert len(by_session) == 3
    for group in by_session.values():
        verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in group]
        assert verbs[0] == "initialized" and verbs[-1] == "terminated"
        for s in group:
            assert s["verb"]["id"] in VERBS.values() and s["actor"]["account"]["homePage"]
            if s["verb"]["id"].rsplit("/", 1)[1] in ("completed", "passed", "failed", "terminated", "abandoned"):
                assert s["result"]["duration"].startswith("PT")
        answered = [s for s in group if s["verb"]["id"].endswith("answered")]
        for s in answered:
            definition = s["object"]["definition"]
            assert definition["interactionType"] == "choice"
            assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
            assert s["result"]["response"] in [c["id"] for c in definition["choices"]]
        if "passed" in verbs or "failed" in verbs:
            graded = next(s for s in group if s["verb"]["id"].endswith(("passed", "failed")))
            assert 0 <= graded["result"]["score"]["scaled"] <= 1
            principles = graded["result"]["extensions"]["https://commonground.academy/xapi/extensions/principle-scores"]
            assert set(principles) == {"calm.distance", "calm.listening", "fair.voice"}
    first_answer = next(s for g in by_session.values() for s in g
                        if s.get("result", {}).get("response") == "arrival.timeout")
    assert "Say nothing" in [c["description"]["en-US"]
                                              for c in first_answer["object"]["definition"]["choices"]]
    assert duration(75.5) == "PT1M15.5S" and duration(3600) == "PT1H0S"


def test_ids_are_derived_so_a_rebuild_is_identical(logs: Path, mini) -> None:
    one, two = _statements(logs, mini), _statements(logs, mini)
    assert [s["id"] for s in one] == [s["id"] for s in two]
    assert len({s["id"] for s in one}) == len(one)


def test_statements_validate_against_ralphs_models(logs: Path, mini) -> None:
    models = pytest.importorskip("ralph.models.xapi.base.statements", reason="Ralph is not installed")
    for s in _statements(logs, mini):
        models.BaseXapiStatement(**s)


def test_send_to_ralph_read_back_and_resend_adds_nothing(ralph: str, logs: Path, mini) -> None:
    expected = _statements(logs, mini)
    first = cli("xapi", str(logs), "--library", str(LIB), "--endpoint", ralph, "--user", USER, "--batch", "7",
                env=SECRET)
    assert first.returncode == 0, first.stderr
    assert f"{len(expected)} stored, 0 already" in first.stdout
    client = Client(ralph, USER, PASSWORD)
    stored = client.fetch(limit="100")
    mine = {s["id"]: s for s in stored if s["id"] in {e["id"] for e in expected}}
    assert len(mine) == len(expected)
    for want in expected:
        got = mine[want["id"]]
        assert got["verb"]["id"] == want["verb"]["id"] and got["object"]["id"] == want["object"]["id"]
        assert got.get("result", {}).get("response") == want.get("result", {}).get("response")
    second = cli("xapi", str(logs), "--library", str(LIB), "--endpoint", ralph, "--user", USER, "--batch", "5",
                 env=SECRET)
    assert second.returncode == 0, second.stderr
    assert f"0 stored, {len(expected)} already" in second.stdout
    assert len(client.fetch(limit="100")) == len(stored)


def test_wrong_password_is_a_clear_error(ralph: str, logs: Path) -> None:
    result = cli("xapi", str(logs), "--endpoint", ralph, "--user", USER, env={"COMMONGROUND_LRS_PASSWORD": "wrong"})
    assert result.returncode == 1 and "refused the credentials (HTTP 401)" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_server_is_retried_then_a_clear_error(logs: Path) -> None:
    port = free_port()
    result = cli("xapi", str(logs), "--endpoint", f"http://127.0.0.1:{port}/xAPI/", "--user", USER, "--retries", "2",
                 env=SECRET)
    assert result.returncode == 1
    assert result.stderr.count("retrying in") == 2 and "cannot reach the LRS" in result.stderr


def test_out_file_and_unverified_logs(logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "statements.json"
    assert cli("xapi", str(logs), "--library", str(LIB), "--out", str(out)).returncode == 0
    assert len(json.loads(out.read_text())) > 10
    victim = sorted(logs.glob("*.jsonl"))[0]
    lines = victim.read_text().splitlines(keepends=True)
    del lines[2]
    victim.write_text("".join(lines))
    refused = cli("xapi", str(victim), "--out", str(out))
    assert refused.returncode == 1 and "not sent: the log failed its integrity check" in refused.stderr
    allowed = cli("xapi", str(victim), "--out", str(out), "--allow-unverified")
    assert allowed.returncode == 0
    marks = {s["context"]["extensions"]["https://commonground.academy/xapi/extensions/log-verified"]
             for s in json.loads(out.read_text())}
    assert marks == {False}
