"""CG117: a loop in play that scores positive each time round (going round again earns more points).

The explored moves are projected onto the nodes (each move from the node where a state rests to the
node its target rests at, scored by the step's total); a cycle of positive total there is a loop a
trainee can go round for more points, whatever the meters say. Found per strongly connected group of
nodes by Bellman-Ford with the signs turned (a positive cycle is a negative one there).
"""

from __future__ import annotations

from game.analysis.lint.context import LintContext
from game.engine.scoring import total

CODES = ("CG117",)


def _groups(nodes: list[str], out: dict[str, dict[str, tuple[int, str]]]) -> list[list[str]]:
    """Strongly connected groups with at least one move inside them (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(out.get(root, {})))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(out.get(w, {}))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    group.append(w)
                    if w == v:
                        break
                if len(group) > 1 or v in out.get(v, {}):
                    groups.append(sorted(group, key=nodes.index))
    return groups


def positive_cycle(group: list[str], out: dict[str, dict[str, tuple[int, str]]]) -> list[tuple[str, str, int]] | None:
    """A cycle of positive total inside ``group`` as (node, step, score) moves, or None."""
    members = set(group)
    edges = [(u, v, w, step) for u in group for v, (w, step) in out.get(u, {}).items() if v in members]
    dist = dict.fromkeys(group, 0)
    pred: dict[str, tuple[str, str, int]] = {}
    changed = None
    for _ in range(len(group)):
        changed = None
        for u, v, w, step in edges:
            if dist[u] + w > dist[v]:
                dist[v] = dist[u] + w
                pred[v] = (u, step, w)
                changed = v
        if changed is None:
            return None
    v = changed
    for _ in range(len(group)):  # walk back into the cycle itself
        v = pred[v][0]
    cycle, u = [], v
    while True:
        p, step, w = pred[u]
        cycle.append((p, step, w))
        u = p
        if u == v:
            break
    return cycle[::-1]


def run(ctx: LintContext) -> None:
    space = ctx.space
    if space is None:
        return
    graph = space.graph
    out: dict[str, dict[str, tuple[int, str]]] = {}
    for i, edges in enumerate(graph.edges):
        source = graph.states[i]
        for e in edges:
            target = graph.states[e.target]
            if target.ending is not None:
                continue
            w = total(e.scores)
            known = out.setdefault(source.node, {}).get(target.node)
            if known is None or w > known[0]:
                out[source.node][target.node] = (w, e.step)
    nodes = list(ctx.scenario.nodes)
    for group in _groups(nodes, out):
        cycle = positive_cycle(group, out)
        if cycle is None:
            continue
        gain = sum(w for _, _, w in cycle)
        start = min(cycle, key=lambda m: nodes.index(m[0]))[0]
        rnd = " -> ".join(f"{step} ({w:+d})" for _, step, w in cycle)
        ctx.warn("CG117", f"going round the loop at '{start}' scores {gain:+d} each time: {rnd}",
                 ("nodes", start), key=True,
                 hint="make the way back round cost what it gives (the mistake that leads back should lose at "
                      "least what the recovery earns), or let the loop be taken once with a flag or counter")
