"""CG109: principles a scenario claims to teach (``principles:``) that no choice or time-out scores."""

from __future__ import annotations

from game.analysis.lint.context import LintContext
from game.analysis.scoring import scored_principles

CODES = ("CG109",)


def run(ctx: LintContext) -> None:
    scored = set(scored_principles(ctx.scenario))
    for i, ref in enumerate(ctx.scenario.principles):
        if ref not in scored:
            ctx.warn("CG109", f"'{ref}' is listed under principles: but no step scores it", ("principles", i),
                     hint=f"score it on the choices that teach it ({ref}: 2), or remove it from principles:")
