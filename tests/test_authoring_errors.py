"""Errors that name the cause, once: structural and reference errors in one run, follow-ons folded into
their cause, hints from meaning as well as spelling, and no silent traps."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import LIB, ROOT
from tests.helpers import cli

BRIDGE = (ROOT / "scenarios" / "bridge-rail.yaml").read_text(encoding="utf-8")
MINI = (LIB / "mini.yaml").read_text(encoding="utf-8")


def _validate(tmp_path: Path, text: str, name: str = "draft.yaml", library: Path | None = None) -> tuple[int, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("validate", str(path), *(["--library", str(library)] if library else []))
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def _codes(report: str) -> list[str]:
    return re.findall(r":\d+:\d+: (CG\d{3}) ", report)


def test_one_missing_meter_is_one_error_that_counts_its_references(tmp_path: Path) -> None:
    assert BRIDGE.count("trust") > 10
    code, report = _validate(tmp_path, BRIDGE.replace("\n  trust:", "\n  rapport:", 1).replace(
        "meters:\n", "meters:\n", 1))
    assert code == 1
    assert _codes(report) == ["CG012"], report
    assert "missing meter 'trust'" in report and "refer to it" in report


def test_one_misspelled_topic_is_one_error(tmp_path: Path) -> None:
    head, _, body = BRIDGE.partition("\nnodes:")
    assert body.count("crisis_intervention.") > 5
    code, report = _validate(tmp_path, head + "\nnodes:" + body.replace("crisis_intervention.", "crisis_interventon."))
    assert code == 1 and _codes(report) == ["CG021"], report
    assert "did you mean 'crisis_intervention'?" in report and "more references to it" in report


def test_structural_and_reference_errors_come_in_one_run(tmp_path: Path) -> None:
    text = (BRIDGE.replace("title: Man on the Bridge Rail", "titel: Man on the Bridge Rail", 1)
            .replace("crisis_intervention.active_listening", "crisis_intervention.active_listenin"))
    code, report = _validate(tmp_path, text)
    codes = _codes(report)
    assert code == 1 and {"CG010", "CG012", "CG021"} <= set(codes), report
    assert "did you mean 'title'?" in report and "did you mean 'crisis_intervention.active_listening'?" in report


def test_a_bad_choice_does_not_hide_a_dangling_goto_elsewhere(tmp_path: Path) -> None:
    text = MINI.replace("        text: Stop and introduce yourself.\n", "        text: [not, text]\n", 1)
    text = text.replace("goto: end_bad", "goto: end_badd", 1)
    code, report = _validate(tmp_path, text, library=LIB)
    assert code == 1 and {"CG011", "CG020"} <= set(_codes(report)), report
    assert "did you mean 'end_bad'?" in report


def test_hints_come_from_meaning_as_well_as_spelling(tmp_path: Path) -> None:
    head, _, body = BRIDGE.partition("\nnodes:")
    ref = re.search(r"deescalation\.[a-z_]+", body).group(0)
    text = head + "\nnodes:" + body.replace(ref, "deescalation.assess_and_reassess", 1)
    code, report = _validate(tmp_path, text.replace("minutes:", "estimated_minutes:", 1))
    assert code == 1
    assert "did you mean 'deescalation.reassess'?" in report
    assert "did you mean 'minutes'?" in report


def test_an_empty_condition_is_an_error_not_always(tmp_path: Path) -> None:
    for empty in ("if:", "if: ''", "if: '  '"):
        text = MINI.replace("if: asked and trust >= 30", empty, 1)
        code, report = _validate(tmp_path, text, library=LIB)
        assert code == 1 and "the condition is empty" in report, (empty, report)


def test_an_unconditional_branch_that_hides_choices_is_a_lint_warning(tmp_path: Path) -> None:
    path = ROOT / "tests" / "fixtures" / "lint" / "cg120-hidden-by-branch.yaml"
    result = cli("lint", str(path), "--library", str(LIB))
    assert "CG120" in result.stderr and "can never be shown" in result.stderr


def test_too_many_states_names_the_counter_and_points_at_its_declaration() -> None:
    path = ROOT / "tests" / "fixtures" / "lint" / "cg113-too-many-states.yaml"
    result = cli("lint", str(path), "--library", str(LIB), "--max-states", "2000")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("counters:"))
    assert f"{path.name}:{line}:" in result.stderr and "the counter 'pushes' grows without bound" in result.stderr
    assert "cap 'pushes'" in result.stderr


def test_cg001_names_tabs_non_breaking_spaces_and_unclosed_brackets_at_their_line(tmp_path: Path) -> None:
    cases = [
        ("id: x\ntitle: T\nnodes:\n\tstart: 1\n", 4, "a tab in the indentation of line 4"),
        ("id: x\ntitle: T\nnodes:\n\u00a0 start: 1\n", 4, "non-breaking space (U+00A0)"),
        ("id: x\ntitle: {a: 1\nsummary: s\n", 2, "the '{' opened on line 2 is never closed"),
        ("id: x\ntopics: [a, b\nsummary: s\n", 2, "the '[' opened on line 2 is never closed"),
    ]
    for i, (text, line, words) in enumerate(cases):
        path = tmp_path / f"bad{i}.yaml"
        path.write_text(text, encoding="utf-8")
        result = cli("validate", str(path))
        assert result.returncode == 1 and f"{path.name}:{line}:" in result.stderr and words in result.stderr, (
            words, result.stderr)
        assert "CG001" in result.stderr and "Traceback" not in result.stderr


def test_merge_keys_with_overrides_load_as_yaml_intends() -> None:
    import yaml

    from game.content.yamlsrc import parse_yaml

    text = ("base: &base {text: Ask what happened., goto: listen, scores: {calm.listening: 1}}\n"
            "choice:\n  <<: *base\n  text: Ask what happened, from a distance.\n"
            "after:\n  text: First.\n  <<: *base\n")
    data = parse_yaml(text.encode(), "merge.yaml").data
    assert data == yaml.safe_load(text)
    assert data["choice"]["text"] == "Ask what happened, from a distance." and data["choice"]["goto"] == "listen"
    assert data["after"]["text"] == "First."
    try:
        parse_yaml(b"a: 1\na: 2\n", "dup.yaml")
    except Exception as exc:  # a key written twice by hand is still a duplicate
        assert "CG006" in str(exc)
    else:
        raise AssertionError("a duplicate key was accepted")


def test_an_alias_bomb_is_reported_at_the_anchor_that_explodes(tmp_path: Path) -> None:
    lines = ["id: x", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefgh":
        lines.append(f"{name}: &{name} [" + ",".join(["*" + prev] * 9) + "]")
        prev = name
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("validate", str(path))
    assert result.returncode == 1 and "CG008" in result.stderr
    assert f"{path.name}:8:4:" in result.stderr and "repeated by 9 aliases" in result.stderr, result.stderr
