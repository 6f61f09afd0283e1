"""The trainee's settings, saved as JSON in the per-user config folder so they hold next time.

The file is per computer account, which on an academy workstation many trainees share: it keeps no
one's name after they sign out, only the last scenario each trainee opened (so the picker can offer it
again) and how the window was placed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from game import userdirs
from game.ui.theme import TEXT_SIZES

FILE = "settings.json"
TIMERS = ("on", "slower", "off")
TIMER_WORDS = {"on": "On", "slower": "Slower (double time)", "off": "Off (wait is a choice)"}
READING_SPEEDS: tuple[tuple[str, int], ...] = (("Slow", 120), ("Medium", 180), ("Fast", 240))
"""Words a minute. The reading allowance of a timed moment is its word count at this speed (see README)."""
MAX_REMEMBERED = 500
"""Trainees whose last scenario is kept; the oldest go first."""


@dataclass
class Settings:
    text_size: int = 1
    high_contrast: bool = False
    timers: str = "on"
    fullscreen: bool = False
    read_aloud: bool = False
    trainee: str = ""
    """Only set while someone is signed in through the title screen; cleared on sign-out."""
    mode: str = "practice"
    reading_speed: int = 1
    countdown_sound: bool = False
    window: list[int] = field(default_factory=list)
    """[x, y, width, height] of the window when it last closed; empty until then."""
    last_scenario: dict[str, str] = field(default_factory=dict)
    """Trainee -> id of the scenario they last opened."""

    @property
    def text_scale(self) -> float:
        return TEXT_SIZES[self.text_size][1]

    @property
    def words_per_minute(self) -> int:
        return READING_SPEEDS[self.reading_speed][1]

    def clean(self) -> Settings:
        """Clamp values a hand-edited file may have got wrong, instead of failing on them."""
        self.text_size = min(max(int(self.text_size), 0), len(TEXT_SIZES) - 1)
        self.reading_speed = min(max(int(self.reading_speed), 0), len(READING_SPEEDS) - 1)
        if self.timers not in TIMERS:
            self.timers = "on"
        if self.mode not in ("practice", "exam"):
            self.mode = "practice"
        self.trainee = str(self.trainee)[:60]
        if not (isinstance(self.window, list) and len(self.window) == 4
                and all(isinstance(v, int) and not isinstance(v, bool) for v in self.window)):
            self.window = []
        if not isinstance(self.last_scenario, dict):
            self.last_scenario = {}
        self.last_scenario = {str(k)[:60]: str(v)[:64] for k, v in list(self.last_scenario.items())[-MAX_REMEMBERED:]
                              if isinstance(v, str)}
        return self

    def remember_scenario(self, trainee: str, scenario_id: str) -> None:
        self.last_scenario.pop(trainee, None)
        self.last_scenario[trainee] = scenario_id
        while len(self.last_scenario) > MAX_REMEMBERED:
            self.last_scenario.pop(next(iter(self.last_scenario)))


def path() -> Path:
    return userdirs.config_dir() / FILE


def load() -> Settings:
    """The saved settings, or the defaults when there are none or the file is unreadable."""
    try:
        data: Any = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in data.items() if k in known and isinstance(v, (bool, int, str, list, dict))}
    try:
        return Settings(**values).clean()
    except (TypeError, ValueError):
        return Settings()


def save(settings: Settings) -> None:
    """Write atomically (temp file, then rename) so a crash never leaves half a settings file."""
    target = path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
        tmp.replace(target)
    except OSError:
        pass  # settings are a convenience; never stop play over them
