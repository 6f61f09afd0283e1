"""A session's outcome and score worked out again from its logged choices, by the engine itself.

The logged choices are the record. A reader that has the scenario the session was played on plays
those choices through a fresh :class:`~game.engine.session.Session` (from the start, or from where a
test run started; the logged variant) and takes the ending it reaches and the score card the engine
gives. A summary that says anything else was edited, or not written by this program, whatever its
hash chain says. :func:`disagreement` is what ``verify``, ``debrief``, ``xapi`` and ``cohort`` ask.

Playing a log costs about a millisecond; ``cohort`` reads many logs that took the same path through
the same text, so :class:`Memo` keeps recent results keyed by the text, the variant, the start and
the path (never by anything a trainee chose to write, such as their id).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.analysis.statespace import ExplorationLimit
from game.content.format import Rubric, Scenario
from game.engine import variants
from game.engine.rules import EngineError
from game.engine.scoring import SCORING_MODEL, score, session_card
from game.engine.session import Session
from game.engine.startpoint import StartError

SCORING_FAILURES: tuple[type[BaseException], ...] = (ExplorationLimit, EngineError, LookupError, ValueError,
                                                     ArithmeticError)
"""What working out a score may raise for a scenario that cannot be scored (too many states, play that stops,
no reachable ending): records say so and go on, rather than lose the record."""

STEP_EVENTS = frozenset({"choice", "timeout", "restart", "undo"})
"""The events that move a session: everything else in a log is what the engine said back."""

Step = tuple[str, str]
"""(event type, choice id): ``("choice", "talk.ask")``, ``("timeout", "talk.timeout")``, ``("restart", "")``."""


@dataclass(frozen=True)
class Derived:
    """What the engine makes of a log's choices."""

    ending: str | None = None
    outcome: str | None = None
    score: dict[str, Any] | None = None
    """The summary ``score`` the engine gives (:meth:`~game.engine.scoring.ScoreCard.to_json`)."""
    passed: bool | None = None
    unscored: str | None = None
    """Why the engine cannot score this scenario (then :attr:`score` is None)."""
    problem: str | None = None
    """Why the logged choices cannot be played on this text at all (then nothing else is set)."""


def steps_of(events: Iterable[Mapping[str, Any]]) -> tuple[Step, ...]:
    """The moves of a log, in order, as the key a replay depends on (timings do not change the state)."""
    return tuple((str(e.get("type")), str(e.get("choice") or "")) for e in events if e.get("type") in STEP_EVENTS)


def open_session(scenario: Scenario, rubric: Rubric, start: Mapping[str, Any]) -> Session:
    """A session as the log's ``session_start`` began it: its variant, and a test run's start node and values.

    Raises :class:`EngineError` (or :class:`StartError`) when this text cannot begin it so.
    """
    variant = start.get("variant")
    variant = variant if isinstance(variant, str) else None
    if variant is not None and variant not in scenario.variants:
        raise EngineError(f"the log's variant '{variant}' is not in this scenario")
    seed = start.get("seed")
    seed = seed if isinstance(seed, int) and not isinstance(seed, bool) else None
    test = start.get("test_run")
    if isinstance(test, Mapping) and isinstance(test.get("at"), str):
        values = test.get("set") if isinstance(test.get("set"), Mapping) else {}
        return Session.begin_at(scenario, rubric, test["at"], dict(values), clock=lambda: 0.0, variant=variant,
                                seed=seed)
    return Session(scenario, rubric, clock=lambda: 0.0, variant=variant, seed=seed)


def take(session: Session, kind: str, choice: str, elapsed: float | None = None) -> None:
    """Apply one logged move to ``session`` (raises :class:`EngineError` when it cannot be taken there)."""
    if kind == "restart":
        session.restart()
    elif kind == "undo":  # the engine takes the step back itself (test runs only), and must take back the one logged
        step = session.undo()
        if choice and step.choice != choice:
            raise EngineError(f"the log undoes {choice!r}, but the last step standing is {step.choice!r}")
    elif kind == "timeout":
        session.time_out(elapsed=elapsed)
    else:
        session.choose(choice, elapsed=elapsed)


def derive(scenario: Scenario, rubric: Rubric, start: Mapping[str, Any], steps: Sequence[Step]) -> Derived:
    """Play ``steps`` through the engine from the log's start and say where they lead and what they score."""
    try:
        session = open_session(scenario, rubric, start)
    except (EngineError, StartError) as exc:
        if steps:
            return Derived(problem=f"the session cannot start as logged: {exc}")
        return _never_started(scenario, rubric, start)  # play stopped before the first node, as the log says
    for n, (kind, choice) in enumerate(steps, 1):
        if session.state.ending is not None and kind != "restart" and kind != "undo":
            return Derived(problem=f"move {n} ({choice or kind}) comes after the ending")
        taken = len(session.history)
        try:
            take(session, kind, choice)
        except (EngineError, StartError) as exc:
            if n == len(steps) and len(session.history) > taken:
                break  # the move was taken and play stopped where it led (the log ends abandoned there)
            return Derived(problem=f"move {n} ({choice or kind}) cannot be taken there: {exc}")
    ending = session.state.ending
    outcome = scenario.endings[ending].outcome if ending in scenario.endings else None
    try:
        card = session_card(session)
    except SCORING_FAILURES as exc:
        return Derived(ending, outcome, unscored=str(exc)[:300])
    return Derived(ending, card.outcome, card.to_json(), card.passed)


def _never_started(scenario: Scenario, rubric: Rubric, start: Mapping[str, Any]) -> Derived:
    """A session the engine could not begin (its first node routes nowhere it can show): no moves, no ending."""
    variant = start.get("variant")
    try:
        card = score(scenario, rubric, [], ending=None,
                     variant=variant if isinstance(variant, str) and variant in scenario.variants else None)
    except SCORING_FAILURES as exc:
        return Derived(unscored=str(exc)[:300])
    return Derived(None, card.outcome, card.to_json(), card.passed)


class Memo:
    """Recent derivations, keyed by text, rubric, variant, start and path: a class's repeated paths play once."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Derived] = OrderedDict()
        self.hits = self.misses = 0
        self._pinned: dict[int, object] = {}
        self.last: Derived | None = None
        """The latest result (a reader that compared a summary with it may take its figures)."""

    def derive(self, scenario: Scenario, rubric: Rubric, start: Mapping[str, Any], steps: tuple[Step, ...]) -> Derived:
        test = start.get("test_run")
        variant = start.get("variant")
        self._pinned[id(scenario)], self._pinned[id(rubric)] = scenario, rubric  # so their ids stay theirs
        key = (id(scenario), id(rubric), variant if isinstance(variant, str) else None,
               json.dumps(test, sort_keys=True, default=str) if test else "", steps)
        found = self._items.get(key)
        if found is not None:
            self.hits += 1
            self._items.move_to_end(key)
        else:
            self.misses += 1
            found = self._items[key] = derive(scenario, rubric, start, steps)
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        self.last = found
        return found


def seed_disagreement(start: Mapping[str, Any], scenario: Scenario) -> str | None:
    """A drawn variant must be what its logged seed draws from this text; None when it is (or nothing was drawn)."""
    seed, variant = start.get("seed"), start.get("variant")
    if isinstance(seed, int) and not isinstance(seed, bool):
        again = variants.draw(scenario, seed)
        if again != variant:
            return f"seed {seed} draws variant {again!r} from this scenario; the log has {variant!r}"
    return None


def played_here(events: Sequence[Mapping[str, Any]], scenario: Scenario) -> bool:
    """The log was played on this very text, never hot-reloaded: only then can the engine judge it again."""
    start = events[0] if events else {}
    return (start.get("content_hash") == scenario.content_hash and start.get("scenario") == scenario.id
            and not any(e.get("type") == "reload" for e in events))


def disagreement(events: Sequence[Mapping[str, Any]], scenario: Scenario, rubric: Rubric,
                 memo: Memo | None = None, *, steps: tuple[Step, ...] | None = None,
                 summary: Mapping[str, Any] | None = None) -> str | None:
    """How the closing summary differs from what the engine makes of the logged choices; None when it agrees.

    The caller has checked :func:`played_here`. A summary scored under an older model is compared on
    its ending and outcome only (its figures are re-scored, flagged, where they are shown). ``steps`` and
    ``summary`` may be passed by a caller that has already walked the events.
    """
    if memo is not None:
        memo.last = None
    if summary is None:
        summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    if summary is None or not events:
        return None
    start = events[0]
    redrawn = seed_disagreement(start, scenario)
    if redrawn is not None:
        return redrawn
    if steps is None:
        steps = steps_of(events)
    got = memo.derive(scenario, rubric, start, steps) if memo is not None else derive(scenario, rubric, start, steps)
    if got.problem is not None:
        return f"the logged choices cannot be played on this scenario: {got.problem}"
    status = summary.get("status")
    if status == "completed" and summary.get("ending") != got.ending:
        return f"the summary says ending {summary.get('ending')!r}; the logged choices reach {got.ending!r}"
    if status == "abandoned" and got.ending is not None:
        return f"the summary says the session was abandoned; the logged choices reach ending {got.ending!r}"
    if "outcome" in summary and summary.get("outcome") != got.outcome:
        return f"the summary says outcome {summary.get('outcome')!r}; the logged choices give {got.outcome!r}"
    logged = summary.get("score")
    model = summary.get("scoring") or ((logged or {}).get("model") if isinstance(logged, Mapping) else None) or 1
    if model != SCORING_MODEL:
        return None
    if logged is None:
        if got.score is not None:
            return "the summary has no score, but the logged choices can be scored"
        return None
    if got.score is None:
        return f"the summary has a score, but this scenario cannot be scored ({got.unscored})"
    if logged != got.score:
        return _first_difference(logged, got.score)
    if "passed" in summary and summary.get("passed") != got.passed:
        return f"the summary says passed={summary.get('passed')}; the logged choices give passed={got.passed}"
    return None


def _first_difference(logged: Mapping[str, Any], want: Mapping[str, Any]) -> str:
    """The first figure in which a logged score differs from the engine's, said the way an instructor reads it."""
    lines: list[tuple[str, Any, Any]] = [("overall", logged.get("overall"), want.get("overall"))]
    for group, label in (("topics", "topic "), ("principles", "")):
        mine, theirs = logged.get(group) or {}, want.get(group) or {}
        for key in sorted(set(mine) | set(theirs)):
            lines.append((f"{label}{key}", mine.get(key), theirs.get(key)))
    for name, line, right in lines:
        if line == right:
            continue
        if not isinstance(line, Mapping) or not isinstance(right, Mapping):
            return f"the summary gives {name} {line!r}; the logged choices give {right!r}"
        for field in ("earned", "stake", "percent", "raw"):
            if line.get(field) != right.get(field):
                return (f"the summary gives {name} {field} {line.get(field)!r}; the logged choices give "
                        f"{right.get(field)!r}")
    if logged.get("passed") != want.get("passed"):
        return f"the summary says passed={logged.get('passed')}; the logged choices give passed={want.get('passed')}"
    for field in ("critical", "decisions", "outcome", "ending", "variant", "pass_mark", "failing_outcome"):
        if logged.get(field) != want.get(field):
            return f"the summary's {field.replace('_', ' ')} is not what the logged choices give"
    return "the summary's score is not the one the logged choices earn"
