"""``commonground test``: plans beside scenarios pass, and a broken plan fails naming the step and its line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from game.content.library import load_library
from tests.conftest import LIB
from tests.helpers import cli

BROKEN = """\
plans:
  - name: good start, wrong turn
    steps: [distance, ask, grab]
    expect: {ending: end_force}
  - name: wrong expectations
    steps: [distance, ask, help]
    expect:
      ending: end_meh
      meters: {trust: [0, 10]}
      scores: {calm.distance: [3, 5]}
  - name: a step after the end
    steps: [distance, order, ask]
    expect: {ending: end_bad}
  - name: still passes
    steps: [distance, order]
    expect: {ending: end_bad, outcome: complaint}
"""


def _copy_mini(folder: Path, plan: str) -> Path:
    shutil.copy(LIB / "mini.yaml", folder / "mini.yaml")
    path = folder / "mini.plan.yaml"
    path.write_text(plan, encoding="utf-8")
    return path


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_the_mini_plans_pass() -> None:
    result = cli("test", str(LIB), "--library", str(LIB))
    assert result.returncode == 0, result.stderr
    assert "4 plan(s) passed, 0 failed" in result.stdout


def test_a_broken_plan_fails_with_the_step_and_line(tmp_path: Path) -> None:
    plan = _copy_mini(tmp_path, BROKEN)
    result = cli("test", str(plan), "--library", str(LIB))
    assert result.returncode == 1
    err = result.stderr
    assert "1 plan(s) passed, 3 failed" in err
    p = re.escape(str(plan))
    assert re.search(rf"^FAIL {p}:3:\d+: plan 'good start, wrong turn': step 3 'grab' at node 'listen': "
                     r"no choice 'grab' at node 'listen' \(offered: 1=listen.help, 2=listen.leave\)", err, re.M), err
    assert re.search(rf"^FAIL {p}:{_line(BROKEN, 'ending: end_meh')}:\d+: plan 'wrong expectations': expected ending "
                     r"'end_meh', but play ended at 'end_good'$", err, re.M), err
    assert re.search(rf":{_line(BROKEN, 'meters: {trust')}:\d+: .*expected trust between 0 and 10, got 40$", err, re.M)
    assert re.search(r"expected calm.distance score between 3 and 5, got 2$", err, re.M)
    assert re.search(rf":{_line(BROKEN, '[distance, order, ask]')}:\d+: plan 'a step after the end': step 3 'ask': "
                     r"the scenario already ended at 'end_bad'$", err, re.M), err
    assert "Traceback" not in err


def test_a_malformed_plan_file_is_located(tmp_path: Path) -> None:
    text = BROKEN.replace("    expect: {ending: end_force}", "    expct: {ending: end_force}")
    plan = _copy_mini(tmp_path, text)
    result = cli("test", str(tmp_path), "--library", str(LIB))
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(plan))}:{_line(text, 'expct')}:\d+: CG010 unknown key 'expct'",
                     result.stderr, re.M), result.stderr
    assert "did you mean 'expect'?" in result.stderr


def test_a_plan_without_its_scenario_and_a_scenario_without_a_plan(tmp_path: Path) -> None:
    lonely = tmp_path / "gone.plan.yaml"
    lonely.write_text(BROKEN)
    result = cli("test", str(lonely), "--library", str(LIB))
    assert result.returncode == 1 and "no scenario file beside the plan (looked for gone.yaml)" in result.stderr
    shutil.copy(LIB / "mini.yaml", tmp_path / "mini.yaml")
    lonely.unlink()
    result = cli("test", str(tmp_path), "--library", str(LIB))
    assert result.returncode == 0 and "no plan for:" in result.stdout and "mini.yaml" in result.stdout


def test_the_library_has_plans_and_they_pass() -> None:
    lib = load_library()
    assert lib.scenarios, "the library has no scenarios"
    result = cli("test", "scenarios")
    assert result.returncode == 0, result.stderr
    assert "no plan for" not in result.stdout + result.stderr
    passed = int(re.search(r"(\d+) plan\(s\) passed", result.stdout).group(1))
    assert passed >= len(lib.scenarios)


@pytest.mark.parametrize("step", ["wait", "arrival.distance", "distance"])
def test_steps_by_local_qualified_id_or_wait(tmp_path: Path, step: str) -> None:
    plan = _copy_mini(tmp_path, f"plans:\n  - name: first step\n    steps: [{step}]\n    expect: {{node: talk}}\n")
    result = cli("test", str(plan), "--library", str(LIB))
    assert result.returncode == 0, result.stderr
