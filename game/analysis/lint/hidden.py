"""CG120: an automatic branch with no ``if`` always routes away, so what follows it is never shown.

Branches are checked on arrival, in order, and the first that holds wins. One without a condition
always holds: the node's narration, line and choices, and any branch after it, can never be seen.
Often an author meant it as a fallback and forgot to put the choices in a node of their own.
"""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG120",)


def run(ctx: LintContext) -> None:
    for name, node in ctx.scenario.nodes.items():
        for i, branch in enumerate(node.branches):
            if branch.when is not None:
                continue
            hidden = []
            if node.narration or node.line:
                hidden.append("its narration and line" if node.narration and node.line else
                              ("its narration" if node.narration else "its line"))
            if node.choices:
                hidden.append(f"its {len(node.choices)} choice(s)")
            if node.time_limit is not None:
                hidden.append("its time limit")
            later = len(node.branches) - i - 1
            if later:
                hidden.append(f"the {later} branch(es) after it")
            if hidden:
                ctx.warn("CG120", f"the branch of '{name}' to '{branch.goto}' has no 'if', so "
                                  f"{_and(hidden)} can never be shown", ("nodes", name, "branches", i),
                         hint="give the branch a condition, or move what it hides into a node of its own")
            break


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
