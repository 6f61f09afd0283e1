"""Exhaustive exploration of a scenario for authors: paths, endings and each ending's score range.

Everything is read off the state graph of :mod:`game.analysis.statespace`, which starts from every
variant's opening. Scores follow the decision model of :mod:`game.engine.scoring`: each move out of a
state is judged against the other moves out of it (the options offered there), so a path's overall
percentage is what it earned over what was at stake along it. Paths are counted, and score ranges
found, over paths that never repeat a state (a loop in play counts once). The best path is the
exemplar (:mod:`game.analysis.exemplar`): the best option at every decision.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from game.analysis import exemplar, statespace
from game.content.format import Scenario
from game.content.gcpause import gc_paused
from game.engine.scoring import Taken, judge

MAX_ROUNDS = 60
"""Dinkelbach rounds per ending; each ends on a path at least as good, and a handful always suffice."""


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
    preds: list[list[int]] = [[] for _ in graph.states]
    for i, out in enumerate(graph.edges):
        for e in out:
            preds[e.target].append(i)
    ok = [s.ending is not None for s in graph.states]
    queue = deque(i for i, v in enumerate(ok) if v)
    while queue:
        for p in preds[queue.popleft()]:
            if not ok[p]:
                ok[p] = True
                queue.append(p)
    return ok


def move_measures(graph: statespace.StateGraph) -> list[list[tuple[int, int, int]]]:
    """Per state, its forward moves as ``(target, earned, stake)`` under the decision model (overall)."""
    scenario = graph.scenario
    plan = statespace.search_order(graph)
    cache: dict[tuple[str, tuple[str, ...], str], tuple[int, int]] = {}
    out: list[list[tuple[int, int, int]]] = []
    for i, forward in enumerate(plan.forward):
        edges = graph.edges[i]
        node = graph.states[i].node
        options = tuple(dict.fromkeys(e.step for e in edges))
        moves = []
        for j, target, _key in forward:
            step = edges[j].step
            key = (node, options, step)
            m = cache.get(key)
            if m is None:
                jd = judge(scenario, Taken(node, step, options))
                m = cache[key] = (sum(jd.earned.values()), sum(jd.stake.values())) if jd else (0, 0)
            moves.append((target, m[0], m[1]))
        out.append(moves)
    return out


def _extreme(graph: statespace.StateGraph, moves: list[list[tuple[int, int, int]]], ending: str, lam: float,
             maximise: bool, by_stake: bool = False) -> tuple[float, int, int] | None:
    """The path from a root to ``ending`` with the highest (or lowest) ``earned - lam * stake``; (value, N, D).

    With ``by_stake`` the objective is the stake alone (to find a path on which something is at stake).
    """
    plan = statespace.search_order(graph)
    none = -math.inf if maximise else math.inf
    value = [none] * len(graph.states)
    earned = [0] * len(graph.states)
    stake = [0] * len(graph.states)
    states = graph.states
    better = (lambda a, b: a > b) if maximise else (lambda a, b: a < b)
    for i in plan.order:
        if states[i].ending is not None:
            if states[i].ending == ending:
                value[i] = 0.0
            continue
        best, bn, bd = none, 0, 0
        for target, n, d in moves[i]:
            v = value[target]
            if v == none:
                continue
            v += d if by_stake else n - lam * d
            if better(v, best):
                best, bn, bd = v, n + earned[target], d + stake[target]
        value[i], earned[i], stake[i] = best, bn, bd
    found = [r for r in graph.roots if value[r] != none]
    if not found:
        return None
    r = max(found, key=lambda k: value[k]) if maximise else min(found, key=lambda k: value[k])
    return value[r], earned[r], stake[r]


def ending_range(graph: statespace.StateGraph, moves: list[list[tuple[int, int, int]]],
                 ending: str) -> tuple[float, float] | None:
    """Lowest and highest overall percent of a path to ``ending`` on which something is at stake.

    The ratio earned/stake is found exactly by Dinkelbach's method: each round finds the path with the
    best ``earned - lam * stake`` for the ratio ``lam`` of the previous round's path, until none beats it.
    """
    start = _extreme(graph, moves, ending, 0.0, True, by_stake=True)
    if start is None or start[2] <= 0:
        return None
    lam0 = start[1] / start[2]
    bounds = []
    for maximise in (True, False):
        lam = lam0
        for _ in range(MAX_ROUNDS):
            found = _extreme(graph, moves, ending, lam, maximise)
            assert found is not None
            v, n, d = found
            if (v <= 1e-9) if maximise else (v >= -1e-9):
                break
            if d <= 0:  # points lost with nothing at stake: that path shows 0%
                lam = min(lam, 0.0)
                break
            lam = n / d
        bounds.append(round(100.0 * max(0.0, min(1.0, lam)), 1))
    high, low = bounds
    return (low, high)


def explore(scenario: Scenario, *, max_states: int = statespace.DEFAULT_MAX_STATES) -> Exploration:
    """Explore every reachable state; raises :class:`game.analysis.statespace.ExplorationLimit` past ``max_states``."""
    with gc_paused():
        return _explore(scenario, max_states)


def _explore(scenario: Scenario, max_states: int) -> Exploration:
    graph = statespace.build(scenario, max_states=max_states)
    counts = count_paths(graph)
    per_ending = [sum(counts[r][k] for r in dict.fromkeys(graph.roots)) for k in range(len(scenario.endings))]
    moves = move_measures(graph)
    ranges = {e: ending_range(graph, moves, e) if n else None for e, n in zip(scenario.endings, per_ending)}
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
