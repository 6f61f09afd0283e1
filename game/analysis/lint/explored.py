"""CG113: the scenario has more states than lint explores, so the state checks were skipped."""

from __future__ import annotations

import re

from game.analysis.lint.context import LintContext
from game.analysis.lint.space import branch_loop_node

CODES = ("CG113",)


GROWING = re.compile(r"the (counter|meter|flag) '([^']+)'")
KIND_KEY = {"counter": "counters", "meter": "meters", "flag": "flags"}


def run(ctx: LintContext) -> None:
    if ctx.space is None and branch_loop_node(ctx.space_error or "") is None:
        error = ctx.space_error or ""
        found = GROWING.search(error)
        if found and found.group(1) == "counter":
            where: tuple = ("counters", found.group(2))
            hint = (f"cap '{found.group(2)}' (set it with {{set: N}} instead of adding, or stop adding once a "
                    f"condition holds), or end the loop that keeps changing it")
        elif found:
            where = (KIND_KEY[found.group(1)], found.group(2))
            hint = f"change '{found.group(2)}' in fewer, larger steps, or read it in fewer conditions"
        else:
            where = ("nodes",)
            hint = "meters that change in small steps multiply states; fewer distinct effect sizes help"
        ctx.warn("CG113", f"{error}; reachability, dead-end, loop and condition checks were skipped",
                 where, key=True, hint=hint)
