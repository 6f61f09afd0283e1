"""CG101: nodes and endings no playthrough can reach, found over every reachable state."""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG101",)


def run(ctx: LintContext) -> None:
    space = ctx.space
    if space is None:
        return
    s = ctx.scenario
    for name in s.nodes:
        if name not in space.entered:
            ctx.warn("CG101", f"node '{name}' can never be reached", ("nodes", name), key=True,
                     hint="add a choice or branch whose goto leads here, or remove the node; "
                          "if one leads here already, its condition never holds")
    for name in s.endings:
        if name not in space.entered:
            ctx.warn("CG101", f"ending '{name}' can never be reached", ("endings", name), key=True,
                     hint="add a choice or branch whose goto leads here, or remove the ending")
