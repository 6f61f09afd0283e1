"""CG104/CG105: conditions that never hold, or always hold, in every reachable state where they are checked.

Exact, not a guess from bounds alone: the state space holds every combination of meter values, flags,
counters and visits that play can produce, so a condition true (or false) in all of them is dead weight.
"""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG104", "CG105")


def run(ctx: LintContext) -> None:
    space = ctx.space
    if space is None:
        return
    for name, node in ctx.scenario.nodes.items():
        if name not in space.entered:
            continue  # CG101 says so already
        for k, choice in enumerate(node.choices):
            if choice.when is None:
                continue
            results = space.choice_results.get((name, k), set())
            loc = ("nodes", name, "choices", k, "if")
            if results == {False}:
                ctx.warn("CG104", f"choice '{choice.qid}' is never offered: '{choice.when}' never holds here", loc,
                         hint="check the numbers against the meters' bounds and the effects that lead here")
            elif results == {True}:
                ctx.warn("CG105", f"'{choice.when}' always holds here, so choice '{choice.qid}' is always offered",
                         loc, hint="remove the 'if', or change the condition to what you meant")
        for k, branch in enumerate(node.branches):
            if branch.when is None:
                continue
            results = space.branch_results.get((name, k), set())
            loc = ("nodes", name, "branches", k, "if")
            if not results:
                ctx.warn("CG104", f"branch {k + 1} of '{name}' is never checked: an earlier branch always wins", loc,
                         hint="reorder the branches, or remove this one")
            elif results == {False}:
                ctx.warn("CG104", f"branch {k + 1} of '{name}' is never taken: '{branch.when}' never holds here", loc,
                         hint="check the numbers against the meters' bounds and the effects that lead here")
            elif results == {True}:
                ctx.warn("CG105", f"branch {k + 1} of '{name}' is always taken: '{branch.when}' always holds here",
                         loc, hint="the node's own text and choices are never shown; remove the condition or fix it")
