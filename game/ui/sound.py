"""The optional countdown tick: a short soft tone made in memory (no sound file), silent where there is no audio.

Off by default; the Settings screen turns it on. A machine with no sound device simply stays quiet;
``commonground doctor`` tells the instructor so.
"""

from __future__ import annotations

import math
from array import array

import pygame

RATE = 22050
_tick: pygame.mixer.Sound | None = None
_failed = False


def available() -> str | None:
    """None when the tick can play, else why not (for ``commonground doctor``)."""
    try:
        _init()
    except pygame.error as exc:
        return str(exc)
    return None


def _init() -> None:
    if not pygame.mixer.get_init():
        pygame.mixer.init(frequency=RATE, size=-16, channels=1, buffer=512)


def _make(freq: float = 660.0, seconds: float = 0.09, volume: float = 0.25) -> pygame.mixer.Sound:
    freq_out, _size, channels = pygame.mixer.get_init()
    n = int(freq_out * seconds)
    samples = array("h")
    for i in range(n):
        envelope = min(1.0, i / (0.01 * freq_out)) * (1.0 - i / n)  # soft attack and fade, no click
        value = int(32767 * volume * envelope * math.sin(2 * math.pi * freq * i / freq_out))
        samples.extend([value] * channels)
    return pygame.mixer.Sound(buffer=samples.tobytes())


def tick(last: bool = False) -> bool:
    """Play one tick (a slightly higher one on the final second); False when there is no audio here."""
    global _tick, _failed
    if _failed:
        return False
    try:
        _init()
        if _tick is None:
            _tick = _make()
        sound = _make(880.0) if last else _tick
        sound.play()
    except pygame.error:
        _failed = True
        return False
    return True
