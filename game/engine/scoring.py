"""Decision-based scoring: each decision judged against the options offered at that moment only.

The model (``docs/scoring.md`` has it in words, with a worked example):

* A *decision* is a moment the trainee faced with more than one option offered (a timed node's
  "let it run out" counts as an option). A step with one option is not judged, though its raw scores
  are still added up and a critical error on it still counts.
* An option's *total* is the sum of its ``topic.principle`` scores; the decision's *best* options are
  those with the highest total. A choice is measured against the best option nearest to it: itself
  when it is one of them, else the best option that gives it the most credit.
* Per principle ``p``, ``ref`` is what that best option earns on ``p`` and ``got`` what the choice
  earns. When ``ref > 0`` the decision puts ``ref`` points *at stake* on ``p`` and the choice *earns*
  ``min(got, ref)`` of them (below zero when it harms ``p``). When ``ref <= 0`` nothing is at stake on
  ``p``, but a choice that does worse than the best option there loses ``got - ref``.
* A principle's percentage is what it earned over what was at stake, summed over the decisions
  faced (at least 0%); a topic adds up its principles; overall adds up every principle, so it is the
  stake-weighted mean of the topics and lies between the lowest and the highest. Nothing at stake
  and nothing lost: "not assessed" (None); nothing at stake but points lost: 0%.

Scoring a session looks at the options of each decision taken and nothing else, so it costs time in
proportion to the decisions, never to the scenario's state space.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from game.content.format import Choice, Rubric, Scenario, TimeLimit

if TYPE_CHECKING:
    from game.engine.session import Session, Step

SCORING_MODEL = 2
"""The version of this model, written in every log's summary. 1 was normalising against the best path."""
DEFAULT_PASS_MARK = 60


@dataclass(frozen=True)
class Taken:
    """One step as scoring needs it: where, what was taken, and every option offered there."""

    node: str
    choice: str
    options: tuple[str, ...]
    """Ids of the available choices, then ``node.timeout`` when the node is timed."""


@dataclass(frozen=True)
class Judgement:
    """One decision set beside the options offered at it."""

    index: int
    """Position of the step in the session (0-based), forced steps included."""
    node: str
    choice: str
    options: tuple[str, ...]
    best: tuple[str, ...]
    """Every option with the highest total (ties included)."""
    compared_with: str
    """The best option the choice was measured against (the choice itself when it is best)."""
    best_here: str | None
    """The option to recommend: None when the choice was best, or when even the best option scores below zero."""
    best_text: str | None
    earned: dict[str, int]
    stake: dict[str, int]
    """Per principle in play here: the credit earned and the stake (both whole points)."""

    @property
    def was_best(self) -> bool:
        return self.choice in self.best

    @property
    def turn(self) -> int:
        """The step's position (older name of :attr:`index`)."""
        return self.index

    @property
    def taken(self) -> str:
        """The choice taken (older name of :attr:`choice`)."""
        return self.choice

    @property
    def quality(self) -> float | None:
        """Percent of this decision's stake the choice earned; None when nothing was at stake."""
        return percent(sum(self.earned.values()), sum(self.stake.values()))

    def to_json(self) -> dict[str, Any]:
        """As a log's summary records it; ``index`` places it among the steps (forced ones included)."""
        return {"index": self.index, "node": self.node, "choice": self.choice, "best_here": self.best_here,
                "quality": self.quality}


@dataclass(frozen=True)
class CriticalError:
    node: str
    choice: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"node": self.node, "choice": self.choice, "reason": self.reason}


@dataclass(frozen=True)
class Line:
    """One row of a score card: a principle, a topic, or the overall score."""

    key: str
    title: str
    raw: int
    """Sum of the scores of every step taken (forced ones included): what test plans' ``total`` checks."""
    earned: int
    stake: int
    percent: float | None
    """``100 * earned / stake`` to one decimal; None when nothing was in play ("not assessed")."""

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "earned": self.earned, "stake": self.stake, "percent": self.percent}


@dataclass(frozen=True)
class ScoreCard:
    scenario: str
    overall: Line
    topics: list[Line]
    principles: list[Line]
    outcome: str | None
    ending: str | None
    variant: str | None = None
    pass_mark: int = DEFAULT_PASS_MARK
    failing_outcome: bool = False
    """The ending is one the scenario lists as failing (or is rated critical)."""
    critical: list[CriticalError] = field(default_factory=list)
    decisions: list[Judgement] = field(default_factory=list)
    raw: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Overall at or above the pass mark, no critical error, an ending reached and not a failing one."""
        pct = self.overall.percent
        return (self.ending is not None and pct is not None and pct >= self.pass_mark and not self.critical
                and not self.failing_outcome)

    def to_json(self) -> dict[str, Any]:
        """The ``score`` of a log's summary: every figure, so a reader need not re-derive any."""
        return {
            "model": SCORING_MODEL,
            "overall": self.overall.to_json(),
            "topics": {t.key: t.to_json() for t in self.topics},
            "principles": {p.key: p.to_json() for p in self.principles},
            "outcome": self.outcome, "ending": self.ending, "variant": self.variant,
            "pass_mark": self.pass_mark, "failing_outcome": self.failing_outcome, "passed": self.passed,
            "critical": [c.to_json() for c in self.critical],
            "decisions": [d.to_json() for d in self.decisions],
        }

    def public_json(self) -> dict[str, Any]:
        """The score card as ``debrief LOG --json`` prints it (docs/scoring.md: "The score card as JSON")."""
        return public_json(self.to_json(), self.scenario)


def public_json(score: Mapping[str, Any], scenario: str) -> dict[str, Any]:
    """The scripting shape of a model-2 ``score`` (as :meth:`ScoreCard.to_json` writes it)."""
    return {
        "scenario": scenario, "variant": score.get("variant"), "outcome": score.get("outcome"),
        "passed": score.get("passed"), "overall": score["overall"]["percent"],
        "topics": {k: v["percent"] for k, v in score.get("topics", {}).items()},
        "principles": {k: v["percent"] for k, v in score.get("principles", {}).items()},
        "critical": [dict(c) for c in score.get("critical", [])],
        "decisions": [{k: d.get(k) for k in DECISION_KEYS} for d in score.get("decisions", [])],
    }


DECISION_KEYS = ("node", "choice", "best_here", "quality")


# --- one decision ----------------------------------------------------------------------------------

Step = Choice | TimeLimit


def steps_by_id(scenario: Scenario) -> dict[str, tuple[str, Step]]:
    """Every choice and time-out by its qualified id, with its node (worked out once per loaded scenario)."""
    known = scenario._derived.get("steps")
    if known is None:
        known = {}
        for name, node in scenario.nodes.items():
            for c in node.choices:
                known[c.qid] = (name, c)
            if node.time_limit is not None:
                known[f"{name}.timeout"] = (name, node.time_limit)
        scenario._derived["steps"] = known
    return known


def total(scores: Mapping[str, int]) -> int:
    return sum(scores.values())


def judge(scenario: Scenario, taken: Taken, index: int = 0) -> Judgement | None:
    """``taken`` set beside its options; None when it was no decision (one option) or is not in the scenario."""
    cache: dict[tuple[str, tuple[str, ...], str], Judgement | None] = scenario._derived.setdefault("judged", {})
    key = (taken.node, taken.options, taken.choice)
    if key in cache:
        found = cache[key]
        return None if found is None else _at(found, index)
    found = cache[key] = _judge(scenario, taken)
    return None if found is None else _at(found, index)


def _at(j: Judgement, index: int) -> Judgement:
    return j if j.index == index else Judgement(index, j.node, j.choice, j.options, j.best, j.compared_with,
                                                j.best_here, j.best_text, j.earned, j.stake)


def _judge(scenario: Scenario, taken: Taken) -> Judgement | None:
    steps = steps_by_id(scenario)
    options = [(o, steps[o][1]) for o in dict.fromkeys(taken.options) if o in steps]
    if len(options) < 2 or taken.choice not in dict(options):
        return None
    totals = {o: total(s.scores) for o, s in options}
    top = max(totals.values())
    best = tuple(o for o, _ in options if totals[o] == top)
    refs = sorted({p for _, s in options for p in s.scores})
    mine = dict(options)[taken.choice].scores
    candidates = [taken.choice] if taken.choice in best else list(best)
    chosen: tuple[float, str, dict[str, int], dict[str, int]] | None = None
    for b in candidates:
        ref = dict(options)[b].scores
        stake: dict[str, int] = {}
        earned: dict[str, int] = {}
        for p in refs:
            r, got = ref.get(p, 0), mine.get(p, 0)
            e = min(got, r) - min(r, 0)  # r > 0: up to r; r <= 0: only what falls below the best option
            if r > 0 or e < 0:
                stake[p], earned[p] = max(r, 0), e
        s = sum(stake.values())
        share = sum(earned.values()) / s if s else float(sum(earned.values()))
        if chosen is None or share > chosen[0]:
            chosen = (share, b, earned, stake)
    assert chosen is not None
    _, compared, earned, stake = chosen
    recommend = None if taken.choice in best or top < 0 else compared
    return Judgement(0, taken.node, taken.choice, tuple(o for o, _ in options), best, compared, recommend,
                     step_text(scenario, recommend) if recommend else None, earned, stake)


def step_text(scenario: Scenario, step_id: str) -> str:
    """What the trainee read for an option: a choice's text, or a time-out's ``text``."""
    found = steps_by_id(scenario).get(step_id)
    return found[1].text if found else step_id


# --- a session ------------------------------------------------------------------------------------

def percent(earned: int, stake: int) -> float | None:
    """``100 * earned / stake`` to one decimal, at least 0; with no stake, 0 after a harm, else None."""
    if stake <= 0:
        return 0.0 if earned < 0 else None
    return round(100.0 * max(0, min(earned, stake)) / stake, 1)


def scored_principles(scenario: Scenario) -> list[str]:
    """Every principle some step of the scenario scores, in order of first appearance."""
    seen: dict[str, None] = {}
    for node in scenario.nodes.values():
        for step in (*node.choices, *([node.time_limit] if node.time_limit else [])):
            for ref in step.scores:
                seen.setdefault(ref)
    return list(seen)


def score(scenario: Scenario, rubric: Rubric, taken: Sequence[Taken], *, ending: str | None = None,
          variant: str | None = None) -> ScoreCard:
    """The score card of a (possibly unfinished) playthrough, from the steps it took in order."""
    steps = steps_by_id(scenario)
    raw: dict[str, int] = {}
    earned: dict[str, int] = {}
    stake: dict[str, int] = {}
    critical: list[CriticalError] = []
    judged: list[Judgement] = []
    for i, t in enumerate(taken):
        found = steps.get(t.choice)
        if found is None:
            continue
        step = found[1]
        for ref, n in step.scores.items():
            raw[ref] = raw.get(ref, 0) + n
        if step.critical:
            critical.append(CriticalError(t.node, t.choice, step.critical))
        j = judge(scenario, t, i)
        if j is None:
            continue
        judged.append(j)
        for ref, s in j.stake.items():
            stake[ref] = stake.get(ref, 0) + s
            earned[ref] = earned.get(ref, 0) + j.earned[ref]
    refs = list(dict.fromkeys([*scored_principles(scenario), *raw, *stake]))

    def line(key: str, title: str, members: Iterable[str]) -> Line:
        ms = list(members)
        e, s = sum(earned.get(r, 0) for r in ms), sum(stake.get(r, 0) for r in ms)
        return Line(key, title, sum(raw.get(r, 0) for r in ms), e, s, percent(e, s))

    principles = []
    for ref in refs:
        p = rubric.principle(ref)
        principles.append(line(ref, p.title if p else ref, [ref]))
    topics = []
    for topic in scenario.topics:
        title = rubric.topics[topic].title if topic in rubric.topics else topic
        topics.append(line(topic, title, [r for r in refs if r.split(".", 1)[0] == topic]))
    overall = line("overall", "Overall", refs)
    return ScoreCard(
        scenario=scenario.id, overall=overall, topics=topics, principles=principles,
        outcome=scenario.endings[ending].outcome if ending in scenario.endings else None, ending=ending,
        variant=variant, pass_mark=scenario.pass_mark if scenario.pass_mark is not None else DEFAULT_PASS_MARK,
        failing_outcome=bool(ending) and scenario.fails(ending), critical=critical, decisions=judged, raw=raw,
    )


def taken_from_history(scenario: Scenario, history: Iterable[Step]) -> list[Taken]:
    """The steps of a :class:`~game.engine.session.Session`'s history, with the options each had."""
    out = []
    for st in history:
        node = scenario.nodes.get(st.node)
        timed = node is not None and node.time_limit is not None
        out.append(Taken(st.node, st.choice, (*st.offered, *((f"{st.node}.timeout",) if timed else ()))))
    return out


def taken_from_events(events: Iterable[Mapping[str, Any]]) -> list[Taken]:
    """The steps of the last attempt in a log's events: each choice or time-out with the node shown before it."""
    out: list[Taken] = []
    shown: Mapping[str, Any] | None = None
    for e in events:
        kind = e.get("type")
        if kind == "node":
            shown = e
        elif kind == "restart":
            out.clear()
            shown = None
        elif kind in ("choice", "timeout"):
            node = str(e.get("node"))
            options: tuple[str, ...] = ()
            if shown is not None and shown.get("node") == node:
                options = tuple(str(o) for o in shown.get("offered") or ())
                if shown.get("time_limit"):
                    options += (f"{node}.timeout",)
            out.append(Taken(node, str(e.get("choice")), options))
            shown = None
    return out


def session_card(session: Session) -> ScoreCard:
    """The score card of a session as it stands (views call this at the end)."""
    scenario = session.scenario
    return score(scenario, session.rubric, taken_from_history(scenario, session.history),
                 ending=session.state.ending, variant=getattr(session, "variant", None))


Effect = Literal["helped", "harmed", "mixed", "unscored"]


def step_effect(scores: Mapping[str, int]) -> Effect:
    """How one step counts for the trainee, by the sign of its total: every view and report says it alike.

    ``mixed`` is a step that helped on one principle as much as it harmed on another.
    """
    if not scores:
        return "unscored"
    t = total(scores)
    return "helped" if t > 0 else "harmed" if t < 0 else "mixed"


def sum_scores(steps: Iterable[Mapping[str, int]]) -> dict[str, int]:
    raw: dict[str, int] = {}
    for scores in steps:
        for ref, n in scores.items():
            raw[ref] = raw.get(ref, 0) + n
    return raw
