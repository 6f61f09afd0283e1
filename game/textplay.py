"""Terminal play: a view over :class:`~game.engine.session.Session` that reads numbered choices from stdin.

When standard input is not a terminal, each line is one decision, so a run can be scripted:
``printf '1\\n2\\n1\\n' | commonground play bridge-rail --text``. A line is the number of a choice as
shown, its local id (``distance``) or its qualified id (``arrival.distance``). On a timed node, ``w``
(or ``node.timeout``) lets the time run out; at a terminal, answering after the limit counts as
letting it run out. ``?`` shows the state and why each choice is or is not offered; in a test run
(``--at NODE``), ``back`` takes the last step back (the engine's :meth:`Session.undo`, logged as an
``undo`` event: the log stays append-only).

The record is never lost without a word: the session starts only once its log is on disk; Ctrl-C,
SIGTERM and SIGHUP end it as abandoned with its summary, as closing the game window does; a log that
can no longer be written, or an engine error, stops the session with a message and a non-zero exit.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from game.content.diagnostics import format_report
from game.content.format import Scenario
from game.content.library import Library, display_path
from game.engine import meters, startpoint, variants
from game.engine.rules import TIMER_FACTOR, EngineError
from game.engine.scoring import ScoreCard, session_card, step_text
from game.engine.session import Session, Step
from game.records.hotreload import ScenarioWatcher, carry_over
from game.records.logfile import LogWriteError
from game.records.scorelog import ScoreLog, academy_key

WAIT_WORDS = {"w", "wait", "t", "timeout"}
BACK_WORD = "back"
"""Takes the last step back in a test run (a choice whose id is ``back`` is still reached by its number)."""
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
"""Signals that end terminal play as abandoned, with its summary written (Ctrl-C, shutdown, a closed terminal)."""


class Stopped(Exception):
    """A stop signal arrived; the session is ended as abandoned."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class TextPlay:
    def __init__(self, lib: Library, scenario: Scenario, *, trainee: str | None, log_dir: Path | None,
                 mode: str = "practice", timers: str = "on", stdin: TextIO | None = None, stdout: TextIO | None = None,
                 variant: str | None = None, at: str | None = None, settings: dict[str, str] | None = None):
        self.lib = lib
        self.variant = variant
        self.at = at
        """A test run: start at this node with :attr:`settings` applied (``play --text --at NODE --set N=V``)."""
        self.settings = settings or {}
        self.scenario = scenario
        self.trainee = trainee or "trainee"
        self.log_dir = log_dir
        self.mode = mode
        self.timer_factor = TIMER_FACTOR[timers]
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.interactive = self.stdin.isatty()
        self.width = min(shutil.get_terminal_size((88, 24)).columns, 100) - 2
        self.watcher: ScenarioWatcher | None = None
        self._pending: int | None = None
        """A stop signal that arrived while the session was writing its log, acted on right after."""
        self._busy = False
        if self.interactive and scenario.source_path:  # hot reload: an author edits while playing
            source = Path(scenario.source_path)
            self.watcher = ScenarioWatcher(source, lib.rubric, display_path(source))

    @staticmethod
    def pick(lib: Library) -> Scenario | None:
        scenarios = sorted(lib.scenarios.values(), key=lambda s: s.title)
        for i, s in enumerate(scenarios, 1):
            print(f"{i:>3}. {s.title} ({', '.join(s.topics)}; {s.difficulty}; ~{s.minutes} min)")
        line = sys.stdin.readline()
        try:
            return scenarios[int(line.strip()) - 1]
        except (ValueError, IndexError):
            print("no scenario chosen", file=sys.stderr)
            return None

    # --- output helpers ------------------------------------------------------------------------

    def say(self, text: str = "", indent: str = "") -> None:
        if not text:
            print(file=self.out)
            return
        for para in text.strip().split("\n"):
            print(textwrap.fill(para, self.width, initial_indent=indent, subsequent_indent=" " * len(indent)) or "",
                  file=self.out)

    def rule(self) -> None:
        print("-" * min(self.width, 72), file=self.out)

    # --- the loop ------------------------------------------------------------------------------

    def run(self) -> int:
        s = self.scenario
        try:
            draw = variants.choose(s, self.variant)
        except variants.UnknownVariant as exc:
            print(f"commonground: {exc}", file=sys.stderr)
            return 2
        test_run = None
        if self.at is not None:
            try:  # checked before any log is made: a typo is a message, not an empty test log
                test_run = startpoint.test_record(s, self.at, self.settings, draw.variant)
            except startpoint.StartError as exc:
                print(f"commonground: {exc}", file=sys.stderr)
                return 2
        try:
            log = ScoreLog.create(s, self.lib.rubric, trainee=self.trainee, log_dir=self.log_dir, mode=self.mode,
                                  key=academy_key(), variant=draw.variant, seed=draw.seed, test_run=test_run)
        except LogWriteError as exc:
            print(f"commonground: {exc.advice}", file=sys.stderr)
            return 1
        session: Session | None = None
        with self._stop_signals():
            try:
                with self._writing():
                    if self.at is None:
                        session = Session(s, self.lib.rubric, observers=[log.observe], variant=draw.variant,
                                          seed=draw.seed)
                    else:
                        session = Session.begin_at(s, self.lib.rubric, self.at, dict(self.settings),
                                                   observers=[log.observe], variant=draw.variant, seed=draw.seed)
                        self.say(f"Test run: starting at {startpoint.describe(session.test_start)}. It is not "
                                 "counted as training. Type ? to see the state, back to take the last step back.")
                return self._play(session, log)
            except Stopped as exc:
                self._busy = True  # a second signal now waits: the abandoned event and summary are written whole
                self._end(log, session, f"stopped by {exc}")
                self.say()
                self.say(f"Stopped ({exc}); the session was saved as abandoned.")
                print(f"Score log: {log.path}", file=self.out)
                return 128 + exc.signum
            except LogWriteError as exc:
                print(f"commonground: {exc.advice}", file=sys.stderr)
                return 1
            except BrokenPipeError:  # whatever read the output went away: the record is still closed whole
                self._busy = True
                self._end(log, session, "the output was closed")
                return 1
            except EngineError as exc:
                self._busy = True
                self._end(log, session, f"engine error: {exc}")
                print(f"commonground: the scenario stopped unexpectedly ({exc}); the session was saved as "
                      f"abandoned. Run 'commonground validate' on the scenario. Score log: {log.path}",
                      file=sys.stderr)
                return 1

    def _end(self, log: ScoreLog, session: Session | None, reason: str) -> None:
        """Close the record as abandoned, with its summary, however play stopped (if the log can still be written)."""
        if log.closed or log.failure is not None:
            return
        with contextlib.suppress(LogWriteError, EngineError):
            if session is not None:
                session.abandon(reason)
            else:  # the engine stopped before the session existed (its very first node)
                log.observe({"type": "abandoned", "node": self.scenario.start, "turn": 0, "reason": reason})

    @contextlib.contextmanager
    def _stop_signals(self) -> Iterator[None]:
        """Turn stop signals into :class:`Stopped`, raised only outside log writes (never mid-line)."""
        def handler(signum: int, _frame: object) -> None:
            if self._busy:
                self._pending = signum
                return
            raise Stopped(signum)

        previous = {}
        try:
            for name in STOP_SIGNALS:
                if hasattr(signal, name):
                    previous[name] = signal.signal(getattr(signal, name), handler)
        except ValueError:  # not the main thread: signals stay as they were
            pass
        try:
            yield
        finally:
            for name, old in previous.items():
                signal.signal(getattr(signal, name), old)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Session calls write the log: a stop signal waits until the write is done."""
        self._busy = True
        try:
            yield
        finally:
            self._busy = False
        if self._pending is not None:
            raise Stopped(self._pending)

    def _play(self, session: Session, log: ScoreLog) -> int:
        s = self.scenario
        self.say(f"{s.title}  ({', '.join(self.lib.rubric.topics[t].title for t in s.topics)}; "
                 f"{s.difficulty}; about {s.minutes} min)")
        self.say(s.setting, "Setting: ")
        practice = self.mode == "practice"
        self.say("Mode: " + ("practice (feedback after each choice)" if practice else "exam (feedback at the end)"))
        while not session.finished:
            self.show(session)
            step = self.decide(session)
            if step is None:
                with self._writing():
                    session.abandon()
                self.say()
                self.say("Input ended before the scenario did; the session was saved as abandoned.")
                print(f"Score log: {log.path}", file=self.out)
                return 1
            if self.mode == "practice":
                self.feedback(step)
        ending = session.ending
        assert ending is not None
        self.debrief(session, session_card(session))
        print(f"Score log: {log.path}", file=self.out)
        return 0

    def meters_line(self, session: Session) -> str:
        parts = []
        for name, meter in self.scenario.meters.items():
            value = session.values[name]
            parts.append(f"{meters.label(name, meter)}: {value} ({meters.level_word(name, meter, value)})")
        return "  |  ".join(parts)

    def show(self, session: Session) -> None:
        node = session.node
        assert node is not None
        self.say()
        self.rule()
        if node.narration:
            self.say(node.narration)
        if node.line and node.speaker:
            person = self.scenario.people[node.speaker]
            self.say()
            self.say(f'"{node.line}"', f"{person.name.upper()}: ")
        self.say()
        self.say(f"[{self.meters_line(session)}]")
        limit = self.limit(session)
        if limit is not None:
            self.say(f"You have {limit:g} seconds. (Type w to wait and say nothing.)")
        for offer in session.choices:
            self.say(offer.text, f"  {offer.number}. ")

    def limit(self, session: Session) -> float | None:
        tl = session.time_limit
        if tl is None or self.timer_factor is None:
            return None
        return tl.seconds * self.timer_factor

    def reload(self, session: Session) -> bool:
        """Pick up a saved edit of the scenario file; True when the session moved onto the new version.

        A file with errors prints its diagnostics and play goes on with the version already loaded.
        """
        change = self.watcher.poll() if self.watcher else None
        if change is None:
            return False
        if not change.ok:
            self.say()
            self.say("The scenario file was saved with errors; playing on with the last good version:")
            print(format_report(change.diagnostics), file=self.out)
            return False
        assert change.scenario is not None
        with self._writing():
            note = carry_over(session, change.scenario)
        self.scenario = change.scenario
        self.say()
        self.say(f"[{note}]")
        return True

    def decide(self, session: Session) -> Step | None:
        while True:
            if self.reload(session):
                self.show(session)
            count = len(session.choices)
            tl = session.time_limit
            print("> ", end="", file=self.out, flush=True)
            started = time.monotonic()
            line = self.stdin.readline()
            if not line:
                return None
            answer = line.strip().lower()
            if not self.interactive:
                print(answer, file=self.out)
            elapsed = time.monotonic() - started
            if answer == "?":
                self.explain(session)
                continue
            if answer == BACK_WORD and (session.test_start is not None or self.match(session, answer) is None):
                if self.back(session):
                    self.show(session)
                continue
            limit = self.limit(session)
            picked = self.match(session, answer)
            if picked is not None and limit is not None and self.interactive and elapsed > limit:
                self.say(f"Too slow: {elapsed:.0f} s went by, and the moment passed.")
                with self._writing():
                    return session.time_out(elapsed=round(elapsed, 3))
            if picked == "timeout" or (picked is None and tl is not None and answer in WAIT_WORDS):
                self.say("You wait. The moment passes.")
                with self._writing():
                    return session.time_out()
            if picked is not None:
                with self._writing():
                    return session.choose(picked)
            if not answer and self.watcher is not None:
                continue  # Enter on its own checks for a saved edit and shows the node again if there was one
            hint = f"enter a number from 1 to {count} or a choice's id" + (", or w to wait" if tl is not None else "")
            hint += ", ? for the state" + (", back to take the last step back" if session.test_start else "")
            self.say(f"({hint})")

    def back(self, session: Session) -> bool:
        """``back``: the engine takes the last step back (test runs only); True when it did."""
        why = session.undo_refusal
        if why is not None:
            if session.test_start is None:
                why = "'back' is only for test runs (play SCENARIO --text --at NODE); nothing was undone"
            self.say(f"({why[0].upper()}{why[1:]}.)")
            return False
        with self._writing():
            step = session.undo()
        self.say(f"Took back: {step.text.rstrip('.')}. Back at '{session.node_id}', as it was before that step.")
        return True

    def explain(self, session: Session) -> None:
        """``?``: the state (meters, flags, counters, where play has been) and why each choice is or is not offered."""
        values = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in session.values.items())
        self.say(f"State at '{session.node_id}' (turn {session.state.turn}"
                 + (f", variant {session.variant}" if session.variant else "") + f"): {values}")
        if session.state.visited:
            self.say("Visited: " + ", ".join(sorted(session.state.visited)))
        for offer in session.offers():
            condition = offer.choice.when
            if condition is None:
                why = "always offered"
            else:
                why = f"if {condition}: {'holds' if offer.available else 'does not hold, so it is held back'}"
            mark = f"{offer.number}." if offer.available else "-"
            self.say(f"{mark} {offer.id}: {why}", "  ")
        if session.time_limit is not None:
            self.say(f"w. {session.node_id}.timeout: letting the time run out", "  ")
        if session.test_start is not None:
            self.say("Type back to take the last step back" + (f" ({len(session.history)} taken)"
                                                                if session.history else " (none taken yet)") + ".")

    @staticmethod
    def match(session: Session, answer: str) -> int | str | None:
        """What an answer picks: a choice's number, its local or qualified id, or ``timeout``; else None."""
        offered = session.choices
        if answer.isdigit():
            return int(answer) if 1 <= int(answer) <= len(offered) else None
        node = session.node_id
        if session.time_limit is not None and answer in ("timeout", f"{node}.timeout"):
            return "timeout"
        for offer in offered:
            if answer in (offer.id, offer.id.removeprefix(f"{node}.")):
                return offer.id
        return None

    def feedback(self, step: Step) -> None:
        if not step.feedback and not step.scores:
            return
        self.say()
        marks = ", ".join(f"{self.principle_title(ref)} {n:+d}" for ref, n in step.scores.items())
        self.say(step.feedback, "  Feedback: ")
        if marks:
            self.say(marks, "  Principles: ")

    def principle_title(self, ref: str) -> str:
        p = self.lib.rubric.principle(ref)
        return p.title if p else ref

    def debrief(self, session: Session, card: ScoreCard) -> None:
        ending = session.ending
        assert ending is not None
        self.say()
        self.rule()
        if card.critical:  # first, whatever the percentage
            self.say(f"CRITICAL ERRORS ({len(card.critical)}):")
            for c in card.critical:
                self.say(f"{step_text(self.scenario, c.choice)}: {c.reason}", "  ! ")
            self.say()
        self.say(f"ENDING: {ending.title}  (outcome: {ending.outcome.replace('_', ' ')})")
        if ending.narration:
            self.say(ending.narration)
        self.say()
        self.say(ending.debrief)
        self.say()
        pct = card.overall.percent
        self.say(f"Overall: {_pct(pct)}  (pass mark {card.pass_mark}): {'PASSED' if card.passed else 'NOT PASSED'}")
        if card.failing_outcome:
            self.say("This outcome fails the scenario whatever the score.", "  ")
        for t in card.topics:
            self.say(f"{t.title}: {_pct(t.percent)}", "  ")
        for p in card.principles:
            self.say(f"{p.title}: {_pct(p.percent)}", "    ")
        self.say()
        self.say("Your decisions:")
        judged = {j.index: j for j in card.decisions}
        for i, step in enumerate(session.history, 1):
            self.say(f"{step.text}", f"  {i}. ")
            if self.mode == "exam" or step.feedback:
                self.say(step.feedback, "     ")
            j = judged.get(i - 1)
            if j is not None and j.was_best:
                self.say("The best option here.", "     ")
            elif j is not None and j.best_text:
                self.say(f"Best here: {j.best_text}", "     ")


def _pct(value: float | None) -> str:
    return "not assessed" if value is None else f"{value:g}%"
