"""Every state a scenario can reach, from every variant's opening, as a graph, and best/worst paths through it.

The authoring tools (explore, lint, graph) report path counts, endings, score ranges and where play
can go; they need the full space of play. Scoring a session never does: it judges each decision
against its own options (:mod:`game.engine.scoring`). States are told apart by node, variables and
only those visits that some condition asks about, so the space stays small. Loops in play (asking
again, circling back) are counted once: a path found by :func:`optimise` never repeats a state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from game.content import expr
from game.content.expr import Condition
from game.content.format import Choice, Scenario, TimeLimit
from game.content.gcpause import gc_paused
from game.engine import rules
from game.engine.state import State

DEFAULT_MAX_STATES = 500_000


class ExplorationLimit(RuntimeError):
    """The scenario has more reachable states than the bound allows."""


class NoEnding(ExplorationLimit):
    """No playthrough from the start reaches an ending: there is no best path to score or explore against.

    A kind of :class:`ExplorationLimit` so every caller that handles a space it cannot use handles this too.
    """


@dataclass(frozen=True)
class Edge:
    step: str
    """The step's id: a choice's qualified id, or ``node.timeout``."""
    kind: str
    target: int
    scores: Mapping[str, int]


@dataclass
class StateGraph:
    scenario: Scenario
    states: list[State] = field(default_factory=list)
    edges: list[list[Edge]] = field(default_factory=list)
    stuck: list[int] = field(default_factory=list)
    """States that are not endings but offer nothing (every choice's condition fails, no timer)."""
    watched_nodes: frozenset[str] = frozenset()
    watched_choices: frozenset[str] = frozenset()
    roots: list[int] = field(default_factory=lambda: [0])
    """The start state of each variant (one root when the scenario has none), parallel to :attr:`variants`."""
    variants: list[str | None] = field(default_factory=lambda: [None])
    _index: dict[tuple, int] | None = field(default=None, repr=False)
    _order: SearchOrder | None = field(default=None, repr=False)

    def ending_of(self, index: int) -> str | None:
        return self.states[index].ending


def _watched(scenario: Scenario) -> tuple[frozenset[str], frozenset[str]]:
    nodes: set[str] = set()
    choices: set[str] = set()
    conditions = [c.condition for n in scenario.nodes.values() for c in (*n.choices, *n.branches)]
    for cond in conditions:
        if cond is None:
            continue
        for ref in expr.references(cond.tree):
            if isinstance(ref, expr.Call):
                (nodes if ref.func == "visited" else choices).add(ref.arg)
    return frozenset(nodes), frozenset(choices)


def state_key(graph: StateGraph, state: State) -> tuple:
    """The key under which ``graph`` knows a state."""
    return state.key(graph.watched_nodes, graph.watched_choices)


def key_index(graph: StateGraph) -> dict[tuple, int]:
    """State key -> index, built once per graph and kept on it."""
    if graph._index is None:
        graph._index = {state_key(graph, s): i for i, s in enumerate(graph.states)}
    return graph._index


def build(scenario: Scenario, *, max_states: int = DEFAULT_MAX_STATES) -> StateGraph:
    """Breadth-first over every reachable state of every variant; raise :class:`ExplorationLimit` past ``max_states``.

    Most moves lead to a state already seen, so a move is first reduced to its key (new variables,
    the watched visits and choices) and a :class:`State` is only made for a new one. Moves into a
    node with automatic branches take the general path through :func:`game.engine.rules.take`.
    """
    with gc_paused():  # every state stays alive: collecting mid-way frees nothing
        return _build(scenario, max_states)


def _build(scenario: Scenario, max_states: int) -> StateGraph:
    watched_nodes, watched_choices = _watched(scenario)
    names: list[str | None] = list(scenario.variants) or [None]
    graph = StateGraph(scenario, watched_nodes=watched_nodes, watched_choices=watched_choices, roots=[],
                       variants=names)
    index: dict[tuple, int] = {}
    graph._index = index
    for name in names:
        start = State.initial(scenario, name)
        rules.enter(scenario, start, scenario.start)
        start.visited &= watched_nodes
        start.chosen &= watched_choices
        key = start.key_of_watched()
        if key not in index:
            index[key] = len(graph.states)
            graph.states.append(start)
            graph.edges.append([])
        graph.roots.append(index[key])
    moves = _Moves(scenario, watched_nodes, watched_choices)
    frontier = 0
    while frontier < len(graph.states):
        state = graph.states[frontier]
        out = graph.edges[frontier]
        if state.ending is None:
            for move in moves.at(state):
                if move.simple:  # no branches where it lands: the key is known without running the rules
                    values = dict(state.values)
                    rules.apply_effects(scenario, values, move.step.effects)
                    visited = state.visited | move.adds_visit if move.adds_visit else state.visited
                    chosen = state.chosen | move.adds_choice if move.adds_choice else state.chosen
                    key = (move.target,) if move.ending else (
                        move.target, tuple(values.values()), frozenset(visited) if visited else None,
                        frozenset(chosen) if chosen else None)
                    target = index.get(key)
                    if target is None:
                        nxt = State(state.node, values, set(visited), set(chosen), state.turn + 1, None)
                        if move.ending:
                            nxt.ending = move.target
                        else:
                            nxt.node = move.target
                else:
                    nxt = state.copy()
                    rules.take(scenario, nxt, move.step, move.id)
                    nxt.visited &= watched_nodes  # only watched visits decide the future; the rest would grow
                    nxt.chosen &= watched_choices  # with every step and make memory quadratic in path length
                    key = nxt.key_of_watched()
                    target = index.get(key)
                if target is None:
                    if len(graph.states) >= max_states:
                        raise ExplorationLimit(f"'{scenario.id}' has more than {max_states:,} reachable states"
                                               + _growing(scenario, graph.states))
                    target = index[key] = len(graph.states)
                    graph.states.append(nxt)
                    graph.edges.append([])
                out.append(Edge(move.id, move.kind, target, move.step.scores))
            if not out:
                graph.stuck.append(frontier)
        frontier += 1
    return graph


def _growing(scenario: Scenario, states: list[State]) -> str:
    """Which variable multiplies the states: the one that takes the most different values so far.

    A counter has no bounds, so one that a loop keeps adding to never stops making new states; a meter
    stepping through many values does the same within its bounds.
    """
    if not states:
        return ""
    names = list(states[0].values)
    seen: dict[str, set] = {n: set() for n in names}
    for state in states:
        for name, value in state.values.items():
            seen[name].add(value)
    name = max(names, key=lambda n: len(seen[n]))
    kind = "counter" if name in scenario.counters else ("meter" if name in scenario.meters else "flag")
    values = seen[name]
    if kind == "counter":
        return (f"; the counter '{name}' grows without bound (it reached {max(values):,}): a loop keeps "
                f"changing it, so every time round is a new state")
    return f"; the {kind} '{name}' takes {len(values):,} different values, which multiplies the states"


@dataclass(frozen=True)
class _Move:
    step: Choice | TimeLimit
    id: str
    kind: str
    target: str
    ending: bool
    simple: bool
    """True when the move lands on an ending or on a node without automatic branches."""
    adds_visit: frozenset[str]
    adds_choice: frozenset[str]


class _Moves:
    """Each node's possible moves, worked out once per build (ids, targets, what they add to the key)."""

    def __init__(self, scenario: Scenario, watched_nodes: frozenset[str], watched_choices: frozenset[str]):
        self.scenario = scenario
        self.watched_nodes, self.watched_choices = watched_nodes, watched_choices
        self._by_node: dict[str, tuple[list[tuple[_Move, Condition | None]], _Move | None]] = {}

    def _move(self, node_id: str, step: Choice | TimeLimit, kind: str) -> _Move:
        s = self.scenario
        step_id = step.qid if isinstance(step, Choice) else f"{node_id}.timeout"
        ending = step.goto in s.endings
        simple = ending or not s.nodes[step.goto].branches
        return _Move(step, step_id, kind, step.goto, ending, simple,
                     frozenset({step.goto}) & self.watched_nodes, frozenset({step_id}) & self.watched_choices)

    def at(self, state: State) -> list[_Move]:
        """The moves open in ``state``: available choices in order, then the time-out."""
        node_id = state.node
        known = self._by_node.get(node_id)
        if known is None:
            node = self.scenario.nodes[node_id]
            choices = [(self._move(node_id, c, "choice"), c.condition) for c in node.choices]
            timeout = self._move(node_id, node.time_limit, "timeout") if node.time_limit is not None else None
            known = self._by_node[node_id] = (choices, timeout)
        choices, timeout = known
        moves = [m for m, cond in choices if cond is None or cond.holds(state)]
        if timeout is not None:
            moves.append(timeout)
        return moves


@dataclass
class Optimum:
    """Best (or worst) value from each state, and the step that achieves it."""

    value: list[float]
    choice: list[int | None]

    def path(self, graph: StateGraph, start: int = 0) -> list[Edge]:
        edges: list[Edge] = []
        seen: set[int] = set()
        i = start
        while (c := self.choice[i]) is not None and i not in seen:
            seen.add(i)
            edge = graph.edges[i][c]
            edges.append(edge)
            i = edge.target
        return edges


@dataclass(frozen=True)
class SearchOrder:
    """One depth-first pass over the graph, shared by every objective (cached on the graph).

    ``order`` lists states in the order they are settled. ``forward[i]`` holds, for state ``i``, the
    edges that lead to a state settled before it, as ``(edge index, target, step key)``: an edge back
    to a state still being explored would close a loop, and a path never repeats a state. Edges of
    one step share its scores mapping, so objectives weigh each ``step key`` once, not each edge.
    """

    order: list[int]
    forward: list[list[tuple[int, int, int]]]
    step_scores: dict[int, Mapping[str, int]]
    is_ending: list[bool]


def search_order(graph: StateGraph) -> SearchOrder:
    if graph._order is not None:
        return graph._order
    n = len(graph.states)
    settled = [False] * n
    on_stack = [False] * n
    order: list[int] = []
    forward: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    step_scores: dict[int, Mapping[str, int]] = {}
    for root in range(n):
        if settled[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        on_stack[root] = True
        while stack:
            i, k = stack[-1]
            edges = graph.edges[i]
            if k < len(edges):
                stack[-1] = (i, k + 1)
                t = edges[k].target
                if not settled[t] and not on_stack[t]:
                    on_stack[t] = True
                    stack.append((t, 0))
                continue
            out = forward[i]
            for j, e in enumerate(edges):
                if settled[e.target]:
                    key = id(e.scores)
                    step_scores.setdefault(key, e.scores)
                    out.append((j, e.target, key))
            settled[i] = True
            on_stack[i] = False
            order.append(i)
            stack.pop()
    graph._order = SearchOrder(order, forward, step_scores, [s.ending is not None for s in graph.states])
    return graph._order


def optimise(graph: StateGraph, weight: Callable[[Mapping[str, int]], float], *, maximise: bool = True) -> Optimum:
    """Best total weight from every state to an ending (never repeating a state).

    States that cannot reach an ending get -inf (or +inf when minimising), so paths avoid them.
    """
    plan = search_order(graph)
    sign = 1.0 if maximise else -1.0
    unreachable = float("-inf")
    weights = {key: sign * weight(scores) for key, scores in plan.step_scores.items()}
    value: list[float] = [unreachable] * len(graph.states)
    choice: list[int | None] = [None] * len(graph.states)
    is_ending = plan.is_ending
    for i in plan.order:
        best, best_k = (0.0 if is_ending[i] else unreachable), None
        for j, target, key in plan.forward[i]:
            v = weights[key] + value[target]  # -inf (no way to an ending) never wins
            if v > best:
                best, best_k = v, j
        value[i], choice[i] = best, best_k
    return Optimum([sign * v if v != unreachable else unreachable * sign for v in value], choice)


def total(scores: Mapping[str, int]) -> float:
    return float(sum(scores.values()))
