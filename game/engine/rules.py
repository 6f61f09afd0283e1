"""The rules of play as pure functions over a :class:`State`: what is offered, what a step does.

The :class:`~game.engine.session.Session` facade and exhaustive exploration both move through a scenario
with these functions, so the path a trainee takes and the paths the tools reason about can never
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.content.format import Choice, Scenario, TimeLimit
from game.content.limits import COUNTER_MAX, COUNTER_MIN
from game.engine.state import State

TIMER_FACTOR: dict[str, float | None] = {"on": 1.0, "slower": 2.0, "off": None}
"""Accessibility setting for timed nodes, shared by every view: how much longer the trainee gets, or
``None`` for no timer (letting the moment pass is then offered as an explicit choice)."""


class EngineError(RuntimeError):
    """The scenario cannot go on (a choice not offered, a step after the end, a branch loop)."""


@dataclass(frozen=True)
class RouteTaken:
    """An automatic branch followed on entering a node."""

    origin: str
    target: str
    condition: str | None
    note: str


def availability(scenario: Scenario, state: State) -> list[bool]:
    """For each choice of the current node, whether its condition holds now."""
    if state.ending is not None:
        return []
    return [c.condition is None or c.condition.holds(state) for c in scenario.nodes[state.node].choices]


def enter(scenario: Scenario, state: State, target: str) -> list[RouteTaken]:
    """Move to a node or ending, following automatic branches (first that holds) until one stops."""
    routes: list[RouteTaken] = []
    seen: set[str] = set()
    endings, nodes = scenario.endings, scenario.nodes
    while True:
        if target in endings:
            state.ending = target
            state.visited.add(target)
            return routes
        if target in seen:
            raise EngineError(f"automatic branches loop back to '{target}' without a choice")
        state.node = target
        state.visited.add(target)
        branches = nodes[target].branches
        if not branches:  # most nodes: nothing to route
            return routes
        seen.add(target)
        route = next((b for b in branches if b.condition is None or b.condition.holds(state)), None)
        if route is None:
            return routes
        routes.append(RouteTaken(target, route.goto, route.when, route.note))
        target = route.goto


def take(scenario: Scenario, state: State, step: Choice | TimeLimit,
         taken_id: str | None = None) -> tuple[dict[str, int | bool], list[RouteTaken]]:
    """Apply a choice or a time-out to ``state`` in place; return the changes made and the routes followed.

    ``taken_id`` is the step's id when the caller has already worked it out (see :func:`step_id`).
    """
    applied = apply_effects(scenario, state.values, step.effects)
    state.chosen.add(taken_id or step_id(state, step))
    state.turn += 1
    return applied, enter(scenario, state, step.goto)


def step_id(state: State, step: Choice | TimeLimit) -> str:
    """The id a step is logged under: the choice's qualified id, or ``node.timeout``."""
    return step.qid if isinstance(step, Choice) else f"{state.node}.timeout"


def apply_effects(scenario: Scenario, values: dict[str, int | bool], effects: dict[str, Any]) -> dict[str, int | bool]:
    """Apply effects in place, clamping meters and counters to their bounds; return what changed (deltas, or flag
    values). Counters share fixed bounds (``game.content.limits``), so a loop that counts stays finite."""
    applied: dict[str, int | bool] = {}
    for name, effect in effects.items():
        old = values[name]
        if isinstance(effect, bool):
            values[name] = applied[name] = effect
            continue
        new = effect["set"] if isinstance(effect, dict) else old + effect
        meter = scenario.meters.get(name)
        if meter is not None:
            new = min(max(new, meter.min), meter.max)
        elif name in scenario.counters:
            new = min(max(new, COUNTER_MIN), COUNTER_MAX)
        values[name] = new
        applied[name] = new - old
    return applied
