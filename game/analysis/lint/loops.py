"""CG117: a loop in play that scores positive each time round (going round again earns more points).

A loop a trainee can really go round is a cycle in the explored state graph: the same node with the
same meters, flags and counters comes back. A cycle of positive total there earns points each time
round. Working on states, not nodes, means a loop an author already capped (a flag set the first time,
a counter that stops it) is not reported. Found per strongly connected group by Bellman-Ford with the
signs turned (a positive cycle is a negative one there); a group too large for that is checked on its
nodes instead, which can only over-report.
"""

from __future__ import annotations

from game.analysis.exploration import components, strongly_connected
from game.analysis.lint.context import LintContext
from game.engine.scoring import total

CODES = ("CG117",)


MAX_GROUP_STATES = 3000
"""Bellman-Ford costs states x moves; past this a group is checked on its nodes."""


def _groups(nodes: list, out: dict) -> list[list]:
    """Strongly connected groups of ``nodes`` with at least one move inside them, each in the nodes' order."""
    position = {n: i for i, n in enumerate(nodes)}
    targets = [[position[m] for m in out.get(n, {})] for n in nodes]
    return [[nodes[i] for i in sorted(group)] for group in strongly_connected(len(nodes), targets.__getitem__)
            if len(group) > 1 or group[0] in targets[group[0]]]


def positive_cycle(group: list, out: dict) -> list[tuple] | None:
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
    by_state: dict[int, dict[int, tuple[int, str]]] = {}
    by_node: dict[str, dict[str, tuple[int, str]]] = {}
    for i, edges in enumerate(graph.edges):
        source = graph.states[i]
        for e in edges:
            target = graph.states[e.target]
            if target.ending is not None:
                continue
            w = total(e.scores)
            known = by_state.setdefault(i, {}).get(e.target)
            if known is None or w > known[0]:
                by_state[i][e.target] = (w, e.step)
            known = by_node.setdefault(source.node, {}).get(target.node)
            if known is None or w > known[0]:
                by_node[source.node][target.node] = (w, e.step)
    nodes = list(ctx.scenario.nodes)
    reported: set[str] = set()
    state_groups = [sorted(g) for g in components(graph)  # the state graph's own Tarjan, shared with explore
                    if len(g) > 1 or g[0] in by_state.get(g[0], {})]
    for group in state_groups:
        if len(group) > MAX_GROUP_STATES:
            members = {graph.states[i].node for i in group}
            for node_group in _groups(nodes, {n: {m: v for m, v in by_node.get(n, {}).items() if m in members}
                                              for n in members}):
                _report(ctx, nodes, positive_cycle(node_group, by_node), reported)
            continue
        cycle = positive_cycle(group, by_state)
        if cycle is not None:
            _report(ctx, nodes, [(graph.states[u].node, step, w) for u, step, w in cycle], reported)


def _report(ctx: LintContext, nodes: list[str], cycle: list[tuple[str, str, int]] | None, reported: set[str]) -> None:
    if cycle is None:
        return
    gain = sum(w for _, _, w in cycle)
    start = min(cycle, key=lambda m: nodes.index(m[0]))[0]
    if start in reported:
        return
    reported.add(start)
    rnd = " -> ".join(f"{step} ({w:+d})" for _, step, w in cycle)
    ctx.warn("CG117", f"going round the loop at '{start}' scores {gain:+d} each time: {rnd}",
             ("nodes", start), key=True,
             hint="make the way back round cost what it gives (the mistake that leads back should lose at "
                  "least what the recovery earns), or let the loop be taken once with a flag or counter")
