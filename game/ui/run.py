"""One playthrough in the game: the Session, its score log (written off the frame loop) and hot reload.

A test run (``play SCENARIO --at NODE [--set NAME=VALUE]``) starts at that node with those values, as
terminal play does (:mod:`game.engine.startpoint`), is logged as one, and says so on every screen.
"""

from __future__ import annotations

import time
from pathlib import Path

from game.content.format import Rubric, Scenario
from game.content.library import display_path
from game.engine import meters, startpoint, variants
from game.engine.session import Session, Step
from game.records.hotreload import ScenarioWatcher, carry_over
from game.records.scorelog import ScoreLog, academy_key

POLL_SECONDS = 0.5


class Run:
    def __init__(self, scenario: Scenario, rubric: Rubric, *, trainee: str, log_dir: Path, mode: str,
                 variant: str | None = None, at: str | None = None, settings: dict[str, str] | None = None):
        """``at`` (and ``settings``): a test run from that node (:class:`~game.engine.startpoint.StartError`
        before any log is made when the scenario has no such node or value)."""
        self.scenario = scenario
        self.rubric = rubric
        self.mode = mode
        draw = variants.choose(scenario, variant)  # drawn here so the log's first line can record it
        test_run = startpoint.test_record(scenario, at, settings or {}, draw.variant) if at is not None else None
        self.log = ScoreLog.create(scenario, rubric, trainee=trainee, log_dir=log_dir, mode=mode, key=academy_key(),
                                   background=True,  # created and synced here (LogWriteError if it cannot be)
                                   variant=draw.variant, seed=draw.seed, test_run=test_run)
        if at is None:
            self.session = Session(scenario, rubric, observers=[self.log.observe], variant=draw.variant,
                                   seed=draw.seed)
        else:
            self.session = Session.begin_at(scenario, rubric, at, dict(settings or {}), observers=[self.log.observe],
                                            variant=draw.variant, seed=draw.seed)
        source = Path(scenario.source_path) if scenario.source_path else None
        self.watcher = ScenarioWatcher(source, rubric, display_path(source)) if source else None
        self._next_poll = 0.0
        self.problems: list[str] = []
        """Diagnostics of a scenario file saved with errors; play goes on with the last good version."""
        self.note = ""
        self.back_note = ""
        """Why the last Backspace took nothing back (shown in the test run's banner until the next step)."""
        self.shown: dict[str, float] = {}
        self.snap_meters()
        self.last_step: Step | None = None
        self.met: set[str] = set()
        """People whose description the trainee has been shown (on first appearance; on demand after)."""

    @property
    def test_run(self) -> bool:
        return self.session.test_start is not None

    @property
    def banner(self) -> str | None:
        """What every screen of a test run says at its top (None for training)."""
        start = self.session.test_start
        if start is None:
            return None
        return f"TEST RUN from {startpoint.describe(start)} — not counted as training"

    @property
    def playing_banner(self) -> str | None:
        """The banner where a step can be taken back (the scene, the feedback on the last step), with the key,
        or why the last Backspace took nothing back."""
        banner = self.banner
        if not banner or self.session.finished:
            return banner
        return f"{banner}  ·  {self.back_note or 'Backspace takes the last step back'}"

    def step_back(self) -> str | None:
        """Backspace in a test run: the engine takes the last step back; None when it did, else why not."""
        why = self.session.undo_refusal
        if why is not None:
            self.back_note = f"{why[0].upper()}{why[1:]}"
            return self.back_note
        self.session.undo()
        self.back_note = ""
        self.last_step = None
        self.snap_meters()
        return None

    # --- meters, animated toward the engine's values -----------------------------------------

    def snap_meters(self) -> None:
        self.shown = {name: float(self.session.values[name]) for name in self.scenario.meters}

    def animate(self, dt: float) -> bool:
        """Ease the shown meter values toward the real ones; True while anything still moves."""
        moving = False
        k = min(1.0, dt * 5.0)
        for name in self.scenario.meters:
            target = float(self.session.values.get(name, 0))
            cur = self.shown.get(name, target)
            if abs(target - cur) < 0.2:
                self.shown[name] = target
                continue
            self.shown[name] = cur + (target - cur) * k
            moving = True
        return moving

    def meter_rows(self) -> list[tuple[str, str, str, float, bool, str]]:
        """(key, label, level word, shown fraction, good, which end is better) for each meter."""
        rows = []
        for name, meter in self.scenario.meters.items():
            value = int(self.session.values[name])
            frac = (self.shown.get(name, value) - meter.min) / max(1, meter.max - meter.min)
            better = "Lower is better" if meters.good_end(name, meter) == "low" else "Higher is better"
            rows.append((name, meters.label(name, meter), meters.level_word(name, meter, value),
                         max(0.0, min(1.0, frac)), meters.is_good(name, meter, value), better))
        return rows

    # --- hot reload ---------------------------------------------------------------------------

    def until_poll(self, now: float | None = None) -> float:
        """Seconds until the next look at the scenario file (the frame loop sleeps no longer than this)."""
        return self._next_poll - (time.monotonic() if now is None else now)

    def poll(self, now: float | None = None) -> bool:
        """Check the scenario file at most every half second (a stat); True when something changed."""
        if self.watcher is None:
            return False
        now = time.monotonic() if now is None else now
        if now < self._next_poll:
            return False
        self._next_poll = now + POLL_SECONDS
        result = self.watcher.poll()
        if result is None:
            return False
        if not result.ok:
            self.problems = [f"{Path(d.path).name}:{d.line}:{d.col}: {d.code} {d.message}" for d in result.diagnostics]
            return True
        assert result.scenario is not None
        self.problems = []
        self.scenario = result.scenario
        if self.session.finished:
            self.note = f"Reloaded {result.scenario.id}; the next try uses the new version."
        else:
            self.note = carry_over(self.session, result.scenario)
            self.snap_meters()
        return True

    # --- ending -------------------------------------------------------------------------------

    def abandon(self, reason: str | None = None) -> None:
        """Quitting mid-scenario: the log ends cleanly as abandoned (unless it can no longer be written)."""
        if not self.session.finished and self.log.failure is None:
            self.session.abandon(reason)

    def finish_writing(self, timeout: float = 5.0) -> None:
        self.log.close()
        self.log.finish(timeout)
