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
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from game.content.format import Choice, Rubric, Scenario, TimeLimit
from game.engine import undo

if TYPE_CHECKING:
    from game.engine.session import Session, Step

SCORING_MODEL = 2
"""The version of this model, written in every log's summary. 1 was normalising against the best path."""
DEFAULT_PASS_MARK = 60


class Taken(NamedTuple):
    """One step as scoring needs it: where, what was taken, and every option offered there."""

    node: str
    choice: str
    options: tuple[str, ...]
    """Ids of the available choices, then ``node.timeout`` when the node is timed."""


@dataclass(slots=True)
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


@dataclass(slots=True)
class CriticalError:
    node: str
    choice: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"node": self.node, "choice": self.choice, "reason": self.reason}


@dataclass(frozen=True, slots=True)
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


class _Index:
    """What scoring looks up in one loaded scenario, filled in as sessions reach each node (kept with it).

    Lookups are per node, so scoring a session touches only the nodes it decided at: its cost follows
    its decisions, not the size of the scenario.
    """

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.nodes: dict[str, dict[str, Step]] = {}
        self.judged: dict[tuple[str, tuple[str, ...], str], Judgement | None] = {}
        self._blank: dict[str, Line] = {}
        self._principles: list[str] | None = None

    def at(self, node_id: str) -> dict[str, Step]:
        """The options of a node (choices and time-out) by qualified id."""
        steps = self.nodes.get(node_id)
        if steps is None:
            node = self.scenario.nodes.get(node_id)
            steps = {} if node is None else {c.qid: c for c in node.choices}
            if node is not None and node.time_limit is not None:
                steps[f"{node_id}.timeout"] = node.time_limit
            self.nodes[node_id] = steps
        return steps

    def step(self, step_id: str) -> Step | None:
        return self.at(step_id.rpartition(".")[0]).get(step_id)

    def blank(self, ref: str, rubric: Rubric) -> Line:
        """The line of a principle nothing has scored yet (it carries the principle's title)."""
        line = self._blank.get(ref)
        if line is None:
            p = rubric.principle(ref)
            line = self._blank[ref] = Line(ref, p.title if p else ref, 0, 0, 0, None)
        return line

    @property
    def principles(self) -> list[str]:
        """The principles the scenario says it teaches (``principles:``); a card lists them all."""
        if self._principles is None:
            self._principles = list(self.scenario.principles)
        return self._principles


def _index(scenario: Scenario) -> _Index:
    derived = scenario._derived  # a pydantic private attribute: fetched once per call, not per lookup
    index = derived.get("scoring")
    if index is None:
        index = derived["scoring"] = _Index(scenario)
    return index


def steps_by_id(scenario: Scenario) -> dict[str, tuple[str, Step]]:
    """Every choice and time-out of the scenario by its qualified id, with its node."""
    known: dict[str, tuple[str, Step]] = {}
    for name, node in scenario.nodes.items():
        for c in node.choices:
            known[c.qid] = (name, c)
        if node.time_limit is not None:
            known[f"{name}.timeout"] = (name, node.time_limit)
    return known


def total(scores: Mapping[str, int]) -> int:
    return sum(scores.values())


def judge(scenario: Scenario, taken: Taken, index: int = 0) -> Judgement | None:
    """``taken`` set beside its options; None when it was no decision (one option) or is not in the scenario."""
    return _judged(_index(scenario), taken, index)


def _judged(idx: _Index, taken: Taken, index: int) -> Judgement | None:
    key = (taken.node, taken.options, taken.choice)
    if key in idx.judged:
        found = idx.judged[key]
    else:
        found = idx.judged[key] = _judge(idx, taken)
    return None if found is None else _at(found, index)


def _at(j: Judgement, index: int) -> Judgement:
    return j if j.index == index else Judgement(index, j.node, j.choice, j.options, j.best, j.compared_with,
                                                j.best_here, j.best_text, j.earned, j.stake)


def _judge(idx: _Index, taken: Taken) -> Judgement | None:
    here = idx.at(taken.node)
    return judge_options(taken.node, {o: here[o] for o in taken.options if o in here}, taken.choice)


def judge_options(node: str, offered: Mapping[str, Step], choice: str, index: int = 0) -> Judgement | None:
    """``choice`` judged against the options ``offered`` at ``node`` (id -> choice or time-out), in order.

    None when there was no decision (fewer than two options) or ``choice`` is not among them. The
    engine calls this as each step is taken, so a finished session is already judged.
    """
    options: dict[str, Mapping[str, int]] = {o: st.scores for o, st in offered.items()}
    if len(options) < 2 or choice not in options:
        return None
    totals = {o: sum(sc.values()) for o, sc in options.items()}
    top = max(totals.values())
    best = tuple(o for o, t in totals.items() if t == top)
    mine = options[choice]
    if choice in best:  # measured against itself: all it puts at stake, it earns
        stake = {p: v for p, v in mine.items() if v > 0}
        return Judgement(index, node, choice, tuple(options), best, choice, None, None, dict(stake), stake)
    chosen: tuple[float, str, dict[str, int], dict[str, int]] | None = None
    for b in best:
        ref = options[b]
        stake, earned = {}, {}
        for p in dict.fromkeys([*ref, *mine]):
            r, got = ref.get(p, 0), mine.get(p, 0)
            e = min(got, r) - min(r, 0)  # r > 0: up to r; r <= 0: only what falls below the best option
            if r > 0 or e < 0:
                stake[p], earned[p] = max(r, 0), e
        total_stake = sum(stake.values())
        share = sum(earned.values()) / total_stake if total_stake else float(sum(earned.values()))
        if chosen is None or share > chosen[0]:
            chosen = (share, b, earned, stake)
    assert chosen is not None
    _, compared, earned, stake = chosen
    recommend = None if top < 0 else compared
    text = offered[recommend].text if recommend else None
    return Judgement(index, node, choice, tuple(options), best, compared, recommend, text, earned, stake)


def step_text(scenario: Scenario, step_id: str) -> str:
    """What the trainee read for an option: a choice's text, or a time-out's ``text``."""
    found = _index(scenario).step(step_id)
    return found.text if found else step_id


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
    idx = _index(scenario)
    tally = Tally()
    for i, t in enumerate(taken):
        step = idx.at(t.node).get(t.choice)
        if step is not None:
            tally.add(t.node, t.choice, step.scores, step.critical, _judged(idx, t, i))
    return _card(scenario, rubric, idx, tally, ending, variant)


class Tally:
    """A session's running score: every step added as it is taken, so the card at the end is ready.

    The engine keeps one per session (:attr:`game.engine.session.Session.tally`); :func:`score` fills
    one from a list of steps. Adding a step costs the same whenever it is done.
    """

    def __init__(self) -> None:
        self.raw: dict[str, int] = {}
        self.earned: dict[str, int] = {}
        self.stake: dict[str, int] = {}
        self.critical: list[CriticalError] = []
        self.judged: list[Judgement] = []
        self.steps = 0

    def add(self, node: str, choice: str, scores: Mapping[str, int], reason: str | None,
            judgement: Judgement | None) -> None:
        raw, earned, stake = self.raw, self.earned, self.stake
        self.steps += 1
        for ref, n in scores.items():
            raw[ref] = raw.get(ref, 0) + n
        if reason:
            self.critical.append(CriticalError(node, choice, reason))
        if judgement is not None:
            self.judged.append(judgement)
            for ref, n in judgement.stake.items():
                stake[ref] = stake.get(ref, 0) + n
                earned[ref] = earned.get(ref, 0) + judgement.earned[ref]

    def card(self, scenario: Scenario, rubric: Rubric, ending: str | None, variant: str | None) -> ScoreCard:
        return _card(scenario, rubric, _index(scenario), self, ending, variant)


def _card(scenario: Scenario, rubric: Rubric, idx: _Index, tally: Tally, ending: str | None,
          variant: str | None) -> ScoreCard:
    """The score card of the steps added up in ``tally``."""
    raw, earned, stake = tally.raw, tally.earned, tally.stake
    refs = list(dict.fromkeys([*idx.principles, *raw, *stake]))
    sums: dict[str, list[int]] = {t: [0, 0, 0] for t in scenario.topics}  # raw, earned, stake
    all_r = all_e = all_s = 0
    principles = []
    for ref in refs:
        if ref not in raw and ref not in stake:  # never scored here: the same "not assessed" line every time
            principles.append(idx.blank(ref, rubric))
            continue
        r, e, s = raw.get(ref, 0), earned.get(ref, 0), stake.get(ref, 0)
        acc = sums.get(ref.partition(".")[0])
        if acc is not None:
            acc[0] += r
            acc[1] += e
            acc[2] += s
        all_r, all_e, all_s = all_r + r, all_e + e, all_s + s
        principles.append(Line(ref, idx.blank(ref, rubric).title, r, e, s, percent(e, s)))
    topics = []
    for topic, (r, e, s) in sums.items():
        title = rubric.topics[topic].title if topic in rubric.topics else topic
        topics.append(Line(topic, title, r, e, s, percent(e, s)))
    overall = Line("overall", "Overall", all_r, all_e, all_s, percent(all_e, all_s))
    return ScoreCard(
        scenario=scenario.id, overall=overall, topics=topics, principles=principles,
        outcome=scenario.endings[ending].outcome if ending in scenario.endings else None, ending=ending,
        variant=variant, pass_mark=scenario.pass_mark if scenario.pass_mark is not None else DEFAULT_PASS_MARK,
        failing_outcome=bool(ending) and scenario.fails(ending), critical=list(tally.critical),
        decisions=list(tally.judged), raw=dict(raw),
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
    """The steps of the last attempt in a log's events: each choice or time-out with the node shown before it.

    Steps a test run took back are left out (:func:`game.engine.undo.withdraw`), as every reader leaves them out.
    """
    out: list[Taken] = []
    shown: Mapping[str, Any] | None = None
    for e in undo.withdraw(events):
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
    """The score card of a session as it stands (views call this at the end).

    Each step was judged and added to the session's :class:`Tally` as it was taken, so this only
    writes out the lines; a history set by hand is added up (or judged) here.
    """
    scenario, history = session.scenario, session.history
    variant = getattr(session, "variant", None)
    tally = getattr(session, "tally", None)
    if tally is None or tally.steps != len(history):  # a history set by hand: add it up (or judge it) now
        if not all(st.judged for st in history):
            return score(scenario, session.rubric, taken_from_history(scenario, history),
                         ending=session.state.ending, variant=variant)
        tally = Tally()
        for st in history:
            tally.add(st.node, st.choice, st.scores, st.critical, st.judgement)
    return _card(scenario, session.rubric, _index(scenario), tally, session.state.ending, variant)


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
