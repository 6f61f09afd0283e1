"""Meters in words: every view shows a meter's level as a word as well as a number or colour."""

from __future__ import annotations

from game.content.format import Meter

DEFAULT_LEVELS: dict[str, dict[int, str]] = {
    "agitation": {0: "calm", 20: "tense", 40: "agitated", 60: "highly agitated", 80: "at breaking point"},
    "trust": {0: "no trust", 20: "guarded", 40: "cautious", 60: "some trust", 80: "trusting"},
}
GENERIC_LEVELS = {0: "very low", 20: "low", 40: "moderate", 60: "high", 80: "very high"}


def label(name: str, meter: Meter) -> str:
    return meter.label or name.replace("_", " ").capitalize()


def level_word(name: str, meter: Meter, value: int) -> str:
    """The word for a meter's value: the author's levels, else defaults scaled to the meter's bounds."""
    if meter.levels:
        levels = meter.levels
    else:
        base = DEFAULT_LEVELS.get(name, GENERIC_LEVELS)
        span = max(meter.max - meter.min, 1)
        levels = {meter.min + round(k * span / 100): w for k, w in base.items()}
    word = ""
    for threshold in sorted(levels):
        if value >= threshold:
            word = levels[threshold]
    return word or levels[min(levels)]


def fraction(meter: Meter, value: int) -> float:
    """Where the value sits between the bounds, 0.0 to 1.0."""
    return (value - meter.min) / max(meter.max - meter.min, 1)


def is_good(name: str, meter: Meter, value: int) -> bool:
    """Whether the value sits in the better two fifths for the encounter (low agitation, high trust).

    Two fifths, not half, so the colour agrees with the words: agitation 45 reads "agitated" and is
    not shown in the reassuring colour.
    """
    f = fraction(meter, value)
    return f < 0.4 if good_end(name, meter) == "low" else f >= 0.6


def good_end(name: str, meter: Meter) -> str:
    return meter.good or ("low" if name == "agitation" else "high")
