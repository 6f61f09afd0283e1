"""CG112: text longer than the game can show in its place (the limits live in :mod:`game.content.limits`)."""

from __future__ import annotations

from collections.abc import Iterator

from game.analysis.lint.context import LintContext
from game.content.limits import TEXT_LIMITS

CODES = ("CG112",)


def _texts(ctx: LintContext) -> Iterator[tuple[str, str | None, tuple]]:
    s = ctx.scenario
    for name, node in s.nodes.items():
        yield "narration", node.narration, ("nodes", name, "narration")
        yield "line", node.line, ("nodes", name, "line")
        for k, c in enumerate(node.choices):
            yield "choice", c.text, ("nodes", name, "choices", k, "text")
            yield "feedback", c.feedback, ("nodes", name, "choices", k, "feedback")
        if node.time_limit is not None:
            yield "choice", node.time_limit.text, ("nodes", name, "time_limit", "text")
            yield "feedback", node.time_limit.feedback, ("nodes", name, "time_limit", "feedback")
    for name, ending in s.endings.items():
        yield "title", ending.title, ("endings", name, "title")
        yield "narration", ending.narration, ("endings", name, "narration")
        yield "debrief", ending.debrief, ("endings", name, "debrief")


def run(ctx: LintContext) -> None:
    for kind, text, loc in _texts(ctx):
        limit = TEXT_LIMITS[kind]
        if text and len(text.strip()) > limit:
            ctx.warn("CG112", f"this {kind} is {len(text.strip())} characters; the game shows at most {limit}", loc,
                     hint="shorten it, or split the beat into two nodes")
