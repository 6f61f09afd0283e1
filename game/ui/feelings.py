"""Whose meters are whose, and how a person looks given their meters' levels.

Meters are not declared per person in the format, so ownership is read from what the trainee already
sees: a label written as a possessive names its person (``Kara's agitation``, ``Dolan's temper``,
``Jalen's breathing``), ``Your ...`` is the trainee's own, a possessive naming nobody in ``people:``
belongs to the scene (``Room's anger``), and a meter with no possessive is the subject's.

A face follows the words of the meters' bands: a band called ``frightened`` or ``overwhelming`` shows
distress, ``boiling`` or ``highly agitated`` shows agitation, ``guarded`` or ``no trust`` shows a
guarded face. Words the table does not know fall back on where the band sits between the meter's
good and bad ends.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from game.content.format import Meter, Scenario
from game.engine import meters

YOU = "you"
"""Owner key of meters about the trainee (``Your defensiveness``)."""

EXPRESSIONS = ("calm", "guarded", "uneasy", "agitated", "very agitated", "distressed", "unresponsive")
"""Every expression a portrait can take, from calmest; the order is also how strongly each one shows."""
SEVERITY = {"calm": 0, "guarded": 1, "uneasy": 2, "agitated": 3, "distressed": 3, "very agitated": 4,
            "unresponsive": 5}

WORDS: list[tuple[str, str]] = [
    (r"not breathing|barely breathing|unconscious|unresponsive", "unresponsive"),
    (r"highly agitated|breaking point|boiling|furious|rage|explosive|combative|hostile|fed up", "very agitated"),
    (r"terrif|frighten|fear|scared|afraid|panic|distress|overwhelm|reliving|despair|crying|sobbing|crisis|"
     r"shut ?down|anguish", "distressed"),
    (r"agitat|angry|anger|frustrat|temper|irate|upset", "agitated"),
    (r"tense|uneasy|nervous|on edge|impatient|worried|anxious|coming back|restless|irritat", "uneasy"),
    (r"no trust|distrust|mistrust|guarded|wary|cautious|suspicious|defensive|closed|sceptical|skeptical", "guarded"),
    (r"calm|settled|steady|trust|present|open|relaxed|breathing|manageable|at ease|quiet|grounded|composed", "calm"),
]
FAMILY_WORDS: list[tuple[str, str]] = [
    (r"breath|conscious", "unresponsive"),
    (r"fear|anx|distress|sensory|panic|present|overwhelm|scared", "distressed"),
    (r"trust|rapport|confidence", "guarded"),
]
TITLES = ("officer", "sergeant", "sgt", "deputy", "detective", "lieutenant", "captain", "paramedic", "reverend",
          "imam", "rabbi", "father", "pastor", "dr", "doctor", "nurse", "mr", "mrs", "ms", "miss", "interpreter")


def _fold(text: str) -> str:
    """Lower case without accents, so ``Lucía's`` matches ``Lucia``."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _names(scenario: Scenario) -> dict[str, str]:
    """Every way a label may name a person (key, full name, first and last name) -> person key."""
    found: dict[str, str] = {}
    for key, person in scenario.people.items():
        words = [w for w in re.findall(r"[\w'-]+", _fold(person.name)) if w not in TITLES]
        for name in (key, _fold(person.name), " ".join(words), *(words[:1]), *(words[-1:])):
            found.setdefault(_fold(name), key)
    return found


def owner(scenario: Scenario, key: str, meter: Meter) -> str | None:
    """The person key a meter describes, :data:`YOU`, or None for the scene as a whole."""
    label = _fold(meters.label(key, meter))
    if label.startswith("your "):
        return YOU
    m = re.match(r"^(.+?)['’]s? ", label)
    names = _names(scenario)
    if m:
        return names.get(m.group(1).strip())
    if _fold(key) in scenario.people:
        return _fold(key)
    return "subject" if "subject" in scenario.people else None


def owners(scenario: Scenario) -> dict[str, str | None]:
    """Meter key -> owner, for every meter of the scenario (worked out once per loaded scenario)."""
    found = scenario._derived.get("ui.owners")
    if found is None:
        found = {key: owner(scenario, key, meter) for key, meter in scenario.meters.items()}
        scenario._derived["ui.owners"] = found
    return found


def short_label(scenario: Scenario, key: str) -> str:
    """The meter's label as shown under its owner's name: ``Kara's agitation`` -> ``Agitation``."""
    meter = scenario.meters[key]
    label = meters.label(key, meter)
    m = re.match(r"^(.+?)['’]s? (.+)$", label)
    if m and owners(scenario).get(key) not in (None, YOU) and _names(scenario).get(_fold(m.group(1)).strip()):
        rest = m.group(2)
        return rest[:1].upper() + rest[1:]
    return label


def meters_of(scenario: Scenario, person: str | None) -> list[str]:
    return [k for k, who in owners(scenario).items() if who == person]


def badness(name: str, meter: Meter, value: int) -> float:
    """0.0 at the meter's good end, 1.0 at its bad end."""
    f = max(0.0, min(1.0, meters.fraction(meter, value)))
    return f if meters.good_end(name, meter) == "low" else 1.0 - f


def _match(table: list[tuple[str, str]], text: str) -> str | None:
    folded = _fold(text)
    for pattern, value in table:
        if re.search(pattern, folded):
            return value
    return None


def meter_expression(name: str, meter: Meter, value: int) -> tuple[str, float]:
    """The expression one meter calls for, and how far toward its bad end it is."""
    bad = badness(name, meter, value)
    word = meters.level_word(name, meter, value)
    found = _match(WORDS, word)
    if found is not None:
        return found, bad
    family = _match(FAMILY_WORDS, f"{name} {meters.label(name, meter)}") or "agitated"
    if bad < 0.3:
        return "calm", bad
    if family == "guarded":
        return "guarded", bad
    if bad < 0.5:
        return "uneasy", bad
    if family == "agitated" and bad >= 0.8:
        return "very agitated", bad
    return family, bad


@dataclass(frozen=True)
class Feeling:
    expression: str
    because: str | None
    """The meter key that decided it (None for someone with no meters)."""


def feeling(scenario: Scenario, person: str, values: dict[str, int]) -> Feeling:
    """A person's expression from their own meters: the strongest one shows, ties to the one further along."""
    best: tuple[int, float, str, str] | None = None
    for key in meters_of(scenario, person):
        meter = scenario.meters[key]
        expr, bad = meter_expression(key, meter, int(values.get(key, meter.start)))
        rank = (SEVERITY[expr], bad, expr, key)
        if best is None or rank[:2] > best[:2]:
            best = rank
    if best is None:
        return Feeling("calm", None)
    return Feeling(best[2], best[3])
