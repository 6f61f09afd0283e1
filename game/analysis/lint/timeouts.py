"""CG110: timed nodes whose time-out leads nowhere an ending can follow, or straight back to where it was."""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG110",)


def run(ctx: LintContext) -> None:
    space = ctx.space
    if space is None:
        return
    graph = space.graph
    reported: set[str] = set()
    for i, out in enumerate(graph.edges):
        for e in out:
            if e.kind != "timeout":
                continue
            node = graph.states[i].node
            if node in reported:
                continue
            if e.target == i:
                problem = "nothing changes when the time runs out, so the timer just starts again"
            elif not space.finishes[e.target]:
                problem = "after the time runs out no ending can be reached"
            else:
                continue
            reported.add(node)
            ctx.warn("CG110", f"time-out of '{node}': {problem}", ("nodes", node, "time_limit", "goto"),
                     hint="let the time-out lead to a node that moves the scene on (for example a 'hot' version of "
                          "this node), with its own effects")
