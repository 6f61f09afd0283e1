"""Generated scenarios for the scoring properties: a recovery loop, a maze of counters, and random ones.

All use the test rubric (tests/fixtures/lib/topics.yaml: ``calm.distance``, ``calm.listening``,
``fair.voice``) and load through the real loader, so they are scenarios like any other.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

import yaml
from hypothesis import strategies as st

from game.content.diagnostics import LoadError
from game.content.format import Rubric, Scenario
from game.content.loader import link
from game.content.yamlsrc import parse_yaml

PRINCIPLES = ["calm.distance", "calm.listening", "fair.voice"]


def load(data: dict[str, Any], rubric: Rubric) -> Scenario:
    """Load a scenario written as a dict, through the same checks as a file."""
    raw = yaml.safe_dump(data, sort_keys=False).encode()
    src = parse_yaml(raw, f"{data['id']}.yaml")
    scenario = Scenario.model_validate(src.data)
    errors = link(scenario, src, rubric)
    if errors:
        raise LoadError(errors)
    scenario._content_hash = "sha256:" + hashlib.sha256(raw).hexdigest()
    return scenario


def _base(ident: str, title: str) -> dict[str, Any]:
    return {
        "id": ident, "title": title, "summary": "Generated for the scoring tests.", "topics": ["calm", "fair"],
        "setting": "A street.", "objectives": ["Score fairly."], "minutes": 5, "difficulty": "advanced",
        "version": "1", "author": "tests", "sources": ["tests"],
        "people": {"subject": {"name": "Sam", "description": "A person."}},
        "meters": {"agitation": 40, "trust": 30}, "nodes": {},
        "endings": {
            "good": {"outcome": "resolved", "title": "Resolved", "debrief": "Good."},
            "okay": {"outcome": "referral", "title": "Referral", "debrief": "Fine."},
            "bad": {"outcome": "use_of_force", "title": "Force", "debrief": "Avoidable."},
        },
    }


def recovery_loop(moments: int = 10) -> dict[str, Any]:
    """A scene in which a mistake sends the trainee back to an earlier moment (back off, try again).

    Every moment offers a best option (+3), a sound one (+1), and a mistake (-2) that leads to a
    recovery node; backing off there (+2) returns to the moment before, so play can loop as often
    as the trainee keeps making mistakes, and a loop of mistake, recovery and best option scores
    positive each time round. Every third moment is timed; letting it run out is a mistake too.
    """
    data = _base("recovery-loop", "Recovery loop")
    data["start"] = "m0"
    for k in range(moments):
        here, back = f"m{k}", f"m{max(k - 1, 0)}"
        nxt = f"m{k + 1}" if k + 1 < moments else "good"
        p, q = PRINCIPLES[k % 3], PRINCIPLES[(k + 1) % 3]
        node: dict[str, Any] = {"narration": f"Moment {k}.", "choices": [
            {"id": "sound", "text": f"A sound move at moment {k}, done less well than it could be.", "goto":
             nxt if k + 1 < moments else "okay", "scores": {q: 1}, "feedback": "Sound, but not the best."},
            {"id": "best", "text": f"The best move at moment {k}.", "goto": nxt, "scores": {p: 3},
             "effects": {"agitation": -5}, "feedback": "The best here."},
            {"id": "mistake", "text": f"A tempting mistake at {k}.", "goto": f"r{k}", "scores": {p: -2},
             "effects": {"agitation": +15}, "feedback": "It raised the tension."},
        ]}
        if k % 3 == 2:
            node["time_limit"] = {"seconds": 20, "goto": f"r{k}", "scores": {"calm.listening": -1},
                                  "effects": {"agitation": +10}, "feedback": "Silence let it build."}
        data["nodes"][here] = node
        data["nodes"][f"r{k}"] = {"narration": f"It goes wrong at {k}.", "choices": [
            {"id": "back-off", "text": "Back off and start again.", "goto": back, "scores": {"calm.distance": 2},
             "effects": {"agitation": -10}, "feedback": "Backing off lets you try again."},
            {"id": "escalate", "text": "Press on harder.", "goto": "bad", "scores": {"calm.distance": -3},
             "feedback": "Pressing on ends in force."},
        ]}
    return data


def counters_maze(moments: int = 30) -> dict[str, Any]:
    """A scene whose state space is far too big to explore (counters that every step moves), for (e)."""
    data = _base("counters-maze", "Counters maze")
    data["counters"] = {f"c{i}": 0 for i in range(6)}
    data["start"] = "m0"
    for k in range(moments):
        nxt = f"m{k + 1}" if k + 1 < moments else "good"
        data["nodes"][f"m{k}"] = {"narration": f"Step {k}.", "choices": [
            {"id": f"a{i}", "text": f"Option {i} at {k}.", "goto": nxt if i else f"m{k}",
             "effects": {f"c{i}": +1, "agitation": +1}, "scores": {PRINCIPLES[(k + i) % 3]: i - 1},
             "feedback": "Counted."}
            for i in range(4)]}
    return data


def random_scenario(seed: int) -> dict[str, Any]:
    """A small random scene: loops, conditions on a meter, timers, ties, empty scores and variants."""
    rng = random.Random(seed)
    data = _base(f"random-{seed}", f"Random {seed}")
    n = rng.randint(2, 7)
    names = [f"n{i}" for i in range(n)]
    data["start"] = names[0]
    targets = [*names, "good", "okay", "bad"]
    for i, name in enumerate(names):
        choices = []
        for k in range(rng.randint(1, 4)):
            scores = {p: rng.randint(-5, 5) for p in rng.sample(PRINCIPLES, rng.randint(0, 3))}
            choice: dict[str, Any] = {
                "id": f"c{k}", "text": f"Choice {k} at {name}.", "goto": rng.choice(targets),
                "effects": {"agitation": rng.choice([-20, -10, 0, 10, 20])}, "scores": scores,
                "feedback": "Generated."}
            if k and rng.random() < 0.3:
                choice["if"] = f"agitation {rng.choice(['<', '>='])} {rng.choice([30, 50, 70])}"
            if rng.random() < 0.1:
                choice["critical"] = "A generated critical error."
            choices.append(choice)
        if rng.random() < 0.3 and len(choices) > 1:  # a tie, spread over the principles in another order
            left, tie = sum(choices[0]["scores"].values()), {}
            for p in PRINCIPLES[i % 3:] + PRINCIPLES[:i % 3]:
                tie[p] = max(-5, min(5, left))
                left -= tie[p]
            choices[1]["scores"] = {p: v for p, v in tie.items() if v}
        node: dict[str, Any] = {"narration": f"Node {i}.", "choices": choices}
        if rng.random() < 0.3:
            node["time_limit"] = {"seconds": 10, "goto": rng.choice(targets),
                                  "scores": {rng.choice(PRINCIPLES): rng.randint(-3, 1)}}
        data["nodes"][name] = node
    if rng.random() < 0.4:
        data["variants"] = {"calm": {"weight": 2, "description": "Calm.", "set": {"agitation": 20}},
                            "upset": {"weight": 1, "description": "Upset.", "set": {"agitation": 80}}}
    if rng.random() < 0.3:
        data["pass_mark"] = rng.choice([50, 75])
        data["failing_outcomes"] = ["okay"]
    return data


seeds = st.integers(min_value=0, max_value=10**6)
