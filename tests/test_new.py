"""``commonground new``: the template validates, lints clean, passes its plans and plays to an ending."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import LIB
from tests.helpers import cli


def test_new_scenario_validates_lints_tests_and_plays(tmp_path: Path) -> None:
    made = cli("new", "shop-door", "--topic", "calm", "--library", str(LIB), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "shop-door.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=scenario.schema.json")
    assert "id: shop-door" in text and 'title: "Shop Door"' in text
    for command in (["validate"], ["lint", "--strict"], ["test"]):
        result = cli(*command, str(path), "--library", str(LIB))
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    played = cli("play", str(path), "--text", "--library", str(LIB), "--log-dir", str(tmp_path / "logs"),
                 stdin="1\n1\n1\n")
    assert played.returncode == 0, played.stderr
    assert "ENDING: Sorted out together" in played.stdout


def test_new_refuses_bad_ids_unknown_topics_and_overwriting(tmp_path: Path) -> None:
    bad = cli("new", "Shop Door", "--topic", "calm", "--library", str(LIB), cwd=tmp_path)
    assert bad.returncode == 2 and "not a valid id" in bad.stderr
    unknown = cli("new", "shop", "--topic", "clam", "--library", str(LIB), cwd=tmp_path)
    assert unknown.returncode == 2 and "no topic 'clam'" in unknown.stderr and "calm" in unknown.stderr
    assert cli("new", "shop", "--topic", "fair", "--library", str(LIB), cwd=tmp_path).returncode == 0
    again = cli("new", "shop", "--topic", "fair", "--library", str(LIB), cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert not list(tmp_path.glob("Shop*")) and not list(tmp_path.glob("*clam*"))
