"""The engine: one trainee's playthrough of one scenario, with no presentation of its own.

A view (the pygame game, the terminal, a test) reads :attr:`Session.node` and :meth:`Session.offers`
and calls :meth:`Session.choose` or :meth:`Session.time_out`; everything else (conditions, effects,
clamping, automatic branches, endings, scores) happens here, deterministically. Observers receive
each event as a plain dict, which is how the score log is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game.content.format import Choice, Ending, Node, Rubric, Scenario, TimeLimit
from game.engine import rules
from game.engine.rules import EngineError, RouteTaken
from game.engine.state import State

__all__ = ["EngineError", "Offer", "RouteTaken", "Session", "Step"]

Event = dict[str, Any]
Observer = Callable[[Event], None]


@dataclass(frozen=True)
class Offer:
    """A choice as the trainee sees it now. Unavailable ones are listed too, for the debrief."""

    choice: Choice
    available: bool
    number: int | None
    """1-based number among the available choices (what the trainee presses), or None."""

    @property
    def id(self) -> str:
        return self.choice.qid

    @property
    def text(self) -> str:
        return self.choice.text


@dataclass
class Step:
    """One decision (a choice, or letting a timer run out) and everything it did."""

    turn: int
    node: str
    choice: str
    text: str
    kind: str
    elapsed: float | None
    offered: list[str]
    unavailable: list[str]
    effects: dict[str, int | bool]
    scores: dict[str, int]
    feedback: str
    target: str
    routes: list[RouteTaken] = field(default_factory=list)
    values_before: dict[str, int | bool] = field(default_factory=dict)
    values_after: dict[str, int | bool] = field(default_factory=dict)


class Session:
    """A playthrough. Construct it, then read ``node``/``offers()`` and call ``choose()`` until ``finished``."""

    def __init__(self, scenario: Scenario, rubric: Rubric, *, observers: list[Observer] | None = None,
                 clock: Callable[[], float] = time.monotonic, state: State | None = None):
        self.scenario = scenario
        self.rubric = rubric
        self.clock = clock
        self.observers: list[Observer] = list(observers or [])
        self.history: list[Step] = []
        self.abandoned = False
        self._shown_at = clock()
        if state is None:
            self.state = State.initial(scenario)
            self._arrive(rules.enter(scenario, self.state, scenario.start))
        else:
            self.state = state.copy()

    # --- reading ----------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.state.ending is not None or self.abandoned

    @property
    def node_id(self) -> str:
        return self.state.node

    @property
    def node(self) -> Node | None:
        return None if self.state.ending else self.scenario.nodes[self.state.node]

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings[self.state.ending] if self.state.ending else None

    @property
    def values(self) -> dict[str, int | bool]:
        return self.state.values

    def offers(self) -> list[Offer]:
        """Every choice of the current node, in order, each flagged available or not."""
        node = self.node
        if node is None:
            return []
        out, number = [], 0
        for choice, ok in zip(node.choices, rules.availability(self.scenario, self.state)):
            if ok:
                number += 1
            out.append(Offer(choice, ok, number if ok else None))
        return out

    @property
    def choices(self) -> list[Offer]:
        """The choices offered now (available ones only)."""
        return [o for o in self.offers() if o.available]

    @property
    def time_limit(self) -> TimeLimit | None:
        node = self.node
        return node.time_limit if node else None

    # --- acting -----------------------------------------------------------------------------

    def choose(self, which: str | int, *, elapsed: float | None = None) -> Step:
        """Take a choice by qualified id (``node.choice``), local id, or 1-based number among those offered."""
        if self.finished:
            raise EngineError("the scenario has ended")
        offers = self.offers()
        offer = self._find(offers, which)
        return self._take(offer.choice, "choice", offers, elapsed)

    def time_out(self, *, elapsed: float | None = None) -> Step:
        """Let the current node's timer run out."""
        if self.finished:
            raise EngineError("the scenario has ended")
        limit = self.time_limit
        if limit is None:
            raise EngineError(f"node '{self.state.node}' has no time limit")
        return self._take(limit, "timeout", self.offers(), elapsed if elapsed is not None else limit.seconds)

    def abandon(self, reason: str | None = None) -> None:
        """End the session without an ending (the trainee quit, or play could not go on: ``reason``)."""
        if self.finished:
            return
        self.abandoned = True
        event: Event = {"type": "abandoned", "node": self.state.node, "turn": self.state.turn}
        if reason:
            event["reason"] = reason
        self._emit(event)

    def restart(self) -> None:
        """Start over from the scenario's first node (the log goes on; a restart is an event)."""
        self.history.clear()
        self.abandoned = False
        self.state = State.initial(self.scenario)
        self._emit({"type": "restart"})
        self._arrive(rules.enter(self.scenario, self.state, self.scenario.start))

    def restore(self, state: State) -> None:
        """Continue from a saved state (hot reload, resume)."""
        self.state = state.copy()
        self._shown_at = self.clock()

    # --- internals --------------------------------------------------------------------------

    def _find(self, offers: list[Offer], which: str | int) -> Offer:
        for offer in offers:
            local = isinstance(which, str) and offer.id == f"{self.state.node}.{which}"
            if which in (offer.number, offer.id) or local:
                if not offer.available:
                    raise EngineError(f"choice '{offer.id}' is not available now")
                return offer
        available = ", ".join(f"{o.number}={o.id}" for o in offers if o.available)
        raise EngineError(f"no choice '{which}' at node '{self.state.node}' (offered: {available})")

    def _take(self, step_def: Choice | TimeLimit, kind: str, offers: list[Offer], elapsed: float | None) -> Step:
        state = self.state
        if elapsed is None:
            elapsed = round(self.clock() - self._shown_at, 3)
        turn, node, before = state.turn, state.node, dict(state.values)
        qid = rules.step_id(state, step_def)
        applied, routes = rules.take(self.scenario, state, step_def, qid)
        step = Step(
            turn=turn, node=node, choice=qid, text=step_def.text, kind=kind, elapsed=elapsed,
            offered=[o.id for o in offers if o.available], unavailable=[o.id for o in offers if not o.available],
            effects=applied, scores=dict(step_def.scores), feedback=step_def.feedback, target=step_def.goto,
            routes=routes, values_before=before, values_after=dict(state.values),
        )
        self.history.append(step)
        self._emit({"type": kind, "turn": turn, "node": node, "choice": qid, "elapsed": elapsed,
                    "effects": applied, "scores": step.scores, "goto": step.target})
        self._arrive(routes)
        return step

    def _arrive(self, routes: list[RouteTaken]) -> None:
        """Announce where the last move led: the branches followed, then the node shown or the ending."""
        state = self.state
        for route in routes:
            self._emit({"type": "branch", "node": route.origin, "goto": route.target, "condition": route.condition})
        if state.ending is not None:
            self._emit({"type": "ending", "ending": state.ending,
                        "outcome": self.scenario.endings[state.ending].outcome, "state": state.to_json()})
            return
        offers = self.offers()
        node = self.scenario.nodes[state.node]
        self._shown_at = self.clock()
        self._emit({"type": "node", "node": state.node, "offered": [o.id for o in offers if o.available],
                    "unavailable": [o.id for o in offers if not o.available],
                    "time_limit": node.time_limit.seconds if node.time_limit else None,
                    "state": state.to_json()})
        if not offers or not any(o.available for o in offers):
            if node.time_limit is None:
                raise EngineError(f"node '{state.node}' offers no choice in this state and has no time limit")

    def _emit(self, event: Event) -> None:
        for observer in self.observers:
            observer(event)


