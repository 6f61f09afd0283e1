"""CG103: loops that, once entered, never reach an ending, and automatic branches that loop."""

from __future__ import annotations

from game.analysis.lint.context import LintContext
from game.analysis.lint.space import branch_loop_node

CODES = ("CG103",)


def run(ctx: LintContext) -> None:
    space = ctx.space
    if space is None:
        node = branch_loop_node(ctx.space_error or "")
        if node is not None:
            ctx.warn("CG103", f"automatic branches loop back to '{node}' without a choice; play stops here",
                     ("nodes", node), key=True,
                     hint="make one branch of the loop lead to a node with choices, or give it a condition")
        return
    graph = space.graph
    trapped = [not ok for ok in space.settles]
    entries: dict[str, list[str]] = {}
    for i, out in enumerate(graph.edges):
        if trapped[i]:
            continue
        for e in out:
            if trapped[e.target]:
                entries.setdefault(graph.states[e.target].node, [])
    for root in graph.roots:
        if trapped[root]:
            entries.setdefault(graph.states[root].node, [])
    for node in entries:
        loop = sorted({graph.states[j].node for j, t in enumerate(trapped) if t})
        shown = ", ".join(loop[:6]) + (", ..." if len(loop) > 6 else "")
        ctx.warn("CG103", f"once play reaches '{node}' it can never reach an ending (it loops among: {shown})",
                 ("nodes", node), key=True,
                 hint="give the loop a way out: a choice or branch that leads on towards an ending")
