"""CG116: a choice or time-out marked as a critical error that does not say why in its feedback."""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG116",)


def run(ctx: LintContext) -> None:
    for name, node in ctx.scenario.nodes.items():
        steps: list[tuple[str, object, tuple]] = [
            (f"choice '{c.qid}'", c, ("nodes", name, "choices", k)) for k, c in enumerate(node.choices)]
        if node.time_limit is not None:
            steps.append((f"the time-out of '{name}'", node.time_limit, ("nodes", name, "time_limit")))
        for what, step, loc in steps:
            if step.critical and not step.feedback.strip():  # type: ignore[attr-defined]
                ctx.warn("CG116", f"{what} is a critical error with no feedback", (*loc, "critical"), key=True,
                         hint="a critical error fails the session whatever its score: the feedback must tell "
                              "the trainee what went wrong and what to do instead")
