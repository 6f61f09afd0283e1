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
from game.engine import rules, scoring, startpoint, variants
from game.engine.rules import EngineError, RouteTaken
from game.engine.state import State

__all__ = ["EngineError", "Offer", "RouteTaken", "Session", "Step", "UndoRefused"]

Event = dict[str, Any]
Observer = Callable[[Event], None]


class UndoRefused(EngineError):
    """A step cannot be taken back now; the message says why (not a test run, nothing to take back)."""


@dataclass(frozen=True)
class Offer:
    """A choice as the trainee sees it now. Unavailable ones are listed too, for the debrief."""

    choice: Choice
    available: bool
    number: int | None
    """1-based number among the available choices (what the trainee presses), or None."""
    id: str = field(init=False, default="")
    """The choice's qualified id (read many times a step: looked up once)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", self.choice.qid)

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
    critical: str | None = None
    """The reason, when the step is marked as a critical error."""
    judgement: scoring.Judgement | None = None
    """The step judged against the options offered with it (None when it was the only one)."""
    judged: bool = False
    """Set when :attr:`judgement` was worked out as the step was taken."""


class Session:
    """A playthrough. Construct it, then read ``node``/``offers()`` and call ``choose()`` until ``finished``.

    A scenario with ``variants`` plays one of them: ``variant`` names it, else one is drawn by weight
    with ``seed`` (a fresh seed when None); :attr:`variant` and :attr:`seed` say which, for the log.
    """

    def __init__(self, scenario: Scenario, rubric: Rubric, *, observers: list[Observer] | None = None,
                 clock: Callable[[], float] = time.monotonic, state: State | None = None,
                 variant: str | None = None, seed: int | None = None):
        self.scenario = scenario
        self.rubric = rubric
        self.clock = clock
        self.observers: list[Observer] = list(observers or [])
        self.history: list[Step] = []
        self.tally = scoring.Tally()
        """The running score of :attr:`history` (:func:`game.engine.scoring.session_card` writes it out)."""
        self.abandoned = False
        self.test_start: dict[str, object] | None = None
        """Where a test run started (``at`` node, ``set`` values), or None for a session from the start."""
        self._before: list[State] = []
        """The state before each step that :meth:`undo` can still take back (the last ones of :attr:`history`)."""
        self._shown_at = clock()
        try:
            drawn = variants.choose(scenario, variant, seed)
        except variants.UnknownVariant as exc:
            raise EngineError(str(exc)) from None
        self.variant: str | None = drawn.variant
        self.seed: int | None = drawn.seed
        if state is None:
            self.state = State.initial(scenario, self.variant)
            self._arrive(rules.enter(scenario, self.state, scenario.start))
        else:
            self.state = state.copy()

    @classmethod
    def begin_at(cls, scenario: Scenario, rubric: Rubric, node: str, settings: dict[str, object] | None = None,
                 **kwargs) -> Session:
        """A test run that starts at ``node`` with ``settings`` (meters, flags, counters) instead of the start.

        The variant is drawn (or named) as for any session; its start values come first, then
        ``settings``; the node is entered as play would enter it, automatic branches and all. Raises
        :class:`~game.engine.startpoint.StartError` for a node or value the scenario does not have.
        """
        try:
            drawn = variants.choose(scenario, kwargs.pop("variant", None), kwargs.pop("seed", None))
        except variants.UnknownVariant as exc:
            raise EngineError(str(exc)) from None
        record = startpoint.test_record(scenario, node, settings or {}, drawn.variant)
        state = startpoint.start_state(scenario, node, settings or {}, drawn.variant)
        session = cls(scenario, rubric, state=state, variant=drawn.variant, seed=drawn.seed, **kwargs)
        session.test_start = record
        session._arrive(rules.enter(scenario, session.state, node))
        return session

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
        """Start over from the scenario's first node, or a test run from its start point (the log goes on; a
        restart is an event). A test run whose start point a hot reload removed starts over at the beginning."""
        self.history.clear()
        self._before.clear()
        self.tally = scoring.Tally()
        self.abandoned = False
        variant = self.variant if self.variant in self.scenario.variants else None
        self.state, node = State.initial(self.scenario, variant), self.scenario.start
        if self.test_start is not None:
            at, settings = str(self.test_start["at"]), self.test_start.get("set")
            try:
                self.state = startpoint.start_state(self.scenario, at, settings if isinstance(settings, dict) else {},
                                                    variant)
                node = at
            except startpoint.StartError:
                pass
        self._emit({"type": "restart"})
        self._arrive(rules.enter(self.scenario, self.state, node))

    def restore(self, state: State) -> None:
        """Continue from a saved state (hot reload, resume); the steps before it can no longer be undone."""
        self.state = state.copy()
        self._before.clear()
        self._shown_at = self.clock()

    @property
    def undo_refusal(self) -> str | None:
        """Why :meth:`undo` would refuse now, in words; None when it can take the last step back."""
        if self.test_start is None:
            return "only a test run (one started at a chosen node) can take a step back; a training session's " \
                   "steps stand as taken"
        if self.finished:
            return "the scenario has ended"
        if not self._before:
            if self.history:
                return "nothing to undo since the scenario was reloaded"
            return "nothing to undo: this is where the test run started"
        return None

    def undo(self) -> Step:
        """Take the last step back (test runs only): state, history and score return to what they were before it.

        The log is never rewritten: an ``undo`` event names the step withdrawn, then the node is shown again
        (a ``node`` event), and every reader leaves the withdrawn step out (:mod:`game.engine.undo`).
        Raises :class:`UndoRefused` when :attr:`undo_refusal` says why not.
        """
        why = self.undo_refusal
        if why is not None:
            raise UndoRefused(why)
        step = self.history.pop()
        self.state = self._before.pop()
        self.tally = scoring.Tally()
        for st in self.history:
            self.tally.add(st.node, st.choice, st.scores, st.critical, st.judgement)
        self._emit({"type": "undo", "node": self.state.node, "turn": self.state.turn, "choice": step.choice})
        self._arrive([])
        return step

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
        offered: dict[str, Choice | TimeLimit] = {o.id: o.choice for o in offers if o.available}
        limit = self.scenario.nodes[node].time_limit
        if limit is not None:
            offered[f"{node}.timeout"] = limit
        judgement = scoring.judge_options(node, offered, qid, len(self.history))  # now, while it is all at hand
        before_state = state.copy() if self.test_start is not None else None  # what undo would go back to
        applied, routes = rules.take(self.scenario, state, step_def, qid)
        step = Step(
            turn=turn, node=node, choice=qid, text=step_def.text, kind=kind, elapsed=elapsed,
            offered=[o.id for o in offers if o.available], unavailable=[o.id for o in offers if not o.available],
            effects=applied, scores=dict(step_def.scores), feedback=step_def.feedback, target=step_def.goto,
            routes=routes, values_before=before, values_after=dict(state.values), critical=step_def.critical,
            judgement=judgement, judged=True,
        )
        self.history.append(step)
        if before_state is not None:
            self._before.append(before_state)
        self.tally.add(node, qid, step.scores, step.critical, judgement)
        self._emit({"type": kind, "turn": turn, "node": node, "choice": qid, "elapsed": elapsed,
                    "effects": applied, "scores": step.scores, "goto": step.target})
        self._arrive(routes)
        return step

    def _arrive(self, routes: list[RouteTaken]) -> None:
        """Announce where the last move led: the branches followed, then the node shown or the ending."""
        state = self.state
        heard = bool(self.observers)  # with no one listening (a log played again), the events are not built
        for route in routes if heard else ():
            self._emit({"type": "branch", "node": route.origin, "goto": route.target, "condition": route.condition})
        if state.ending is not None:
            if heard:
                self._emit({"type": "ending", "ending": state.ending,
                            "outcome": self.scenario.endings[state.ending].outcome, "state": state.to_json()})
            return
        offers = self.offers()
        node = self.scenario.nodes[state.node]
        self._shown_at = self.clock()
        if heard:
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


