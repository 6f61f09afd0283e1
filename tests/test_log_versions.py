"""Score-log schema versions: the frozen v1 fixture keeps working; v0 and v2 get a clear message everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.records.scorelog import LogError, read_log
from game.records.verify import verify_file
from tests.conftest import FIXTURES, LIB
from tests.helpers import cli

LOGS = FIXTURES / "logs"


def test_frozen_v1_log_still_loads_verifies_and_debriefs() -> None:
    log = read_log(LOGS / "v1-mini.jsonl")
    assert log.start["v"] == 1 and log.summary["outcome"] == "disengaged"
    assert verify_file(LOGS / "v1-mini.jsonl", None).ok
    result = cli("debrief", str(LOGS / "v1-mini.jsonl"), "--library", str(LIB))
    assert result.returncode == 0 and "integrity: unsigned: edits cannot be detected" in result.stdout
    assert "changed since" not in result.stderr


@pytest.mark.parametrize(("version", "words"), [(0, "is not one this program reads"), (2, "is newer than")])
def test_other_versions_get_a_clear_message(version: int, words: str, tmp_path: Path) -> None:
    path = LOGS / f"v{version}-mini.jsonl"
    with pytest.raises(LogError, match=f"log schema version {version} is not supported"):
        read_log(path)
    verdict = verify_file(path, None)
    assert [i.kind for i in verdict.issues] == ["version"] and words in verdict.issues[0].message
    verified = cli("verify", str(path))
    assert verified.returncode == 1 and f"{path}:1:1: version:" in verified.stdout
    for command in (["debrief", str(path)], ["xapi", str(path), "--out", str(tmp_path / "x.json")],
                    ["cohort", str(path)]):
        result = cli(*command, "--library", str(LIB))
        assert result.returncode == 1, command
        assert f"schema version {version}" in result.stderr and "Traceback" not in result.stderr, command
