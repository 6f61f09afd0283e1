"""Undo in the record: which logged steps still stand once a test run's ``undo`` events are applied.

A test run (``play --at NODE``) may take its last step back (:meth:`game.engine.session.Session.undo`).
The score log stays append-only: the withdrawn step stays on its lines and an ``undo`` event follows,
then the node shown again. Every reader that works a result out of the events (the summary as it is
written, re-scoring, the integrity check, replay's comparison, the debrief, cohort, xAPI) first reads
them through :func:`settle`, so all of them agree on what stands: the events as if each undone step
(its decision and everything it caused) had never been taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

Event = TypeVar("Event", bound=Mapping[str, Any])

DECISIONS = ("choice", "timeout")
BARRIERS = ("restart", "reload")
"""After these, nothing before them can be undone (the engine forgets its earlier states)."""


def settle(events: Iterable[Event]) -> tuple[list[Event], str | None]:
    """The events with every undone step withdrawn, and what is wrong with the undos (None when sound).

    With no undo, the list given comes back as it is (a new list only when ``events`` was not one).

    An undo withdraws the last decision still standing, everything logged after it, and the ``node``
    event that shows its node again. Wrong: an undo in a session that is not a test run (the first event
    must be a ``session_start`` with ``test_run``), one with no step to take back, or one naming
    another step than the last.
    """
    events = events if isinstance(events, list) else list(events)
    for e in events:  # the common case (no undo) costs one plain walk: cohort reads 100,000 logs
        if e.get("type") == "undo":
            break
    else:
        return events, None
    first = events[0] if events else {}
    test_run = first.get("type") != "session_start" or bool(first.get("test_run"))
    out: list[Event] = []
    starts: list[int] = []
    problem: str | None = None
    reshown = False
    for e in events:
        kind = e.get("type")
        if reshown:
            reshown = False
            if kind == "node":
                continue
        if kind in DECISIONS:
            starts.append(len(out))
        elif kind in BARRIERS:
            starts.clear()
        elif kind == "undo":
            where = f"event {e.get('seq')}"
            if problem is None:
                if not test_run:
                    problem = f"{where} undoes a step, but only a test run may (this session is not one)"
                elif not starts:
                    problem = f"{where} undoes a step where there is none to take back"
                elif out[starts[-1]].get("choice") != e.get("choice"):
                    problem = (f"{where} undoes {e.get('choice')!r}, but the last step standing is "
                               f"{out[starts[-1]].get('choice')!r}")
            if starts:
                del out[starts.pop():]
                reshown = True
            continue
        out.append(e)
    return out, problem


def withdraw(events: Iterable[Event]) -> list[Event]:
    """The events that stand (see :func:`settle`); the same list's events when nothing was undone."""
    return settle(events)[0]


def undone(events: Iterable[Mapping[str, Any]]) -> int:
    """How many steps were taken back."""
    return sum(1 for e in events if e.get("type") == "undo")
