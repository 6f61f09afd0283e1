"""CG106: declared meters, flags and counters that nothing reads or changes."""

from __future__ import annotations

from game.analysis.lint.context import LintContext
from game.content import expr

CODES = ("CG106",)


def run(ctx: LintContext) -> None:
    s = ctx.scenario
    read: set[str] = set()
    written: set[str] = set()
    for node in s.nodes.values():
        for item in (*node.choices, *node.branches):
            if item.condition is not None:
                read |= {r.name for r in expr.references(item.condition.tree) if isinstance(r, expr.Var)}
        for step in (*node.choices, *([node.time_limit] if node.time_limit else [])):
            written |= set(step.effects)
    for name in s.meters:  # meters are shown to the trainee, so one that moves is used
        if name not in read and name not in written:
            ctx.warn("CG106", f"meter '{name}' never changes and no condition reads it", ("meters", name), key=True,
                     hint=f"give choices effects on '{name}', or remove it if it is not required")
    for kind, names in (("flags", s.flags), ("counters", s.counters)):
        for name in names:
            if name in read:
                continue
            what = "is set but no condition reads it" if name in written else "is never used"
            ctx.warn("CG106", f"{kind[:-1]} '{name}' {what}", (kind, name), key=True,
                     hint=f"use it in an 'if:' (for example {name} in a branch), or remove it")
