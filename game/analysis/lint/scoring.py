"""CG107/CG108: choices and time-outs that score nothing or teach nothing (no feedback)."""

from __future__ import annotations

from game.analysis.lint.context import LintContext

CODES = ("CG107", "CG108")


def run(ctx: LintContext) -> None:
    for name, node in ctx.scenario.nodes.items():
        steps: list[tuple[str, object, tuple]] = [
            (f"choice '{c.qid}'", c, ("nodes", name, "choices", k)) for k, c in enumerate(node.choices)]
        if node.time_limit is not None:
            steps.append((f"the time-out of '{name}'", node.time_limit, ("nodes", name, "time_limit")))
        for what, step, loc in steps:
            if not step.scores:  # type: ignore[attr-defined]
                ctx.warn("CG107", f"{what} scores no principle", loc, key=loc[-2] != "choices",
                         hint="add scores: {topic.principle: N}; every decision should count for or against "
                              "a principle")
            if not step.feedback.strip() and not step.critical:  # type: ignore[attr-defined]  # else CG116
                ctx.warn("CG108", f"{what} has no feedback", loc, key=loc[-2] != "choices",
                         hint="add feedback: a sentence or two to the trainee naming the principle and why it "
                              "helped or harmed")
