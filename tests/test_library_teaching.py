"""The library as an instructor meets it: enough scenarios, an instructor's layer in each, objectives named on
choices, a review record per scenario, real dilemmas, proportionality scored where force is chosen.

Generic: they hold for any valid library, so adding a scenario needs no change here. The figures are
printed (``pytest -s``) for the release note.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.content.format import Scenario
from game.content.library import load_library

ROOT = Path(__file__).resolve().parent.parent
LIB = load_library(env={})
SCENARIOS = sorted(LIB.scenarios)
CDM_PHASES = {"information", "threat", "authority", "options", "act"}


def decisions(scenario: Scenario) -> list[list[int]]:
    """Each node that offers more than one option: the total score of each option (a time-out counts)."""
    out = []
    for node in scenario.nodes.values():
        totals = [sum(c.scores.values()) for c in node.choices]
        if node.time_limit is not None:
            totals.append(sum(node.time_limit.scores.values()))
        if len(totals) > 1:
            out.append(totals)
    return out


def test_at_least_24_scenarios() -> None:
    assert len(SCENARIOS) >= 24


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_instructor_layer_objectives_and_review_record(scenario_id: str) -> None:
    s = LIB.scenarios[scenario_id]
    assert s.instructor is not None, "every scenario has an instructor: section"
    assert s.instructor.notes and s.instructor.review_questions
    assert {q.phase for q in s.instructor.review_questions} == CDM_PHASES, "review questions cover the CDM"
    objectives = s.objective_list()
    assert all(not o.id.startswith("objective-") for o in objectives), "objectives have ids of their own"
    named = {oid for n in s.nodes.values() for c in n.choices for oid in c.objectives}
    assert {o.id for o in objectives} <= named, "every objective is named on a choice that serves it"
    assert (ROOT / "docs" / "reviews" / f"{scenario_id}.md").is_file(), "reviewed by a second reader"


def test_real_dilemmas_across_the_library() -> None:
    all_decisions = [d for sid in SCENARIOS for d in decisions(LIB.scenarios[sid])]
    dilemmas = [d for d in all_decisions if sum(t > 0 for t in d) >= 2]
    share = len(dilemmas) / len(all_decisions)
    print(f"\ndecisions with two or more positive options: {len(dilemmas)} of {len(all_decisions)} ({share:.0%})")
    assert share >= 0.40


def test_proportionality_is_scored_where_force_is_chosen() -> None:
    scoring = [sid for sid in SCENARIOS if any(
        "deescalation.proportionality" in c.scores for n in LIB.scenarios[sid].nodes.values() for c in n.choices)]
    print(f"\nproportionality scored in {len(scoring)} scenarios: {', '.join(scoring)}")
    assert len(scoring) >= 6


def test_critical_errors_and_failing_endings_exist_where_harm_can_happen() -> None:
    with_critical = [sid for sid in SCENARIOS if any(
        c.critical for n in LIB.scenarios[sid].nodes.values() for c in n.choices)]
    print(f"\nscenarios with critical errors: {len(with_critical)} of {len(SCENARIOS)}")
    assert len(with_critical) >= len(SCENARIOS) // 2


def test_us_english_and_one_name_for_the_trainee() -> None:
    british = ("kerb", "behaviour", "colour", "neighbour", "centre ", "recognise", "apologise", "honour")
    for sid in SCENARIOS:
        s = LIB.scenarios[sid]
        assert "Officer Hayes" in s.setting, f"{sid}: the setting names the trainee Officer Hayes"
        texts = [s.title, s.summary, s.setting, *(p.description for p in s.people.values())]
        for node in s.nodes.values():
            texts += [node.narration or "", node.line or "", *(c.text for c in node.choices),
                      *(c.feedback for c in node.choices)]
        texts += [e.debrief for e in s.endings.values()] + [e.title for e in s.endings.values()]
        for text in texts:
            lowered = text.lower()
            found = [w for w in british if w in lowered]
            assert not found, f"{sid}: British spelling {found} in: {text[:80]}"
