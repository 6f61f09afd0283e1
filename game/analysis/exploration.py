"""Exhaustive exploration of a scenario for authors: paths, endings, score ranges, best and worst paths.

Everything is read off the state graph of :mod:`game.analysis.statespace` (the one scoring normalises against),
so the best path shown here is the exemplar every debrief compares with. Paths are counted by dynamic
programming over the graph; a path never repeats a state, so a loop in play counts once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from game.analysis import scoring, statespace
from game.content.format import Scenario
from game.content.gcpause import gc_paused


@dataclass
class Exploration:
    scenario: str
    states: int
    moves: int
    paths: int
    ending_paths: dict[str, int]
    """Ending id -> number of distinct paths that end there (0 for endings never reached)."""
    outcomes: dict[str, str]
    score_range: dict[str, tuple[int, int]]
    """``overall`` and each scored principle -> (lowest, highest) total a complete path can reach."""
    best_path: list[str]
    best_total: int
    worst_path: list[str]
    worst_total: int
    stuck_states: int = 0
    unfinished_states: int = 0
    """States from which no ending can be reached (``commonground lint`` says where)."""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "states": self.states, "moves": self.moves,
            "paths": json_count(self.paths),
            "endings": {e: {"outcome": self.outcomes[e], "paths": json_count(n)} for e, n in self.ending_paths.items()},
            "scores": {k: {"min": lo, "max": hi} for k, (lo, hi) in self.score_range.items()},
            "best": {"total": self.best_total, "path": self.best_path},
            "worst": {"total": self.worst_total, "path": self.worst_path},
            "stuck_states": self.stuck_states, "unfinished_states": self.unfinished_states,
        }


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


def path_total(path: list[statespace.Edge]) -> int:
    return int(sum(sum(e.scores.values()) for e in path))


def explore(scenario: Scenario, *, max_states: int = statespace.DEFAULT_MAX_STATES) -> Exploration:
    """Explore every reachable state; raises :class:`game.analysis.statespace.ExplorationLimit` past ``max_states``."""
    with gc_paused():
        return _explore(scenario, max_states)


def _explore(scenario: Scenario, max_states: int) -> Exploration:
    bounds = scoring.bounds(scenario, max_states=max_states)  # builds and caches the graph and its optimum
    graph: statespace.StateGraph = scenario._derived["graph"]
    best: statespace.Optimum = scenario._derived["best"]
    per_ending = count_paths(graph)[0]
    ranges: dict[str, tuple[int, int]] = {"overall": (bounds.worst_total, bounds.best_total)}
    for ref, hi in bounds.best_principle.items():
        low = statespace.optimise(graph, lambda s, r=ref: float(s.get(r, 0)), maximise=False)
        ranges[ref] = (int(low.value[0]), hi)
    best_edges = best.path(graph)
    unfinished = sum(1 for v in best.value if v == float("-inf"))
    return Exploration(
        scenario=scenario.id, states=len(graph.states), moves=sum(len(e) for e in graph.edges),
        paths=sum(per_ending), ending_paths=dict(zip(scenario.endings, per_ending)),
        outcomes={e: end.outcome for e, end in scenario.endings.items()}, score_range=ranges,
        best_path=[e.step for e in best_edges], best_total=path_total(best_edges),
        worst_path=list(bounds.worst_path), worst_total=bounds.worst_total,
        stuck_states=len(graph.stuck), unfinished_states=unfinished,
    )

