"""Principle scoring, normalised so that a percentage means the same in every scenario.

The formula (documented in ``docs/scoring.md``):

* a step's scores are ``topic.principle: N`` pairs, N from -5 to +5; a playthrough's raw score for
  a principle is the sum over its steps;
* the scenario's *best attainable* for a principle is the highest raw sum any complete path can
  reach for that principle (found by exhaustive exploration of the scenario's states);
* the percentage is ``100 * max(0, raw) / best``, capped at 100; a topic adds up its principles'
  raw scores against the best any single path reaches for that topic; ``overall`` sums every
  principle, against the best attainable total of a single path (the exemplar the debrief shows);
* the outcome category of the ending is reported beside the score, never folded into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from game.analysis import statespace
from game.content.format import Rubric, Scenario
from game.content.gcpause import gc_paused


@dataclass(frozen=True)
class Bounds:
    """What a scenario makes possible: best and worst totals, best per principle, the exemplar path."""

    best_total: int
    worst_total: int
    best_principle: dict[str, int]
    best_topic: dict[str, int]
    best_path: list[str]
    worst_path: list[str]


def scored_principles(scenario: Scenario) -> list[str]:
    """Every principle some step of the scenario scores, in rubric order of first appearance."""
    seen: dict[str, None] = {}
    for node in scenario.nodes.values():
        steps = [*node.choices, *([node.time_limit] if node.time_limit else [])]
        for step in steps:
            for ref in step.scores:
                seen.setdefault(ref)
    return list(seen)


def bounds(scenario: Scenario, *, max_states: int = statespace.DEFAULT_MAX_STATES) -> Bounds:
    """Best and worst attainable scores, computed once per loaded scenario."""
    cached = scenario._derived.get("bounds")
    if cached is not None:
        return cached
    with gc_paused():  # hundreds of thousands of live states: collecting mid-way frees nothing
        return _bounds(scenario, max_states)


def _bounds(scenario: Scenario, max_states: int) -> Bounds:
    graph = statespace.build(scenario, max_states=max_states)
    best = statespace.optimise(graph, statespace.total)
    if best.value[0] == float("-inf"):
        raise statespace.NoEnding(f"no playthrough of '{scenario.id}' reaches an ending")
    worst = statespace.optimise(graph, statespace.total, maximise=False)
    per: dict[str, int] = {}
    for ref in scored_principles(scenario):
        opt = statespace.optimise(graph, lambda s, r=ref: float(s.get(r, 0)))
        per[ref] = int(opt.value[0])
    per_topic: dict[str, int] = {}
    for topic in scenario.topics:
        prefix = topic + "."
        opt = statespace.optimise(graph, lambda s, pre=prefix: float(sum(v for k, v in s.items() if k.startswith(pre))))
        per_topic[topic] = int(opt.value[0])
    result = Bounds(
        best_total=int(best.value[0]),
        worst_total=int(worst.value[0]),
        best_principle=per,
        best_topic=per_topic,
        best_path=[e.step for e in best.path(graph)],
        worst_path=[e.step for e in worst.path(graph)],
    )
    scenario._derived["bounds"] = result
    scenario._derived["graph"] = graph
    scenario._derived["best"] = best
    return result


def percent(raw: int, best: int) -> float | None:
    """``100 * max(0, raw) / best`` rounded to one decimal, capped at 100; None when nothing is attainable."""
    if best <= 0:
        return None
    return round(min(100.0, 100.0 * max(0, raw) / best), 1)


@dataclass(frozen=True)
class Line:
    """One row of a score card: a principle, a topic, or the overall score."""

    key: str
    title: str
    raw: int
    best: int
    percent: float | None


@dataclass(frozen=True)
class ScoreCard:
    overall: Line
    topics: list[Line]
    principles: list[Line]
    outcome: str | None
    ending: str | None
    raw: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def line(x: Line) -> dict[str, Any]:
            return {"raw": x.raw, "best": x.best, "percent": x.percent}

        return {
            "overall": line(self.overall),
            "topics": {t.key: line(t) for t in self.topics},
            "principles": {p.key: line(p) for p in self.principles},
            "outcome": self.outcome,
            "ending": self.ending,
        }


Effect = Literal["helped", "harmed", "mixed", "unscored"]


def step_effect(scores: Mapping[str, int]) -> Effect:
    """How one step counts for the trainee, by the sign of its total: every view and report says it alike.

    ``mixed`` is a step that helped on one principle as much as it harmed on another.
    """
    if not scores:
        return "unscored"
    total = sum(scores.values())
    return "helped" if total > 0 else "harmed" if total < 0 else "mixed"


def sum_scores(steps: Iterable[Mapping[str, int]]) -> dict[str, int]:
    raw: dict[str, int] = {}
    for scores in steps:
        for ref, n in scores.items():
            raw[ref] = raw.get(ref, 0) + n
    return raw


def score_card(scenario: Scenario, rubric: Rubric, steps: Iterable[Mapping[str, int]], *,
               ending: str | None = None) -> ScoreCard:
    """The score of a (possibly unfinished) playthrough, given each step's principle scores."""
    b = bounds(scenario)
    raw = sum_scores(steps)
    principles = []
    for ref in b.best_principle:
        p = rubric.principle(ref)
        principles.append(Line(ref, p.title if p else ref, raw.get(ref, 0), b.best_principle[ref],
                               percent(raw.get(ref, 0), b.best_principle[ref])))
    topics = []
    for topic in scenario.topics:
        t_raw = sum(v for k, v in raw.items() if k.split(".", 1)[0] == topic)
        t_best = b.best_topic.get(topic, 0)
        title = rubric.topics[topic].title if topic in rubric.topics else topic
        topics.append(Line(topic, title, t_raw, t_best, percent(t_raw, t_best)))
    total = sum(raw.values())
    overall = Line("overall", "Overall", total, b.best_total, percent(total, b.best_total))
    outcome = scenario.endings[ending].outcome if ending else None
    return ScoreCard(overall, topics, principles, outcome, ending, raw)
