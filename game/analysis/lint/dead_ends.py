"""CG102: nodes where, in some reachable state, nothing is offered and no timer runs (play would stop)."""

from __future__ import annotations

from game.analysis.lint.context import LintContext
from game.engine.state import State

CODES = ("CG102",)


def describe(ctx: LintContext, state: State) -> str:
    """The variables of a state, as an author reads them: ``agitation=80, asked=false``."""
    parts = []
    for name, value in state.values.items():
        parts.append(f"{name}={str(value).lower() if isinstance(value, bool) else value}")
    return ", ".join(parts)


def run(ctx: LintContext) -> None:
    space = ctx.space
    if space is None:
        return
    reported: set[str] = set()
    for i in space.graph.stuck:
        state = space.graph.states[i]
        if state.node in reported:
            continue
        reported.add(state.node)
        ctx.warn("CG102", f"dead end at '{state.node}': no choice is offered and there is no time limit "
                          f"when {describe(ctx, state)}",
                 ("nodes", state.node), key=True,
                 hint="add a choice without 'if' (always offered), or loosen the conditions of the choices here")
