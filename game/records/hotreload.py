"""Hot reload: notice when a scenario file is saved and load it again, without the view knowing how.

Views (the game and the terminal) call :meth:`ScenarioWatcher.poll` now and then; it only stats the
file, so it is cheap enough for a frame loop. When the file changed, the new version is loaded; a
file with errors comes back as diagnostics for the view to show, and play goes on with the old
version until the file is fixed. A version that loads but would stop play (a branch loop, a node
that can offer nothing) counts as one with errors too: the session keeps the last good version.
:func:`carry_over` moves a session onto the new version, at the same node when that node still exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.analysis.playable import play_errors
from game.content.diagnostics import Diagnostic, LoadError
from game.content.format import Rubric, Scenario
from game.content.loader import load_scenario
from game.content.yamlsrc import read_yaml
from game.engine.session import Session
from game.engine.state import State
from game.records.scorelog import ScoreLog


@dataclass
class Reloaded:
    """The outcome of a poll that saw a change: the new scenario, or the errors that stopped it."""

    scenario: Scenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None


class ScenarioWatcher:
    def __init__(self, path: Path, rubric: Rubric, display: str | None = None):
        self.path = path
        self.rubric = rubric
        self.display = display or str(path)
        self._stamp = self._read_stamp()

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def poll(self) -> Reloaded | None:
        """None when the file is unchanged; otherwise the reloaded scenario or its diagnostics."""
        stamp = self._read_stamp()
        if stamp == self._stamp or stamp is None:
            return None
        self._stamp = stamp
        try:
            scenario = load_scenario(self.path, self.rubric, self.display)
            problems = play_errors(scenario, read_yaml(self.path, self.display))
        except LoadError as exc:
            return Reloaded(None, exc.diagnostics)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError, MemoryError) as exc:
            # a fault the loader should have reported: the running session must not pay for it
            return Reloaded(None, [Diagnostic(self.display, 1, 1, "CG030",
                                              f"the file could not be loaded ({exc!r:.200})")])
        return Reloaded(None, problems) if problems else Reloaded(scenario)


def carry_over(session: Session, scenario: Scenario) -> str:
    """Move ``session`` onto a new version of its scenario; return a one-line note of what happened.

    The session keeps its history and variables (new variables take their start values, removed ones
    are dropped). It stays at its node when the node still exists, else it restarts at ``start``.
    """
    old = session.state
    fresh = State.initial(scenario)
    values = {k: old.values.get(k, v) if type(old.values.get(k, v)) is type(v) else v for k, v in fresh.values.items()}
    for name, meter in scenario.meters.items():
        values[name] = min(max(int(values[name]), meter.min), meter.max)
    session.scenario = scenario
    for observer in session.observers:  # a score log summarises against the version being played
        owner = getattr(observer, "__self__", None)
        if isinstance(owner, ScoreLog):
            owner.scenario = scenario
    session._emit({"type": "reload", "content_hash": scenario.content_hash, "scenario_version": scenario.version})
    if old.ending is None and old.node in scenario.nodes:
        session.restore(State(old.node, values, set(old.visited), set(old.chosen), old.turn, None))
        return f"reloaded {scenario.id}; still at '{old.node}'"
    session.restart()
    return f"reloaded {scenario.id}; '{old.node}' is gone, so the scene restarted"
