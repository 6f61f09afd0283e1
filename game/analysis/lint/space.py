"""Facts about every reachable state, gathered once from :func:`game.analysis.statespace.build` for all passes.

The state graph records where play rests (nodes waiting for a decision, endings). Automatic branches
are followed inside a move, so this module walks each move's arrival again with the same conditions
to see which nodes are passed through and which branch conditions are checked, and with what result.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from game.analysis import statespace
from game.content.format import Scenario
from game.engine import rules
from game.engine.rules import EngineError
from game.engine.state import State


@dataclass
class Space:
    graph: statespace.StateGraph
    entered: set[str] = field(default_factory=set)
    """Every node and ending some playthrough arrives at (resting there or passing through a branch)."""
    finishes: list[bool] = field(default_factory=list)
    """Per state: an ending can still be reached from it."""
    settles: list[bool] = field(default_factory=list)
    """Per state: an ending or a stuck state can be reached from it (false means trapped in a loop)."""
    choice_results: dict[tuple[str, int], set[bool]] = field(default_factory=dict)
    """(node, choice index) -> the values its condition took in the states where the node was shown."""
    branch_results: dict[tuple[str, int], set[bool]] = field(default_factory=dict)
    """(node, branch index) -> the values its condition took when it was checked."""


def explore_space(scenario: Scenario, max_states: int) -> Space | str:
    """The facts, or a sentence saying why the space could not be explored."""
    try:
        graph = statespace.build(scenario, max_states=max_states)
    except statespace.ExplorationLimit as exc:
        return str(exc)
    except EngineError as exc:
        return str(exc)
    space = Space(graph)
    _arrivals(scenario, space)
    ends = [i for i, s in enumerate(graph.states) if s.ending is not None]
    space.finishes = _backward(graph, ends)
    space.settles = _backward(graph, ends + graph.stuck)
    return space


def branch_loop_node(message: str) -> str | None:
    """The node an automatic-branch loop was found at, from the engine's message."""
    m = re.search(r"loop back to '([^']+)'", message)
    return m.group(1) if m else None


def _backward(graph: statespace.StateGraph, targets: list[int]) -> list[bool]:
    """Which states can reach one of ``targets`` (breadth-first over reversed edges)."""
    preds: list[list[int]] = [[] for _ in graph.states]
    for i, out in enumerate(graph.edges):
        for e in out:
            preds[e.target].append(i)
    ok = [False] * len(graph.states)
    queue = deque(targets)
    for t in targets:
        ok[t] = True
    while queue:
        i = queue.popleft()
        for p in preds[i]:
            if not ok[p]:
                ok[p] = True
                queue.append(p)
    return ok


def _arrivals(scenario: Scenario, space: Space) -> None:
    """Replay every move's arrival, recording nodes entered and the conditions checked on the way."""
    for variant in space.graph.variants:  # every variant's opening: its start values may route differently
        _enter(scenario, State.initial(scenario, variant), scenario.start, space)
    for state in space.graph.states:
        if state.ending is not None:
            continue
        node = scenario.nodes[state.node]
        available = rules.availability(scenario, state)
        for k, (choice, ok) in enumerate(zip(node.choices, available)):
            if choice.condition is not None:
                space.choice_results.setdefault((state.node, k), set()).add(ok)
        steps = [c for c, ok in zip(node.choices, available) if ok]
        if node.time_limit is not None:
            steps.append(node.time_limit)
        for step in steps:
            moved = state.copy()
            rules.apply_effects(scenario, moved.values, step.effects)
            moved.chosen.add(rules.step_id(moved, step))
            _enter(scenario, moved, step.goto, space)


def _enter(scenario: Scenario, state: State, target: str, space: Space) -> None:
    """:func:`game.engine.rules.enter`, noting each node entered and each branch condition's result."""
    seen: set[str] = set()
    while True:
        space.entered.add(target)
        if target in scenario.endings or target in seen:
            return
        seen.add(target)
        state.node = target
        state.visited.add(target)
        nxt = None
        for k, branch in enumerate(scenario.nodes[target].branches):
            if branch.condition is None:
                nxt = branch.goto
                break
            holds = branch.condition.holds(state)
            space.branch_results.setdefault((target, k), set()).add(holds)
            if holds:
                nxt = branch.goto
                break
        if nxt is None:
            return
        target = nxt
