"""Generated scenarios for benchmarks: large, valid, and shaped like hand-written ones.

Uses the test rubric (tests/fixtures/lib/topics.yaml: topics ``calm`` and ``fair``).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "tests" / "fixtures" / "lib" / "topics.yaml"
PRINCIPLES = ["calm.distance", "calm.listening", "fair.voice"]
_TEXT = ("the officer keeps a calm voice and steps back while the neighbour explains what happened "
         "near the fence earlier this evening before the rain started")
WORDS = tuple(_TEXT.split(" "))


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def scenario(nodes: int, seed: int = 1, ident: str = "generated") -> dict:
    """A scenario with ``nodes`` nodes in a forward-branching chain, about 500 bytes of YAML a node."""
    rng = random.Random(seed)
    ids = [f"n{i}" for i in range(nodes)]
    data: dict = {
        "id": ident, "title": f"Generated {nodes}", "summary": "A generated benchmark scenario.",
        "topics": ["calm", "fair"], "setting": "Nowhere.", "objectives": ["Be fast."], "minutes": 5,
        "difficulty": "advanced", "version": "1", "author": "bench", "sources": ["bench"],
        "people": {"subject": {"name": "Sam", "description": "A person."}},
        "meters": {"agitation": 50, "trust": 50}, "flags": {"asked": False}, "counters": {"steps": 0},
        "start": ids[0], "nodes": {},
        "endings": {"good": {"outcome": "resolved", "title": "Good", "debrief": "Good."},
                    "bad": {"outcome": "complaint", "title": "Bad", "debrief": "Bad."}},
    }
    for i, nid in enumerate(ids):
        nxt = [ids[j] if j < nodes else ("good" if k == 0 else "bad") for k, j in enumerate((i + 1, i + 2, i + 3))]
        node: dict = {"narration": _sentence(rng, 10), "speaker": "subject", "line": _sentence(rng, 6),
                      "choices": []}
        for k in range(3):
            choice: dict = {"id": f"c{k}", "text": _sentence(rng, 5), "goto": nxt[k],
                            "effects": {"agitation": rng.choice([-5, 5])},
                            "scores": {rng.choice(PRINCIPLES): rng.choice([-1, 1, 2])},
                            "feedback": _sentence(rng, 4)}
            if k == 2:
                choice["if"] = "agitation < 60 and not asked"
            node["choices"].append(choice)
        if i % 10 == 0:
            node["branches"] = [{"if": "agitation >= 95", "goto": nxt[0], "note": "Too agitated."}]
        if i % 25 == 0:
            node["time_limit"] = {"seconds": 20, "goto": nxt[0], "scores": {"calm.listening": -1}}
        data["nodes"][nid] = node
    return data


def write(data: dict, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=100), encoding="utf-8")
    return path
