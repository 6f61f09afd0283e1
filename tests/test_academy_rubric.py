"""An academy's own rubric: a ``topics.yaml`` beside its scenarios adds topics and principles, and every
command that takes a scenario file uses it; a library folder that does not exist is an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import LIB
from tests.helpers import cli

LOCAL_RUBRIC = """\
version: 1
topics:
  academy_values:
    title: Academy values
    description: What this academy adds.
    frameworks: ["Academy policy 4.2"]
    principles:
      courtesy:
        title: Courtesy
        description: Be courteous.
        looks_like: Saying please.
        framework: "Academy policy 4.2"
principles:
  calm:
    cover_first:
      title: Cover first
      description: Find cover before you talk.
      looks_like: Talking from behind the car.
      framework: "Academy policy 7.1"
"""


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    """A folder with its own topics.yaml and a scenario that scores the principle it adds to a built-in topic.

    The built-in rubric here is the test library's (passed with --library), whose topic is ``calm``.
    """
    folder = tmp_path / "academy"
    folder.mkdir()
    (folder / "topics.yaml").write_text(LOCAL_RUBRIC, encoding="utf-8")
    text = (LIB / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: mini-academy", 1)
    assert "calm.distance: 2" in text
    text = text.replace("calm.distance: 2", "calm.distance: 2, calm.cover_first: 1", 1)
    (folder / "mini-academy.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_local_rubric_adds_a_principle_to_a_topic_defined_elsewhere(academy: Path) -> None:
    result = cli("validate", str(academy), "--library", str(LIB))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [["explore"], ["graph"], ["guide"], ["play", "--text", "--log-dir", "{tmp}"]])
def test_commands_given_a_file_use_the_topics_yaml_beside_it(academy: Path, tmp_path: Path,
                                                              command: list[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path / "logs")) for a in command]
    result = cli(args[0], str(academy / "mini-academy.yaml"), *args[1:], "--library", str(LIB), stdin="1\n1\n1\n1\n")
    assert "CG021" not in result.stderr and "unknown principle" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_redefining_a_topic_is_refused_with_a_hint_to_add_principles(tmp_path: Path) -> None:
    folder = tmp_path / "lib2"
    folder.mkdir()
    topics = (LIB / "topics.yaml").read_text(encoding="utf-8")
    (folder / "topics.yaml").write_text(topics, encoding="utf-8")
    result = cli("validate", str(folder), "--library", str(LIB), "--format", "json")
    assert result.returncode == 1
    found = json.loads(result.stdout or result.stderr)
    assert any(d["code"] == "CG025" and "principles:" in d["hint"] for d in found), found


def test_adding_a_principle_that_exists_or_to_an_unknown_topic_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "lib3"
    folder.mkdir()
    (folder / "topics.yaml").write_text(
        "principles:\n  calm:\n    distance: {title: T, description: D, looks_like: L, framework: F}\n"
        "  clam:\n    other: {title: T, description: D, looks_like: L, framework: F}\n", encoding="utf-8")
    result = cli("validate", str(folder), "--library", str(LIB))
    assert result.returncode == 1
    assert "CG025" in result.stderr and "calm.distance" in result.stderr
    assert "CG026" in result.stderr and "did you mean 'calm'" in result.stderr


def test_a_library_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    for command in (["validate"], ["lint"], ["list"], ["test"]):
        result = cli(*command, "--library", str(missing))
        assert result.returncode != 0, (command, result.stdout)
        assert "CG030" in result.stderr and "does not exist" in result.stderr and "Traceback" not in result.stderr
    result = cli("list", env={"COMMONGROUND_LIBRARY": str(missing)})
    assert result.returncode != 0 and "COMMONGROUND_LIBRARY" in result.stderr
