"""Quality checks over the built-in scenario library (issue: at least 16 realistic scenarios).

Generic: they hold for any valid library, so adding a scenario needs no change here.
"""

from __future__ import annotations

from collections import Counter

import pytest

from game.analysis import exemplar, statespace
from game.analysis.exploration import reaches_an_ending
from game.analysis.scoring import scored_principles
from game.content import expr
from game.content.library import load_library
from game.engine import rules
from game.engine.state import State

LIB = load_library(env={})
SCENARIOS = sorted(LIB.scenarios)


def test_library_loads_cleanly() -> None:
    assert not LIB.diagnostics, "\n".join(d.format() for d in LIB.diagnostics)


def test_library_covers_every_topic() -> None:
    assert len(LIB.scenarios) >= 16
    counts = Counter(t for s in LIB.scenarios.values() for t in s.topics)
    for topic in LIB.rubric.topics:
        assert counts[topic] >= 1, f"no scenario teaches {topic}"
    for deep in ("deescalation", "crisis_intervention", "procedural_justice"):
        assert counts[deep] >= 3, f"{deep} needs at least three scenarios"


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario(request):
    return LIB.scenarios[request.param]


def test_shape(scenario) -> None:
    assert len(scenario.nodes) >= 20
    assert len({e.outcome for e in scenario.endings.values()}) >= 3
    assert any(n.time_limit for n in scenario.nodes.values()), "needs a timed node"
    conditions = [b.condition for n in scenario.nodes.values() for b in n.branches if b.condition is not None]
    state_branch = [c for c in conditions
                    if any(isinstance(r, expr.Var) and r.name in scenario.meters for r in expr.references(c.tree))]
    assert state_branch, "needs automatic branches on the subject's state"
    assert scenario.objectives and scenario.sources and scenario.minutes and scenario.principles


def test_every_choice_teaches(scenario) -> None:
    for node_id, node in scenario.nodes.items():
        steps = [*node.choices, *([node.time_limit] if node.time_limit else [])]
        for step in steps:
            where = getattr(step, "qid", f"{node_id}.timeout")
            assert step.scores, f"{where} is not scored"
            assert len(step.feedback) >= 40, f"{where} has no teaching feedback"


def test_every_node_reachable_and_every_state_can_end(scenario) -> None:
    graph = statespace.build(scenario)  # every variant's states
    seen = {s.node for s in graph.states}
    for variant in graph.variants:
        start = State.initial(scenario, variant)
        seen.update(r.origin for r in rules.enter(scenario, start, scenario.start))
    for state in graph.states:  # nodes passed through by automatic branches
        if state.ending is None:
            node = scenario.nodes[state.node]
            for step in [*node.choices, *([node.time_limit] if node.time_limit else [])]:
                if getattr(step, "condition", None) is None or step.condition.holds(state):
                    seen.update(r.origin for r in rules.take(scenario, state.copy(), step)[1])
    unreachable = set(scenario.nodes) - seen
    assert not unreachable, f"unreachable: {sorted(unreachable)}"
    assert not graph.stuck, "some state offers no choice"
    ends = reaches_an_ending(graph)
    dead = [graph.states[i].node for i, ok in enumerate(ends) if not ok]
    assert not dead, f"no ending reachable from: {sorted(set(dead))}"
    endings = {s.ending for s in graph.states if s.ending}
    assert endings == set(scenario.endings), f"endings never reached: {set(scenario.endings) - endings}"


def test_the_best_options_lead_to_an_ending_that_passes(scenario) -> None:
    """Taking the best option at every decision ends, with no critical error and not in a failing outcome."""
    from game.engine.scoring import session_card
    from game.engine.session import Session

    for variant in list(scenario.variants) or [None]:
        best = exemplar.best_path(scenario, variant)
        assert best.ending is not None, f"the best options loop at '{best.loops_at}' ({variant})"
        session = Session(scenario, LIB.rubric, variant=variant)
        for step in best.path:
            session.time_out() if step.endswith(".timeout") else session.choose(step)
        card = session_card(session)
        assert card.passed, (variant, best.ending, [c.reason for c in card.critical], card.failing_outcome)


def test_claimed_principles_are_scored(scenario) -> None:
    scored = set(scored_principles(scenario))
    missing = set(scenario.principles) - scored
    assert not missing, f"claimed but never scored: {sorted(missing)}"


def _decision_nodes(scenario):
    """Nodes with two or more choices, each with its best-scoring choice (first one on a tie)."""
    for node in scenario.nodes.values():
        if len(node.choices) >= 2:
            yield node, max(node.choices, key=lambda c: sum(c.scores.values()))


def test_the_best_answer_is_not_given_away(scenario) -> None:
    """Trainees must think, not pick the longest or the first option (a known complaint about training tools)."""
    nodes = list(_decision_nodes(scenario))
    longest = sum(best is max(node.choices, key=lambda c: len(c.text)) for node, best in nodes)
    first = sum(best is node.choices[0] for node, best in nodes)
    assert longest <= 0.5 * len(nodes), f"the best choice is the longest in {longest} of {len(nodes)} nodes"
    assert first <= 0.6 * len(nodes), f"the best choice comes first in {first} of {len(nodes)} nodes"
