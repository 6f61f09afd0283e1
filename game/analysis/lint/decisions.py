"""CG114/CG115: decisions that give their answer away (one sound option only; the best one the longest).

A decision is a node with more than one option offered (a timer's running out counts). Each set of
options a node is reachably shown with is judged: in the explored states when there are any, else
with every choice the node has. CG114 reports give-aways only when they are more than half of the
scenario's decisions: a few clear-cut moments are fine, a scenario of them teaches guessing.
"""

from __future__ import annotations

from collections.abc import Iterator

from game.analysis.exemplar import Option, options_at
from game.analysis.lint.context import LintContext
from game.engine.scoring import total

CODES = ("CG114", "CG115")
GIVE_AWAY_SHARE = 0.5
"""CG114 reports when more than this share of a scenario's decision nodes are give-aways."""


def option_sets(ctx: LintContext) -> Iterator[tuple[str, list[Option]]]:
    """(node, options) for each distinct set of two or more options a node is shown with."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    space = ctx.space
    if space is not None:
        for state in space.graph.states:
            if state.ending is not None:
                continue
            options = options_at(ctx.scenario, state)
            key = (state.node, tuple(o for o, _ in options))
            if len(options) > 1 and key not in seen:
                seen.add(key)
                yield state.node, options
        return
    for name, node in ctx.scenario.nodes.items():
        options: list[Option] = [(c.qid, c) for c in node.choices]
        if node.time_limit is not None:
            options.append((f"{name}.timeout", node.time_limit))
        if len(options) > 1:
            yield name, options


def run(ctx: LintContext) -> None:
    give_aways: dict[str, str] = {}
    longest: dict[str, str] = {}
    decisions: set[str] = set()
    for node, options in option_sets(ctx):
        decisions.add(node)
        positive = [o for o, s in options if total(s.scores) > 0]
        if len(positive) == 1:
            give_aways.setdefault(node, positive[0])
        top = max(total(s.scores) for _, s in options)
        lengths = sorted((len(s.text), o) for o, s in options)
        (n1, first), n2 = lengths[-1], lengths[-2][0]
        if n1 > n2 and total(dict(options)[first].scores) == top:
            longest.setdefault(node, first)
    if len(give_aways) > GIVE_AWAY_SHARE * len(decisions):
        for node, only in give_aways.items():
            ctx.warn("CG114", f"decision '{node}' gives its answer away: only '{only}' scores positive "
                              f"({len(give_aways)} of {len(decisions)} decisions here are like this; at most half "
                              "should be)", ("nodes", node), key=True,
                     hint="offer a second sound option (one that applies the principles less well, e.g. +1 "
                          "beside +3), so the trainee has to weigh them rather than spot the only good one")
    for node, best in longest.items():
        ctx.warn("CG115", f"at decision '{node}' the best option '{best}' is also the longest text",
                 ("nodes", node), key=True,
                 hint="trainees learn to pick the longest answer: shorten the best option or lengthen the "
                      "others, in the same plain register")
