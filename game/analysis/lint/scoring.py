"""CG107/CG108: choices and time-outs that score nothing or teach nothing (no feedback)."""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG107", "CG108")


def run(ctx: LintContext) -> None:
    for what, step, loc in ctx.steps():
        if not step.scores:
            ctx.warn("CG107", f"{what} scores no principle", loc, key=loc[-2] != "choices",
                     hint="add scores: {topic.principle: N}; every decision should count for or against "
                          "a principle")
        if not step.feedback.strip() and not step.critical:  # else CG116
            ctx.warn("CG108", f"{what} has no feedback", loc, key=loc[-2] != "choices",
                     hint="add feedback: a sentence or two to the trainee naming the principle and why it "
                          "helped or harmed")
