"""Variants: a seeded draw by weight written in the log, reproduced by replay and debrief, fixed by
``play --variant`` and test plans, covered by explore and lint, split in cohort reports."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from game.analysis.exploration import explore
from game.content.loader import load_scenario
from game.engine.rules import EngineError
from game.engine.session import Session
from game.engine.variants import choose, draw
from game.records.cohort import Aggregator, Filters, log_files, scan
from game.records.replay import replay
from game.records.scorelog import read_log
from tests.conftest import FIXTURES
from tests.helpers import cli
from tests.logplay import play

SCORING = FIXTURES / "scoring"
KNIFE_SEED, PHONE_SEED = 0, 1  # what these seeds draw from hand.yaml (checked below)


@pytest.fixture
def hand(rubric):
    return load_scenario(SCORING / "hand.yaml", rubric)


def test_a_seed_always_draws_the_same_variant_and_the_weights_hold(hand) -> None:
    assert draw(hand, KNIFE_SEED) == "knife" and draw(hand, PHONE_SEED) == "phone"
    assert all(draw(hand, s) == draw(hand, s) for s in range(50))
    counts = Counter(draw(hand, s) for s in range(3000))
    assert 0.62 < counts["phone"] / 3000 < 0.71  # weight 2 against 1
    fresh = choose(hand)
    assert fresh.seed is not None and fresh.variant == draw(hand, fresh.seed)
    assert choose(hand, "knife").variant == "knife"


def test_a_variant_sets_its_start_values_and_a_wrong_name_is_an_error(hand, rubric) -> None:
    knife = Session(hand, rubric, variant="knife")
    assert knife.values["knife"] is True and knife.values["agitation"] == 70
    knife.choose("distance")
    assert knife.node_id == "knife_seen"
    knife.restart()
    assert knife.values["agitation"] == 70  # a restart keeps the run's variant
    assert Session(hand, rubric, seed=PHONE_SEED).variant == "phone"
    with pytest.raises(EngineError, match=r"no variant 'axe' \(variants: phone, knife\)"):
        Session(hand, rubric, variant="axe")


def test_the_log_records_the_draw_and_replay_and_debrief_reproduce_it(hand, rubric, tmp_path: Path) -> None:
    path = play(hand, rubric, tmp_path, ["distance", "talk"], seed=KNIFE_SEED)
    log = read_log(path)
    assert (log.start["variant"], log.start["seed"]) == ("knife", KNIFE_SEED)
    result = replay(log, hand, rubric)
    assert result.matches and result.variant == "knife" and result.session.state.ending == "end_fine"
    shown = cli("debrief", str(path), "--library", str(SCORING), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["variant"] == "knife"
    assert "variant knife" in cli("debrief", str(path), "--library", str(SCORING)).stdout
    lines = path.read_text().splitlines()
    start = json.loads(lines[0])
    start["seed"] = PHONE_SEED  # a seed that draws the other variant
    lines[0] = json.dumps(start)
    path.write_text("\n".join(lines) + "\n")
    again = replay(read_log(path), hand, rubric)
    assert not again.matches and "seed 1 draws variant 'phone'" in again.differences[0]


def test_play_variant_fixes_it_and_a_wrong_name_is_refused(tmp_path: Path) -> None:
    result = cli("play", "hand", "--text", "--variant", "knife", "--library", str(SCORING), "--log-dir",
                 str(tmp_path), stdin="1\ntalk\n")
    assert result.returncode == 0, result.stderr
    assert "Stay away from me." in result.stdout and "PASSED" in result.stdout
    (path,) = tmp_path.glob("*.jsonl")
    start = read_log(path).start
    assert (start["variant"], start["seed"]) == ("knife", None)
    bad = cli("play", "hand", "--text", "--variant", "axe", "--library", str(SCORING), stdin="1\n")
    assert bad.returncode == 2 and "no variant 'axe'" in bad.stderr and "Traceback" not in bad.stderr


def test_a_plan_without_a_variant_must_hold_in_every_one(tmp_path: Path) -> None:
    shutil.copy(SCORING / "hand.yaml", tmp_path / "hand.yaml")
    plan = tmp_path / "hand.plan.yaml"
    plan.write_text("plans:\n"
                    "  - name: explain\n    steps: [distance, explain]\n    expect: {ending: end_fine}\n"
                    "  - name: no such variant\n    variant: axe\n    steps: [distance]\n    expect: {}\n")
    result = cli("test", str(plan), "--library", str(SCORING))
    assert result.returncode == 1
    assert "plan 'explain': in variant 'knife': step 2 'explain'" in result.stderr
    assert f"{plan}:6:" in result.stderr and "no variant 'axe' in the scenario" in result.stderr
    passing = cli("test", str(SCORING / "hand.plan.yaml"), "--library", str(SCORING))
    assert passing.returncode == 0, passing.stderr


def test_explore_and_lint_cover_every_variant(hand) -> None:
    r = explore(hand)
    assert r.ending_paths["end_hurt"] >= 1  # only the knife variant gets there
    assert set(r.variants) == {"phone", "knife"} and r.variants["knife"][1].path == ["look.distance",
                                                                                    "knife_seen.talk"]
    found = cli("lint", str(SCORING / "hand.yaml"), "--library", str(SCORING), "--format", "json")
    assert found.returncode == 0 and json.loads(found.stdout) == []  # knife_seen is not "unreachable"


def test_cohort_splits_by_variant_and_counts_critical_errors_per_decision_point(hand, rubric,
                                                                                tmp_path: Path) -> None:
    for i, (variant, steps) in enumerate([("knife", ["distance", "rush"]), ("knife", ["close", "rush"]),
                                          ("knife", ["distance", "talk"]), ("phone", ["distance", "explain"]),
                                          ("phone", ["wave", "search"])]):
        play(hand, rubric, tmp_path, steps, variant=variant, trainee=f"c{i}")
    agg = Aggregator(scenarios={"hand": hand}, rubric=rubric)
    for item in scan(log_files([tmp_path]), None, Filters(), workers=1):
        agg.add(item)
    c = agg.finish()
    stats = {v.variant: v for v in c.variants}
    assert (stats["knife"].sessions, stats["knife"].passed) == (3, 1)
    assert (stats["phone"].sessions, stats["phone"].passed) == (2, 1)
    (point,) = c.critical_points
    assert (point.node, point.count, point.reached, point.choice) == ("knife_seen", 2, 3, "knife_seen.rush")
    out = cli("cohort", str(tmp_path), "--library", str(SCORING), "--html", str(tmp_path / "c.html"))
    assert out.returncode == 0, out.stderr
    assert "hand [knife]: 3 session(s), 1 passed" in out.stdout
    assert "critical: hand at 'knife_seen': 2 critical error(s) in 3 session(s)" in out.stdout
    page = (tmp_path / "c.html").read_text()
    assert page.index("Critical errors by decision point") < page.index("Principles: averages and spread")
    assert "knife_seen.rush (2)" in page
