"""CG113: the scenario has more states than lint explores, so the state checks were skipped."""

from __future__ import annotations

from game.analysis.lint.context import LintContext
from game.analysis.lint.space import branch_loop_node

CODES = ("CG113",)


def run(ctx: LintContext) -> None:
    if ctx.space is None and branch_loop_node(ctx.space_error or "") is None:
        ctx.warn("CG113", f"{ctx.space_error}; reachability, dead-end, loop and condition checks were skipped",
                 ("nodes",), key=True,
                 hint="meters that change in small steps multiply states; fewer distinct effect sizes help")
