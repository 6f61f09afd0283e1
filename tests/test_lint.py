"""``commonground lint``: each planted defect caught with its code at its line; clean files and the library clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.analysis.lint import PASSES
from game.content.codes import CODES
from tests.conftest import FIXTURES, LIB, ROOT
from tests.helpers import cli

LINT = FIXTURES / "lint"
FILES = sorted(LINT.glob("*.yaml"))
LINT_CODES = sorted(c for c in CODES if c.startswith("CG1"))


def expected(path: Path) -> set[tuple[str, int]]:
    """The findings a fixture plants, marked on their lines as '# expect: CODE'."""
    out = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        out |= {(code, n) for code in re.findall(r"# expect: (CG\d{3})", line)}
    return out


@pytest.fixture(scope="module")
def findings() -> dict[str, set[tuple[str, int]]]:
    result = cli("lint", str(LINT), "--library", str(LIB), "--format", "json", "--max-states", "2000")
    assert result.returncode == 0, result.stdout + result.stderr  # warnings only
    found: dict[str, set[tuple[str, int]]] = {}
    for d in json.loads(result.stdout):
        assert d["severity"] == "warning" and d["hint"], d
        found.setdefault(Path(d["path"]).name, set()).add((d["code"], d["line"]))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_planted_defect_is_caught_at_its_line(path: Path, findings: dict) -> None:
    assert findings.get(path.name, set()) == expected(path)


def test_one_fixture_per_lint_code_and_a_clean_one() -> None:
    planted = {code for f in FILES for code, _ in expected(f)}
    assert planted == set(LINT_CODES)
    assert not expected(LINT / "clean.yaml")
    for f in FILES:
        if f.name != "clean.yaml":
            assert len({c for c, _ in expected(f)}) == 1, f"{f.name} should plant one kind of defect"


def test_every_lint_code_has_a_pass() -> None:
    assert sorted(c for p in PASSES for c in p.CODES) == LINT_CODES


def test_strict_turns_warnings_into_errors_and_text_names_the_place() -> None:
    path = (LINT / "cg101-unreachable.yaml").relative_to(ROOT)
    relaxed = cli("lint", str(path), "--library", str(LIB))
    assert relaxed.returncode == 0
    strict = cli("lint", str(path), "--library", str(LIB), "--strict")
    assert strict.returncode == 1
    line = next(n for c, n in expected(path))
    assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: CG101 node 'orphan' can never be reached$",
                     strict.stderr, re.MULTILINE), strict.stderr
    assert "hint:" in strict.stderr
    clean = cli("lint", str(LINT / "clean.yaml"), "--library", str(LIB), "--strict")
    assert clean.returncode == 0 and "no findings" in clean.stdout


def test_a_file_that_does_not_load_gives_its_load_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((LINT / "clean.yaml").read_text().replace("goto: end_force", "goto: end_forse"))
    result = cli("lint", str(bad), "--library", str(LIB))
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(bad))}:\d+:\d+: CG020 ", result.stderr, re.MULTILINE)
    assert "Traceback" not in result.stderr


def test_the_library_lints_clean_in_strict_mode() -> None:
    result = cli("lint", "--strict", "scenarios")
    assert result.returncode == 0, result.stderr


def test_unchanged_files_are_read_from_the_cache_and_a_changed_file_is_linted_again(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "topics.yaml").write_text((LIB / "topics.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    mini = folder / "mini.yaml"
    mini.write_text((LIB / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"COMMONGROUND_CACHE_DIR": str(cache)}
    first = cli("lint", str(mini), "--library", str(folder), "--format", "json", env=env)
    assert sorted((cache / "lint").glob("*.json")), "the first run fills the cache"
    again = cli("lint", str(mini), "--library", str(folder), "--format", "json", env=env)
    assert again.stdout == first.stdout and again.returncode == first.returncode
    # a stored finding that no longer matches the file would show up here if the key ignored the bytes
    text = mini.read_text(encoding="utf-8")
    assert "flags: {asked: false}" in text
    mini.write_text(text.replace("flags: {asked: false}", "flags: {asked: false, never_used: false}"),
                    encoding="utf-8")
    changed = cli("lint", str(mini), "--library", str(folder), "--format", "json", env=env)
    assert "CG106" in changed.stdout and "never_used" in changed.stdout
    for stored in (cache / "lint").glob("*.json"):
        stored.write_text("{not json", encoding="utf-8")  # a damaged cache only costs time
    damaged = cli("lint", str(mini), "--library", str(folder), "--format", "json", env=env)
    assert damaged.stdout == changed.stdout
    uncached = cli("lint", str(mini), "--library", str(folder), "--format", "json", "--no-cache", env=env)
    assert uncached.stdout == changed.stdout


def test_ignore_leaves_out_a_code_and_refuses_an_unknown_one() -> None:
    path = LINT / "cg115-best-is-longest.yaml"
    assert cli("lint", str(path), "--library", str(LIB), "--strict").returncode == 1
    assert cli("lint", str(path), "--library", str(LIB), "--strict", "--ignore", "cg115").returncode == 0
    bad = cli("lint", str(path), "--library", str(LIB), "--ignore", "CG999")
    assert bad.returncode == 2 and "no such code" in bad.stderr
