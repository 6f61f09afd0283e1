"""``commonground validate`` on every kind of bad input: located errors, exit 1, no traceback, no code run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import LIB
from tests.helpers import cli

MINI = (LIB / "mini.yaml").read_text(encoding="utf-8")


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


CASES = {
    "syntax-error": (MINI.replace("title: Mini Test Scene", "title: [Mini Test Scene"), "CG001", None),
    "tab-indentation": (MINI.replace("  subject: {name: Sam", "\tsubject: {name: Sam"), "CG001",
                        "subject: {name: Sam"),
    "unknown-key": (MINI.replace("        goto: hot\n", "        goto: hot\n        gotoo: hot\n"), "CG010", "gotoo"),
    "wrong-type": (MINI.replace("minutes: 2", "minutes: two"), "CG011", "minutes: two"),
    "dangling-goto": (MINI.replace("goto: end_force", "goto: end_forse"), "CG020", "goto: end_forse"),
    "unknown-principle": (MINI.replace("scores: {fair.voice: -2}", "scores: {fair.vioce: -2}"), "CG021",
                          "scores: {fair.vioce"),
    "unknown-variable": (MINI.replace("if: agitation >= 80", "if: agitaton >= 80"), "CG022", "if: agitaton"),
    "duplicate-keys": (MINI.replace("minutes: 2\n", "minutes: 2\nminutes: 3\n"), "CG006", "minutes: 3"),
    "object-tag": ("id: !!python/object/apply:os.system ['touch {marker}']\n" + MINI.split("\n", 1)[1], "CG007",
                   "id: !!python"),
    "alias-bomb": (_bomb(), "CG008", None),
    "invalid-utf8": (MINI.encode().replace(b"Sam stands", b"Sam \xff\xfe stands"), "CG002", "Sam "),
    "empty-file": ("", "CG004", None),
    "list-top-level": ("- id: mini\n- title: x\n", "CG005", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_located_and_exits_1(case: str, tmp_path: Path) -> None:
    content, code, needle = CASES[case]
    marker = tmp_path / "code-ran"
    if isinstance(content, str):
        content = content.replace("{marker}", str(marker))
    path = _write(tmp_path, f"{case}.yaml", content)
    result = cli("validate", str(path), "--library", str(LIB))
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert not marker.exists(), "a YAML tag ran code"
    match = re.search(rf"^{re.escape(str(path))}:(\d+):(\d+): {code} ", result.stderr, re.MULTILINE)
    assert match, out
    if needle is not None:
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        assert int(match.group(1)) == _line_of(text, needle), out


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(70 * 1024 * 1024)  # a sparse 70 MB file
    result = cli("validate", str(path), "--library", str(LIB))
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(path))}:1:1: CG003 file is 70.0 MB", result.stderr, re.MULTILINE)
    assert "Traceback" not in result.stderr


def test_all_errors_of_a_file_in_one_run(tmp_path: Path) -> None:
    bad = MINI.replace("goto: end_force", "goto: nowhere").replace("if: agitation >= 80", "if: agitaton >= 80")
    bad = bad.replace("scores: {fair.voice: -2}", "scores: {fair.vioce: -2}")
    path = _write(tmp_path, "many.yaml", bad)
    result = cli("validate", str(path), "--library", str(LIB))
    codes = re.findall(r": (CG\d+) ", result.stderr)
    assert sorted(codes) == ["CG020", "CG021", "CG022"], result.stderr


def test_unknown_key_suggests_the_real_one(tmp_path: Path) -> None:
    path = _write(tmp_path, "typo.yaml", MINI.replace("narration: Sam stands", "naration: Sam stands"))
    result = cli("validate", str(path), "--library", str(LIB))
    assert "unknown key 'naration'" in result.stderr
    assert "did you mean 'narration'?" in result.stderr


def test_clean_file_passes_and_json_format(tmp_path: Path) -> None:
    result = cli("validate", str(LIB / "mini.yaml"), "--library", str(LIB))
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout
    bad = _write(tmp_path, "bad.yaml", MINI.replace("goto: end_force", "goto: nope"))
    result = cli("validate", str(bad), "--library", str(LIB), "--format", "json")
    assert result.returncode == 1
    import json

    (finding,) = json.loads(result.stdout)
    assert finding["code"] == "CG020" and finding["line"] == _line_of(MINI, "goto: end_force")


def test_builtin_library_validates() -> None:
    result = cli("validate", "scenarios")
    assert result.returncode == 0, result.stderr


def test_shipped_schema_is_current() -> None:
    """The built-in scenarios point editors at docs/scenario.schema.json; it must match the format."""
    import json

    from tests.conftest import ROOT

    result = cli("schema")
    assert result.returncode == 0
    shipped = json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(result.stdout), "run: commonground schema > docs/scenario.schema.json"
    assert {"id", "nodes", "endings", "meters"} <= set(shipped["required"])
