"""Fair timers: reading time first, then the countdown, paused whenever the trainee cannot see every choice.

A timed moment's clock starts only after a reading allowance: the words on screen (narration, the line
spoken and every choice) at the trainee's reading speed (Settings: 120, 180 or 240 words a minute).
Then the author's time limit runs (doubled by "Timers: slower"). The clock stands still while the pause
menu, the briefing or the people sheet is open, and while some choice is out of view (larger text sizes
can push choices below the fold). The last :data:`LAST_SECONDS` are announced by a different shape, a
large number and, if turned on, a soft tick: never by colour alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

LAST_SECONDS = 5
MIN_READING = 2.0
"""Even a short moment gets this long to take in before the clock starts."""


def word_count(*texts: str | None) -> int:
    return sum(len(re.findall(r"\S+", t)) for t in texts if t)


def reading_allowance(words: int, words_per_minute: int) -> float:
    """Seconds to read ``words`` at the given speed, rounded up to a whole second."""
    return float(max(MIN_READING, math.ceil(words * 60 / max(1, words_per_minute))))


@dataclass
class Countdown:
    reading: float
    """Reading time left before the clock starts."""
    total: float
    remaining: float
    paused: bool = False

    @classmethod
    def start(cls, allowance: float, total: float) -> Countdown:
        return cls(reading=allowance, total=total, remaining=total)

    @property
    def phase(self) -> str:
        """``reading``, ``counting`` or ``over``."""
        if self.reading > 0:
            return "reading"
        return "counting" if self.remaining > 0 else "over"

    @property
    def last_seconds(self) -> bool:
        return self.phase == "counting" and self.remaining <= LAST_SECONDS

    def shown_number(self) -> int:
        """The whole seconds on display: reading time left while reading, then the countdown."""
        return math.ceil(self.reading if self.reading > 0 else self.remaining)

    def advance(self, dt: float, visible: bool) -> bool:
        """Let ``dt`` seconds pass (none while not ``visible``); True when the time has just run out."""
        self.paused = not visible
        if not visible or self.phase == "over":
            return False
        if self.reading > 0:
            used = min(self.reading, dt)
            self.reading -= used
            dt -= used
            if self.reading > 1e-9:
                return False
            self.reading = 0.0
        self.remaining = max(0.0, self.remaining - dt)
        return self.remaining <= 0

    def rescale(self, total: float) -> None:
        """The timer setting changed mid-moment: keep the fraction left."""
        frac = self.remaining / self.total if self.total else 1.0
        self.total, self.remaining = total, total * frac

    def until_change(self, steps: int = 120) -> float:
        """Seconds until the display next changes (a new whole second or a step of the dial)."""
        if self.phase == "over" or self.paused:
            return math.inf
        value = self.reading if self.reading > 0 else self.remaining
        to_second = value - math.floor(value - 1e-9) if value > 0 else 0.0
        if self.reading > 0:
            return max(0.01, to_second)
        step = self.total / steps
        to_step = value - step * math.floor((value - 1e-9) / step)
        return max(1 / 60, min(to_second, to_step))
