"""The trainee's settings, saved as JSON in the per-user config folder so they hold next time."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from game import userdirs
from game.ui.theme import TEXT_SIZES

FILE = "settings.json"
TIMERS = ("on", "slower", "off")
TIMER_WORDS = {"on": "On", "slower": "Slower (double time)", "off": "Off (wait is a choice)"}


@dataclass
class Settings:
    text_size: int = 1
    high_contrast: bool = False
    timers: str = "on"
    fullscreen: bool = False
    read_aloud: bool = False
    trainee: str = ""
    mode: str = "practice"

    @property
    def text_scale(self) -> float:
        return TEXT_SIZES[self.text_size][1]

    def clean(self) -> Settings:
        """Clamp values a hand-edited file may have got wrong, instead of failing on them."""
        self.text_size = min(max(int(self.text_size), 0), len(TEXT_SIZES) - 1)
        if self.timers not in TIMERS:
            self.timers = "on"
        if self.mode not in ("practice", "exam"):
            self.mode = "practice"
        self.trainee = str(self.trainee)[:60]
        return self


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
    known = {f.name: f.type for f in fields(Settings)}
    values = {k: v for k, v in data.items() if k in known and isinstance(v, (bool, int, str))}
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
