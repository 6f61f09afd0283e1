"""Where scoring used to live. It is per decision now and needs no exploration, so it moved to the
engine (:mod:`game.engine.scoring`); these names stay importable from here for older callers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from game.content.format import Rubric, Scenario
from game.engine.scoring import (
    SCORING_MODEL,
    CriticalError,
    Effect,
    Judgement,
    Line,
    ScoreCard,
    Taken,
    percent,
    score,
    scored_principles,
    session_card,
    step_effect,
    sum_scores,
    taken_from_history,
)

__all__ = ["SCORING_MODEL", "CriticalError", "Effect", "Judgement", "Line", "ScoreCard", "Taken", "percent",
           "score", "score_card", "scored_principles", "session_card", "step_effect", "sum_scores"]


def score_card(scenario: Scenario, rubric: Rubric, steps: Iterable[Any], *, ending: str | None = None,
               variant: str | None = None) -> ScoreCard:
    """:func:`game.engine.scoring.score` for a session's steps (``session.history``) or :class:`Taken` steps.

    Raises TypeError for bare score mappings: a decision is judged against the options offered at it,
    which its scores alone do not say.
    """
    taken: list[Taken] = []
    for st in steps:
        if isinstance(st, Taken):
            taken.append(st)
        elif hasattr(st, "offered") and hasattr(st, "choice"):
            taken.extend(taken_from_history(scenario, [st]))
        else:
            raise TypeError("score_card needs the session's steps (session.history), not their scores: each "
                            "decision is judged against the options offered at it (see docs/scoring.md)")
    return score(scenario, rubric, taken, ending=ending, variant=variant)
