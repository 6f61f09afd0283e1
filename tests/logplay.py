"""Real score logs for tests, made by playing the fixture scenario through the engine (never hand-written)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from game.content.format import Rubric, Scenario
from game.engine.session import Session
from game.engine.variants import choose
from game.records.scorelog import ScoreLog


class Clock:
    """A fake monotonic clock that moves a fixed step every time it is read, so elapsed times are real numbers."""

    def __init__(self, step: float = 2.5):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def play(scenario: Scenario, rubric: Rubric, folder: Path, steps: Sequence[str], *, trainee: str = "t-17",
         key: bytes | None = None, mode: str = "practice", variant: str | None = None,
         seed: int | None = None) -> Path:
    """Play ``steps`` (choice ids, ``wait`` to let the timer run out, ``restart``, ``quit``) and return the log.

    A scenario with variants plays ``variant``, or the one ``seed`` draws (a fresh seed if neither is given).
    """
    draw = choose(scenario, variant, seed)
    log = ScoreLog.create(scenario, rubric, trainee=trainee, log_dir=folder, mode=mode, key=key,
                          variant=draw.variant, seed=draw.seed)
    session = Session(scenario, rubric, observers=[log.observe], clock=Clock(), variant=draw.variant, seed=draw.seed)
    for step in steps:
        if step == "wait":
            session.time_out()
        elif step == "restart":
            session.restart()
        elif step == "quit":
            session.abandon()
        else:
            session.choose(step)
    if not session.finished:
        session.abandon()
    return log.path
