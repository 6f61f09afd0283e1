"""Decision-based scoring: exact figures on a fixture, the model's properties (a)-(e) over every library
scenario and generated ones, and a regression test for each finding of issue 10."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from game.analysis import exemplar, statespace
from game.content.format import Scenario
from game.content.library import load_library
from game.content.loader import load_scenario
from game.engine import scoring
from game.engine.scoring import ScoreCard, Taken, judge, session_card, total
from game.engine.session import Session
from game.records.scorelog import read_log
from tests.conftest import FIXTURES
from tests.logplay import play
from tests.scenario_gen import counters_maze, load, random_scenario, recovery_loop, seeds

LIB = load_library(env={})
LIBRARY = sorted(LIB.scenarios)
DOORSTEP = FIXTURES / "scoring" / "doorstep.yaml"


@pytest.fixture
def doorstep(rubric) -> Scenario:
    return load_scenario(DOORSTEP, rubric)


def run(scenario: Scenario, rubric, steps: list[str], variant: str | None = None) -> Session:
    session = Session(scenario, rubric, variant=variant)
    for step in steps:
        if step == "wait" or step.endswith(".timeout"):
            session.time_out()
        else:
            session.choose(step)
    return session


Pick = Callable[[list[exemplar.Option]], exemplar.Option]


def play_picking(scenario: Scenario, rubric, pick: Pick, variant: str | None = None, limit: int = 120) -> Session:
    """Play taking ``pick(options)`` at every decision, for at most ``limit`` steps (loops may never end)."""
    session = Session(scenario, rubric, variant=variant)
    while not session.finished and len(session.history) < limit:
        options = exemplar.options_at(scenario, session.state)
        step_id, _ = pick(options) if len(options) > 1 else options[0]
        session.time_out() if step_id.endswith(".timeout") else session.choose(step_id)
    return session


def any_best(rng: random.Random) -> Pick:
    def pick(options: list[exemplar.Option]) -> exemplar.Option:
        top = max(total(s.scores) for _, s in options)
        return rng.choice([o for o in options if total(o[1].scores) == top])
    return pick


def anything(rng: random.Random) -> Pick:
    return lambda options: rng.choice(options)


def variants_of(scenario: Scenario) -> list[str | None]:
    return list(scenario.variants) or [None]


def generated(rubric) -> list[Scenario]:
    return [load(recovery_loop(), rubric), *(load(random_scenario(s), rubric) for s in range(12))]


# --- exact figures: the worked example of docs/scoring.md ---------------------------------------------------

def test_the_worked_example(doorstep, rubric) -> None:
    card = session_card(run(doorstep, rubric, ["gate", "check", "thank", "refer"]))
    assert card.overall.percent == 57.1 and (card.overall.earned, card.overall.stake) == (4, 7)
    assert {t.key: t.percent for t in card.topics} == {"calm": 50.0, "fair": 60.0}
    assert {p.key: p.percent for p in card.principles} == {
        "calm.listening": 0.0, "fair.voice": 60.0, "calm.distance": 100.0}
    assert card.overall.raw == 6 and card.raw == {"calm.distance": 2, "fair.voice": 4}  # the forced "thank" counts
    assert [(d.node, d.best_here, d.quality) for d in card.decisions] == [
        ("door", "door.ask", 0.0), ("story", None, 100.0), ("close", None, 100.0)]
    assert not card.passed and not card.critical and card.outcome == "referral"


def test_the_best_options_score_100_and_an_untouched_principle_is_not_assessed(doorstep, rubric) -> None:
    card = session_card(run(doorstep, rubric, ["ask", "reflect", "thank", "refer"]))
    assert card.overall.percent == 100.0 and card.passed
    assert {p.key: p.percent for p in card.principles}["calm.distance"] is None  # never at stake on this path


def test_a_critical_error_fails_whatever_the_score_and_harm_takes_points_away(doorstep, rubric) -> None:
    card = session_card(run(doorstep, rubric, ["ask", "reflect", "thank", "arrest"]))
    reason = "An arrest made to end an argument, with no offence that needed it."
    assert [c.to_json() for c in card.critical] == [{"node": "close", "choice": "close.arrest", "reason": reason}]
    assert card.overall.percent == 14.3 and not card.passed  # 2 + 1 + 2 - 4 of 7 points at stake
    knock = session_card(run(doorstep, rubric, ["knock", "reflect", "thank", "refer"]))
    lines = {x.key: x for x in (*knock.topics, *knock.principles)}
    assert (lines["calm.distance"].earned, lines["calm.distance"].stake, lines["calm.distance"].percent) == (-2, 0, 0.0)
    assert lines["calm"].percent == 0.0 and lines["fair"].percent == 50.0 and knock.overall.percent == 28.6


def test_a_tie_for_best_is_never_flagged_and_each_is_measured_against_itself(doorstep, rubric) -> None:
    options = ("story.reflect", "story.check", "story.warn")
    for taken in options[:2]:
        j = judge(doorstep, Taken("story", taken, options))
        assert j is not None and j.was_best and j.best_here is None and j.quality == 100.0
    worse = judge(doorstep, Taken("story", "story.warn", options))
    assert worse is not None and worse.best_here in options[:2] and worse.quality == 0.0


def test_a_step_with_one_option_is_no_decision(doorstep, rubric) -> None:
    assert judge(doorstep, Taken("wrap", "wrap.thank", ("wrap.thank",))) is None


def test_the_fixture_scores_as_its_plans_say(mini, rubric) -> None:
    best = session_card(run(mini, rubric, ["distance", "ask", "help"]))
    assert best.overall.percent == 100.0 and best.passed
    missed = session_card(run(mini, rubric, ["distance", "ask", "leave"]))
    assert missed.overall.percent == 57.1 and {t.key: t.percent for t in missed.topics} == {"calm": 40.0, "fair": 100.0}


def test_percent() -> None:
    assert scoring.percent(-3, 10) == 0.0 and scoring.percent(5, 10) == 50.0 and scoring.percent(12, 10) == 100.0
    assert scoring.percent(0, 0) is None and scoring.percent(-1, 0) == 0.0


def test_step_effect_by_the_sign_of_the_total() -> None:
    assert scoring.step_effect({"a.b": 2, "a.c": -1}) == "helped"
    assert scoring.step_effect({"a.b": -2}) == "harmed"
    assert scoring.step_effect({"a.b": 1, "a.c": -1}) == "mixed"
    assert scoring.step_effect({}) == "unscored"


def test_old_callers_get_a_clear_error_for_bare_scores(mini, rubric) -> None:
    from game.analysis.scoring import score_card

    session = run(mini, rubric, ["distance"])
    assert score_card(mini, rubric, session.history).overall.percent == 100.0
    with pytest.raises(TypeError, match=r"session\.history"):
        score_card(mini, rubric, [s.scores for s in session.history])


# --- the properties, over every library scenario and generated ones ----------------------------------------

def check_card(card: ScoreCard, session: Session) -> None:
    """(b), (c), ``passed`` and the "Better here" rules on one card."""
    if card.critical or card.failing_outcome or card.ending is None:
        assert not card.passed
    topics = [t.percent for t in card.topics if t.percent is not None]
    if card.overall.percent is not None:  # (b)
        assert min(topics) <= card.overall.percent <= max(topics), (card.overall, card.topics)
    scenario = session.scenario
    steps = scoring.steps_by_id(scenario)
    faced = [d for d in card.decisions]
    for line in card.principles:  # (c): never at stake and nothing lost: not assessed, never 0%
        offered = any(line.key in steps[o][1].scores for d in faced for o in d.options)
        if not offered:
            assert line.percent is None, line
        if line.percent == 0.0:
            assert (line.stake == 0 and line.earned < 0) or line.earned <= 0 < line.stake, line
    for d in card.decisions:
        if d.choice in d.best:
            assert d.best_here is None and d.was_best
        if d.best_here is not None:
            assert d.best_here in d.best and total(steps[d.best_here][1].scores) >= 0


@pytest.mark.parametrize("sid", LIBRARY)
def test_library_properties(sid: str) -> None:
    scenario, rubric = LIB.scenarios[sid], LIB.rubric
    rng = random.Random(sid)
    for variant in variants_of(scenario):
        for _ in range(3):  # (a): the best option every time, ties broken at random
            session = play_picking(scenario, rubric, any_best(rng), variant)
            card = session_card(session)
            assert card.overall.percent in (100.0, None), sid
            assert {t.percent for t in card.topics} <= {100.0, None}
            assert 0.0 not in {p.percent for p in card.principles}, "a perfect run shows a 0% principle"
            check_card(card, session)
        for _ in range(25):  # (b), (c), (d) on any play
            session = play_picking(scenario, rubric, anything(rng), variant)
            card = session_card(session)
            check_card(card, session)
            again = run(scenario, rubric, [s.choice for s in session.history], variant)
            assert session_card(again).to_json() == card.to_json()  # (d)


def test_generated_properties(rubric) -> None:
    for scenario in generated(rubric):
        rng = random.Random(scenario.id)
        for variant in variants_of(scenario):
            best = session_card(play_picking(scenario, rubric, any_best(rng), variant))
            assert best.overall.percent in (100.0, None) and {t.percent for t in best.topics} <= {100.0, None}
            for _ in range(10):
                session = play_picking(scenario, rubric, anything(rng), variant)
                check_card(session_card(session), session)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=seeds)
def test_random_scenarios_hold_every_property(seed: int, rubric) -> None:
    scenario = load(random_scenario(seed), rubric)
    rng = random.Random(seed)
    for variant in variants_of(scenario):
        best = session_card(play_picking(scenario, rubric, any_best(rng), variant, limit=30))
        assert best.overall.percent in (100.0, None) and {t.percent for t in best.topics} <= {100.0, None}
        session = play_picking(scenario, rubric, anything(rng), variant, limit=30)
        card = session_card(session)
        check_card(card, session)
        again = run(scenario, rubric, [s.choice for s in session.history], variant)
        assert session_card(again).to_json() == card.to_json()


def test_the_log_scores_the_session_as_the_session_does(mini, rubric, tmp_path: Path) -> None:
    """(d) across the record: the summary a log writes equals the card of the same choices."""
    for steps in (["wait", "ask", "leave"], ["rush", "back-off", "talk_again.1", "leave"], ["distance", "order"]):
        log = read_log(play(mini, rubric, tmp_path / "-".join(steps), steps))
        assert log.summary["scoring"] == scoring.SCORING_MODEL
        assert log.summary["score"] == session_card(run(mini, rubric, steps)).to_json()


def test_scoring_explores_nothing_and_costs_one_judgement_per_decision(rubric, monkeypatch) -> None:
    """(e): a scene whose states could never all be explored scores at once, one judgement a decision."""
    def no_exploring(*_a, **_k):
        raise AssertionError("scoring explored the state space")

    monkeypatch.setattr(statespace, "build", no_exploring)
    monkeypatch.setattr(statespace, "optimise", no_exploring)
    maze = load(counters_maze(), rubric)
    calls: list[str] = []
    real = scoring.judge_options
    monkeypatch.setattr(scoring, "judge_options", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    rng = random.Random(3)
    session = play_picking(maze, rubric, anything(rng), limit=400)
    assert len(calls) == len(session.history)  # one judgement as each step is taken
    card = session_card(session)
    assert len(calls) == len(session.history)  # the end adds them up: nothing judged again
    assert len(card.decisions) == len(session.history)  # every step there is a decision
    del calls[:]
    taken = scoring.taken_from_history(maze, session.history)
    maze._derived.pop("scoring", None)
    again = scoring.score(maze, rubric, taken, ending=session.state.ending)  # from a log: nothing known
    assert len(calls) == len(set(taken)) <= len(taken) and again.to_json() == card.to_json()


# --- a regression test for each finding of the issue -------------------------------------------------------

def test_recovery_loop_flawless_run_scores_100_however_long_the_scene(rubric) -> None:
    """Was 0.8%: normalised against a best path of 4,740 steps round the recovery loop."""
    for moments in (5, 31):
        scene = load(recovery_loop(moments), rubric)
        flawless = run(scene, rubric, [f"m{k}.best" for k in range(moments)])
        assert flawless.ending is not None and session_card(flawless).overall.percent == 100.0
    scene = load(recovery_loop(10), rubric)
    steps = ["m0.best", *["m1.best", "m2.mistake", "r2.back-off"] * 5, *[f"m{k}.best" for k in range(1, 10)]]
    looped = session_card(run(scene, rubric, steps))
    assert 0.0 < looped.overall.percent < 100.0  # the mistakes count; the loop inflates nothing
    assert [d.quality for d in looped.decisions if d.choice == "m2.mistake"] == [0.0] * 5


def test_bridge_rail_overall_lies_between_its_topics() -> None:
    """Was overall 81.8% with topics 74.2% and 40%: each was normalised against a different path."""
    if "bridge-rail" not in LIB.scenarios:
        pytest.skip("bridge-rail is not in the library")
    scenario, rubric = LIB.scenarios["bridge-rail"], LIB.rubric
    rng = random.Random(81.8)
    for _ in range(200):
        card = session_card(play_picking(scenario, rubric, anything(rng)))
        topics = [t.percent for t in card.topics if t.percent is not None]
        if card.overall.percent is not None:
            assert min(topics) <= card.overall.percent <= max(topics)


def test_better_here_never_on_a_best_choice_nor_at_a_harmful_one(rubric) -> None:
    """Was: after a time-out on Bridge Rail, 'Better here' named a -2 choice; '+ This helped' ones flagged."""
    scene = load({**random_scenario(7), "id": "all-bad", "nodes": {"n0": {"narration": "Nothing good.", "choices": [
        {"id": "a", "text": "A.", "goto": "okay", "scores": {"fair.voice": -1}, "feedback": "x"},
        {"id": "b", "text": "B.", "goto": "bad", "scores": {"fair.voice": -3}, "feedback": "x"}]}}, "start": "n0"},
        rubric)
    j = judge(scene, Taken("n0", "n0.b", ("n0.a", "n0.b")))
    assert j is not None and not j.was_best and j.best_here is None  # -1 is better, but never recommended


def test_a_perfect_veteran_run_shows_no_zero_principle() -> None:
    """Was: 'Act, review and re-assess: 0%' on a perfect veteran-flashback run."""
    for sid in [s for s in ("veteran-flashback",) if s in LIB.scenarios] or LIBRARY[:1]:
        scenario = LIB.scenarios[sid]
        for variant in variants_of(scenario):
            best = exemplar.best_path(scenario, variant)
            card = session_card(run(scenario, LIB.rubric, best.path, variant))
            assert card.overall.percent == 100.0
            assert all(p.percent in (100.0, None) for p in card.principles), [
                (p.key, p.percent) for p in card.principles]


def test_the_debrief_json_has_exactly_the_documented_shape(doorstep, rubric) -> None:
    card = session_card(run(doorstep, rubric, ["gate", "check", "thank", "arrest"]))
    data = json.loads(json.dumps(card.public_json()))
    assert list(data) == ["scenario", "variant", "outcome", "passed", "overall", "topics", "principles", "critical",
                          "decisions"]
    assert all(list(d) == ["node", "choice", "best_here", "quality"] for d in data["decisions"])
    assert all(list(c) == ["node", "choice", "reason"] for c in data["critical"])
