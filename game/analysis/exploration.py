"""Exhaustive exploration of a scenario for authors: paths, endings and each ending's score range.

Everything is read off the state graph of :mod:`game.analysis.statespace`, which starts from every
variant's opening. Scores follow the decision model of :mod:`game.engine.scoring`: each move out of a
state is judged against the other moves out of it (the options offered there), so a path's overall
percentage is what it earned over what was at stake along it. Paths are counted over paths that never
repeat a state (a loop in play counts once); score ranges over every way to an ending, loops included.
The best path is the exemplar (:mod:`game.analysis.exemplar`): the best option at every decision.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from game.analysis import exemplar, statespace
from game.content.format import Scenario
from game.content.gcpause import gc_paused
from game.engine.scoring import Taken, judge

MAX_ROUNDS = 60
"""Dinkelbach rounds per bound; each ends on a way at least as good, and a handful always suffice."""


@dataclass
class Exploration:
    scenario: str
    states: int
    moves: int
    paths: int
    ending_paths: dict[str, int]
    """Ending id -> number of distinct paths that end there (0 for endings never reached)."""
    outcomes: dict[str, str]
    severity: dict[str, str]
    fails: dict[str, bool]
    """Ending id -> whether ending there fails the session whatever its score."""
    ending_range: dict[str, tuple[float, float] | None]
    """Ending id -> (lowest, highest) overall percent of a path that ends there (None: nothing at stake)."""
    overall_range: tuple[float, float] | None
    best: exemplar.Exemplar
    worst: exemplar.Exemplar
    variants: dict[str, tuple[int, exemplar.Exemplar, exemplar.Exemplar]] = field(default_factory=dict)
    """Variant -> (weight, best path, worst path), when the scenario declares variants."""
    stuck_states: int = 0
    unfinished_states: int = 0
    """States from which no ending can be reached (``commonground lint`` says where)."""

    @property
    def best_path(self) -> list[str]:
        return self.best.path

    @property
    def best_total(self) -> int:
        return self.best.total

    @property
    def worst_path(self) -> list[str]:
        return self.worst.path

    def to_json(self) -> dict[str, Any]:
        def rng(r: tuple[float, float] | None) -> dict[str, float] | None:
            return None if r is None else {"min": r[0], "max": r[1]}

        return {
            "scenario": self.scenario, "states": self.states, "moves": self.moves,
            "paths": json_count(self.paths),
            "endings": {e: {"outcome": self.outcomes[e], "severity": self.severity[e], "fails": self.fails[e],
                            "paths": json_count(n), "overall": rng(self.ending_range[e])}
                        for e, n in self.ending_paths.items()},
            "overall": rng(self.overall_range),
            "best": path_json(self.best), "worst": path_json(self.worst),
            "variants": {v: {"weight": w, "best": path_json(b), "worst": path_json(x)}
                         for v, (w, b, x) in self.variants.items()},
            "stuck_states": self.stuck_states, "unfinished_states": self.unfinished_states,
        }


def path_json(p: exemplar.Exemplar) -> dict[str, Any]:
    return {"path": p.path, "ending": p.ending, "total": p.total, "decisions": len(p.decisions),
            "loops_at": p.loops_at}


def approx(n: int) -> str:
    """A count as people read it: exact with separators, or ``about 1.2e+5300`` when it is huge."""
    if n < 10**15:
        return f"{n:,}"
    bits = n.bit_length()
    shift = max(bits - 64, 0)
    log10 = math.log10(n >> shift) + shift * math.log10(2)
    exponent = int(log10)
    return f"about {10 ** (log10 - exponent):.2f}e+{exponent}"


def json_count(n: int) -> int | str:
    """Exact below 2**53 (what every JSON reader keeps exactly), else the approximate text."""
    return n if n < 2**53 else approx(n)


def count_paths(graph: statespace.StateGraph) -> list[list[int]]:
    """Per state, the number of paths to each ending (in order of ``graph.scenario.endings``).

    Walks the same depth-first order as :func:`game.analysis.statespace.optimise`: an edge back onto the path
    being explored closes a loop and is not followed, so a loop counts once.
    """
    endings = list(graph.scenario.endings)
    slot = {e: k for k, e in enumerate(endings)}
    plan = statespace.search_order(graph)
    zero = [0] * len(endings)
    counts: list[list[int]] = [zero] * len(graph.states)
    for i in plan.order:
        total = list(zero)
        ending = graph.states[i].ending
        if ending is not None:
            total[slot[ending]] = 1
        else:
            for _j, target, _key in plan.forward[i]:
                for j, v in enumerate(counts[target]):
                    if v:
                        total[j] += v
        counts[i] = total
    return counts


def reaches_an_ending(graph: statespace.StateGraph) -> list[bool]:
    """Per state, whether some sequence of moves leads from it to an ending (loops allowed)."""
    return _leading_to(predecessors(graph), [s.ending is not None for s in graph.states])


def predecessors(graph: statespace.StateGraph) -> list[list[int]]:
    """Per state, the states with a move into it (once per move)."""
    preds: list[list[int]] = [[] for _ in graph.states]
    for i, out in enumerate(graph.edges):
        for e in out:
            preds[e.target].append(i)
    return preds


def _leading_to(preds: list[list[int]], marked: list[bool]) -> list[bool]:
    """``marked`` widened (in place) to every state from which some walk reaches a marked one."""
    queue = deque(i for i, v in enumerate(marked) if v)
    while queue:
        for p in preds[queue.popleft()]:
            if not marked[p]:
                marked[p] = True
                queue.append(p)
    return marked


Move = tuple[int, int, int]
"""A move out of a state: (target state, earned, stake) under the decision model, summed over principles."""


def move_measures(graph: statespace.StateGraph) -> list[list[Move]]:
    """Per state, every move out of it, each judged against the other moves out of that state."""
    scenario = graph.scenario
    cache: dict[tuple[str, tuple[str, ...], str], tuple[int, int]] = {}
    out: list[list[Move]] = []
    for i, edges in enumerate(graph.edges):
        node = graph.states[i].node
        options = tuple(dict.fromkeys(e.step for e in edges))
        moves = []
        for e in edges:
            key = (node, options, e.step)
            m = cache.get(key)
            if m is None:
                jd = judge(scenario, Taken(node, e.step, options))
                m = cache[key] = (sum(jd.earned.values()), sum(jd.stake.values())) if jd else (0, 0)
            moves.append((e.target, m[0], m[1]))
        out.append(moves)
    return out


def components(graph: statespace.StateGraph) -> list[list[int]]:
    """Strongly connected groups of states, each after every group it leads to."""
    edges = graph.edges
    return strongly_connected(len(graph.states), lambda v: [e.target for e in edges[v]])


def strongly_connected(n: int, successors: Callable[[int], Sequence[int]]) -> list[list[int]]:
    """Strongly connected groups of vertices ``0..n-1``, each after every group it leads to (Tarjan, iterative).

    The one implementation for every graph here: the explored states, and lint's graph of nodes.
    """
    index, low, on = [-1] * n, [0] * n, [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0, successors(root))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on[root] = True
        while work:
            v, k, targets = work[-1]
            if k < len(targets):
                work[-1] = (v, k + 1, targets)
                w = targets[k]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = True
                    work.append((w, 0, successors(w)))
                elif on[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on[w] = False
                    group.append(w)
                    if w == v:
                        break
                out.append(group)
    return out


@dataclass
class _Walks:
    """What every range search over one graph shares."""

    graph: statespace.StateGraph
    moves: list[list[Move]]
    groups: list[list[int]]
    looped: list[bool]
    """Per group: it holds a cycle (more than one state, or a state with a move to itself)."""
    preds: list[list[int]]


def _walks(graph: statespace.StateGraph) -> _Walks:
    moves = move_measures(graph)
    groups = components(graph)
    looped = [len(g) > 1 or any(t == g[0] for t, _, _ in moves[g[0]]) for g in groups]
    return _Walks(graph, moves, groups, looped, predecessors(graph))  # a move per edge: the same targets


def _extreme(w: _Walks, ending: str, lam: float, maximise: bool) -> tuple[str, float, int, int] | None:
    """The walk from a root to ``ending`` with the highest (or lowest) ``earned - lam * stake``.

    Returns ``("walk", value, earned, stake)``, or ``("cycle", 0, earned, stake)`` for a loop on the way
    that improves the objective each time round (the walks are then unbounded), or None when no walk
    reaches ``ending``. Groups are settled sinks first; inside a group with loops, Bellman-Ford.
    """
    states = w.graph.states
    none = -math.inf if maximise else math.inf
    sign = 1.0 if maximise else -1.0
    value = [none] * len(states)
    earned = [0] * len(states)
    stake = [0] * len(states)
    pred: list[Move | None] = [None] * len(states)
    for group, looped in zip(w.groups, w.looped):
        if not looped:
            i = group[0]
            if states[i].ending is not None:
                value[i] = 0.0 if states[i].ending == ending else none
                continue
            best, bn, bd = none, 0, 0
            for t, n, d in w.moves[i]:
                v = value[t]
                if v == none:
                    continue
                v += n - lam * d
                if sign * v > sign * best or (v == best and d + stake[t] > bd):  # a tie: the one with more at stake
                    best, bn, bd = v, n + earned[t], d + stake[t]
            value[i], earned[i], stake[i] = best, bn, bd
            continue
        members = set(group)
        for _ in range(len(group) + 1):
            changed = None
            for i in group:
                for t, n, d in w.moves[i]:
                    v = value[t]
                    if v == none:
                        continue
                    v += n - lam * d
                    if sign * v > sign * value[i] + 1e-12:
                        value[i], earned[i], stake[i] = v, n + earned[t], d + stake[t]
                        pred[i] = (t, n, d) if t in members else None
                        changed = i
            if changed is None:
                break
        else:  # still improving after as many passes as states: a loop that pays each time round
            return ("cycle", 0.0, *_cycle(pred, changed, len(group)))
    found = [r for r in w.graph.roots if value[r] != none]
    if not found:
        return None
    r = max(found, key=lambda k: (sign * value[k], stake[k]))
    return ("walk", value[r], earned[r], stake[r])


def _cycle(pred: list[Move | None], start: int | None, size: int) -> tuple[int, int]:
    """Earned and stake once round the loop that ``pred`` leads back into from ``start``.

    Following the moves that last improved each state from one still improving after as many passes
    as the group has states must come back to a state it passed: that is the loop. (0, 0) if not.
    """
    seen: dict[int, int] = {}
    path: list[int] = []
    v = start
    while v is not None and v not in seen and len(path) <= 2 * size + 1:
        seen[v] = len(path)
        path.append(v)
        move = pred[v]
        v = move[0] if move is not None else None
    if v is None or v not in seen:
        return 0, 0
    n_sum = d_sum = 0
    for u in path[seen[v]:]:
        move = pred[u]
        assert move is not None
        n_sum, d_sum = n_sum + move[1], d_sum + move[2]
    return n_sum, d_sum


def _stake_on_the_way(w: _Walks, ending: str) -> tuple[bool, bool]:
    """(something is at stake on some walk to ``ending``, some walk to it loses points with nothing at stake)."""
    states = w.graph.states
    reach = _leading_to(w.preds, [s.ending == ending for s in states])
    stake = any(d > 0 and reach[t] for moves in w.moves for t, _, d in moves)
    loss = any(n < 0 and reach[t] for moves in w.moves for t, n, _ in moves)
    return stake, loss


def ending_range(w: _Walks, ending: str) -> tuple[float, float] | None:
    """Lowest and highest overall percent over the ways to ``ending`` (None: nothing at stake on any).

    The ratio earned/stake is found by Dinkelbach's method: each round finds the walk (or the loop on
    the way, gone round again and again) with the best ``earned - lam * stake`` for the ratio ``lam``
    the previous round reached, until none beats it. A loop that improves the score each time round
    makes the range reach what repeating it approaches.
    """
    stake, loss = _stake_on_the_way(w, ending)
    if not stake:
        return (0.0, 0.0) if loss else None
    return (_lowest(w, ending), _highest(w, ending))


def _highest(w: _Walks, ending: str) -> float:
    probe = _extreme(w, ending, 1.0, True)  # a way that earns everything at stake?
    assert probe is not None
    kind, v, n, d = probe
    if kind == "walk" and d > 0 and v >= -1e-9:
        return 100.0
    if kind != "walk" or d <= 0:
        start = _extreme(w, ending, 0.0, True)  # the way that earns most: a ratio to start from
        assert start is not None
        kind, v, n, d = start
        if d <= 0:  # no way earns anything
            return 0.0
    lam = n / d
    for _ in range(MAX_ROUNDS):
        found = _extreme(w, ending, lam, True)
        assert found is not None
        kind, v, n, d = found
        if kind == "walk" and v <= 1e-9:
            break
        lam = max(lam, n / d) if d > 0 else lam
    return _percent(lam)


def _lowest(w: _Walks, ending: str) -> float:
    probe = _extreme(w, ending, 0.0, False)  # a way that loses points, or earns nothing of what is at stake?
    assert probe is not None
    kind, v, n, d = probe
    if n < 0 or (n == 0 and d > 0):
        return 0.0
    start = _extreme(w, ending, 1.0, False)
    assert start is not None
    kind, v, n, d = start
    if d <= 0 or (kind == "walk" and v >= -1e-9):
        return 100.0
    lam = n / d
    for _ in range(MAX_ROUNDS):
        if lam <= 0:
            return 0.0
        found = _extreme(w, ending, lam, False)
        assert found is not None
        kind, v, n, d = found
        if kind == "walk" and v >= -1e-9:
            break
        if d <= 0:
            return 0.0
        lam = min(lam, n / d)
    return _percent(lam)


def _percent(ratio: float) -> float:
    return round(100.0 * max(0.0, min(1.0, ratio)), 1)


def explore(scenario: Scenario, *, max_states: int = statespace.DEFAULT_MAX_STATES) -> Exploration:
    """Explore every reachable state; raises :class:`game.analysis.statespace.ExplorationLimit` past ``max_states``."""
    with gc_paused():
        return _explore(scenario, max_states)


def _explore(scenario: Scenario, max_states: int) -> Exploration:
    graph = statespace.build(scenario, max_states=max_states)
    counts = count_paths(graph)
    per_ending = [sum(counts[r][k] for r in dict.fromkeys(graph.roots)) for k in range(len(scenario.endings))]
    walks = _walks(graph)
    ranges = {e: ending_range(walks, e) if n else None for e, n in zip(scenario.endings, per_ending)}
    known = [r for r in ranges.values() if r is not None]
    overall = (min(r[0] for r in known), max(r[1] for r in known)) if known else None
    variants = {v: (scenario.variants[v].weight, exemplar.best_path(scenario, v), exemplar.worst_path(scenario, v))
                for v in scenario.variants}
    first = next(iter(scenario.variants), None)
    finishes = reaches_an_ending(graph)
    return Exploration(
        scenario=scenario.id, states=len(graph.states), moves=sum(len(e) for e in graph.edges),
        paths=sum(per_ending), ending_paths=dict(zip(scenario.endings, per_ending)),
        outcomes={e: end.outcome for e, end in scenario.endings.items()},
        severity={e: end.rated for e, end in scenario.endings.items()},
        fails={e: scenario.fails(e) for e in scenario.endings},
        ending_range=ranges, overall_range=overall,
        best=variants[first][1] if first else exemplar.best_path(scenario),
        worst=variants[first][2] if first else exemplar.worst_path(scenario),
        variants=variants, stuck_states=len(graph.stuck), unfinished_states=finishes.count(False),
    )
