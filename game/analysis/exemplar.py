"""What the best choice was at each decision a trainee made: the comparison every debrief shows.

The exemplar is the choice that starts the best path (highest total score to an ending) from the
state the trainee was in, found on the scenario's explored state graph; it is the same optimum that
scoring normalises against, so "best" means one thing across the product.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.analysis import scoring, statespace
from game.content.format import Scenario
from game.engine import rules
from game.engine.state import State


@dataclass(frozen=True)
class Decision:
    """One decision set beside the best one available at the same point."""

    turn: int
    node: str
    taken: str
    best: str | None
    """The best step's id (a choice's qualified id, or ``node.timeout``); None at a state with no way on."""
    best_text: str | None
    taken_value: float
    """Best total reachable after taking ``taken`` (its own score included)."""
    best_value: float

    @property
    def was_best(self) -> bool:
        return self.best is None or self.taken == self.best or self.taken_value >= self.best_value


def _step_text(scenario: Scenario, step_id: str) -> str:
    node_id, _, local = step_id.rpartition(".")
    node = scenario.nodes[node_id]
    if local == "timeout" and node.time_limit is not None:
        return node.time_limit.text
    return next(c.text for c in node.choices if c.qid == step_id)


def decisions(scenario: Scenario, taken: Iterable[str]) -> list[Decision]:
    """Replay ``taken`` (step ids in order) from the start and compare each with the best available."""
    scoring.bounds(scenario)  # builds and caches the state graph and its optimum
    graph: statespace.StateGraph = scenario._derived["graph"]
    best: statespace.Optimum = scenario._derived["best"]
    keys = statespace.key_index(graph)
    state = State.initial(scenario)
    rules.enter(scenario, state, scenario.start)
    out: list[Decision] = []
    for turn, step_id in enumerate(taken):
        if state.ending is not None:
            break
        index = keys.get(statespace.state_key(graph, state))
        node = scenario.nodes[state.node]
        if index is None:
            break
        edges = graph.edges[index]
        mine = next((e for e in edges if e.step == step_id), None)
        if mine is None:
            break
        choice_k = best.choice[index]
        top = edges[choice_k] if choice_k is not None else None
        out.append(Decision(
            turn=turn, node=state.node, taken=step_id,
            best=top.step if top else None, best_text=_step_text(scenario, top.step) if top else None,
            taken_value=statespace.total(mine.scores) + best.value[mine.target],
            best_value=best.value[index],
        ))
        step = node.time_limit if step_id.endswith(".timeout") and node.time_limit else next(
            c for c in node.choices if c.qid == step_id)
        rules.take(scenario, state, step)
    return out
