"""CG111: two choices at one node that read the same (the trainee cannot tell them apart)."""

from __future__ import annotations

import re

from game.analysis.lint.context import LintContext

CODES = ("CG111",)


def normalise(text: str) -> str:
    """Text as a reader compares it: case, spacing and punctuation ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def run(ctx: LintContext) -> None:
    for name, node in ctx.scenario.nodes.items():
        seen: dict[str, str] = {}
        for k, choice in enumerate(node.choices):
            key = normalise(choice.text)
            if key in seen:
                ctx.warn("CG111", f"choice '{choice.qid}' reads the same as '{seen[key]}'",
                         ("nodes", name, "choices", k, "text"),
                         hint="word each choice so the trainee can tell them apart, or merge them")
            else:
                seen[key] = choice.qid
