"""CG116: a choice or time-out marked as a critical error that does not say why in its feedback."""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG116",)


def run(ctx: LintContext) -> None:
    for what, step, loc in ctx.steps():
        if step.critical and not step.feedback.strip():
            ctx.warn("CG116", f"{what} is a critical error with no feedback", (*loc, "critical"), key=True,
                     hint="a critical error fails the session whatever its score: the feedback must tell "
                          "the trainee what went wrong and what to do instead")
