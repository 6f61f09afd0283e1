"""Variants: the same opening turning out differently run to run, drawn so a log can replay it.

A scenario may declare ``variants`` (the subject's temperament, what is really in a hand, who
arrives), each with a weight and start values. A run draws one by weight with a seeded generator; the
seed is written in the log's ``session_start`` event, so ``replay`` and ``debrief`` draw the same one
again. ``play --variant NAME`` and a test plan's ``variant:`` fix it instead (no seed is drawn then).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from game.content.format import Scenario


class UnknownVariant(ValueError):
    """A variant name the scenario does not declare."""


@dataclass(frozen=True)
class Draw:
    """Which variant a run plays, and the seed it was drawn with (None when it was fixed by name)."""

    variant: str | None
    seed: int | None = None


def new_seed() -> int:
    """A fresh seed from the operating system's randomness, small enough for any JSON reader."""
    return random.SystemRandom().randrange(2**31)


def draw(scenario: Scenario, seed: int) -> str | None:
    """The variant ``seed`` draws by weight (in the order the scenario declares them); None without variants."""
    if not scenario.variants:
        return None
    names = list(scenario.variants)
    weights = [scenario.variants[n].weight for n in names]
    return random.Random(seed).choices(names, weights=weights)[0]


def choose(scenario: Scenario, variant: str | None = None, seed: int | None = None) -> Draw:
    """The run's variant: ``variant`` when named (checked; ``seed`` is kept as given), else a draw with
    ``seed`` (a fresh one if None)."""
    if variant is not None:
        check(scenario, variant)
        return Draw(variant, seed)
    if not scenario.variants:
        return Draw(None, None)
    seed = new_seed() if seed is None else seed
    return Draw(draw(scenario, seed), seed)


def check(scenario: Scenario, variant: str) -> None:
    """Raise :class:`UnknownVariant` naming the declared variants when ``variant`` is not one of them."""
    if variant not in scenario.variants:
        known = ", ".join(scenario.variants) or "none"
        raise UnknownVariant(f"scenario '{scenario.id}' has no variant '{variant}' (variants: {known})")


def start_values(scenario: Scenario, variant: str | None) -> dict[str, int | bool]:
    """Every variable's start value: the scenario's, then what the variant sets."""
    values: dict[str, int | bool] = {name: m.start for name, m in scenario.meters.items()}
    values.update(scenario.counters)
    values.update(scenario.flags)
    if variant is not None:
        values.update(scenario.variants[variant].set)
    return values
