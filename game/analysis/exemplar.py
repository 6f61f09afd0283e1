"""The exemplar: what taking the best option at every decision looks like, from the start to an ending.

"Best" is one thing across the product: the decision's option with the highest total score among
those offered at that moment (:mod:`game.engine.scoring`). Following it at every decision scores
100% by construction; the path shows an author where that leads, and whether the best options ever
come back round to where they started (a loop the exemplar would never leave).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from game.content.format import Choice, Scenario, TimeLimit
from game.engine import rules
from game.engine.scoring import Judgement, Taken, judge, total
from game.engine.state import State

MAX_STEPS = 10_000
"""A guard: no hand-written scenario needs this many steps to end."""

Option = tuple[str, Choice | TimeLimit]
Pick = Callable[[list[Option]], Option]


@dataclass(frozen=True)
class PathStep:
    node: str
    choice: str
    text: str
    decision: bool
    """More than one option was offered (a forced step is not a decision)."""
    score: int
    """The step's total score."""


@dataclass
class Exemplar:
    variant: str | None
    steps: list[PathStep] = field(default_factory=list)
    ending: str | None = None
    loops_at: str | None = None
    """The node where following the picks came back to a state already passed (no ending then)."""
    stuck_at: str | None = None
    """The node where nothing was offered (no ending then)."""

    @property
    def path(self) -> list[str]:
        """The qualified ids of the steps, in order (what ``explore --json`` prints as ``best.path``)."""
        return [s.choice for s in self.steps]

    @property
    def total(self) -> int:
        return sum(s.score for s in self.steps)

    @property
    def decisions(self) -> list[PathStep]:
        return [s for s in self.steps if s.decision]


def options_at(scenario: Scenario, state: State) -> list[Option]:
    """The options offered in ``state``: available choices in order, then the time-out of a timed node."""
    node = scenario.nodes[state.node]
    out: list[Option] = [(c.qid, c) for c, ok in zip(node.choices, rules.availability(scenario, state)) if ok]
    if node.time_limit is not None:
        out.append((f"{state.node}.timeout", node.time_limit))
    return out


def first_best(options: list[Option]) -> Option:
    top = max(total(s.scores) for _, s in options)
    return next(o for o in options if total(o[1].scores) == top)


def first_worst(options: list[Option]) -> Option:
    low = min(total(s.scores) for _, s in options)
    return next(o for o in options if total(o[1].scores) == low)


def follow(scenario: Scenario, pick: Pick, variant: str | None = None) -> Exemplar:
    """Play from the start taking ``pick(options)`` at every decision (and the only option elsewhere)."""
    state = State.initial(scenario, variant)
    rules.enter(scenario, state, scenario.start)
    out = Exemplar(variant)
    seen: set[tuple] = set()
    while state.ending is None and len(out.steps) < MAX_STEPS:
        key = (state.node, tuple(state.values.values()), frozenset(state.visited), frozenset(state.chosen))
        if key in seen:
            out.loops_at = state.node
            return out
        seen.add(key)
        options = options_at(scenario, state)
        if not options:
            out.stuck_at = state.node
            return out
        step_id, step = pick(options) if len(options) > 1 else options[0]
        out.steps.append(PathStep(state.node, step_id, step.text, len(options) > 1, total(step.scores)))
        rules.take(scenario, state, step, step_id)
    out.ending = state.ending
    if out.ending is None:
        out.loops_at = state.node
    return out


def best_path(scenario: Scenario, variant: str | None = None) -> Exemplar:
    """The best option at every decision (the first of them on a tie): the path that scores 100%."""
    return follow(scenario, first_best, variant)


def worst_path(scenario: Scenario, variant: str | None = None) -> Exemplar:
    """The worst option at every decision (the first of them on a tie)."""
    return follow(scenario, first_worst, variant)


def decisions(scenario: Scenario, taken: Iterable[str], variant: str | None = None) -> list[Judgement]:
    """Replay ``taken`` (step ids in order) from the start and judge each decision against its options.

    Kept for callers that hold only the step ids; a session's own score card carries the same
    judgements (:attr:`game.engine.scoring.ScoreCard.decisions`).
    """
    state = State.initial(scenario, variant)
    rules.enter(scenario, state, scenario.start)
    out: list[Judgement] = []
    for i, step_id in enumerate(taken):
        if state.ending is not None:
            break
        options = dict(options_at(scenario, state))
        step = options.get(step_id)
        if step is None:
            break
        j = judge(scenario, Taken(state.node, step_id, tuple(options)), i)
        if j is not None:
            out.append(j)
        rules.take(scenario, state, step, step_id)
    return out
