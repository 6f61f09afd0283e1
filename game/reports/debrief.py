"""A debrief of one session, built from its score log (and the scenario, when the library has it).

This is the data every view of a debrief shows: the terminal summary, the HTML report and
``debrief --json`` read it; none works anything out for itself. The log is the record: scores,
critical errors, ``passed`` and the best option at each decision come from its summary (re-scored from
the logged choices when it was scored under an older model and the scenario text is the same:
:mod:`game.records.rescore`), meters from the states it logged; the scenario adds the words (lines,
feedback). When the scenario text changed since the session (its content hash differs), that is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from game.content.format import Rubric, Scenario
from game.engine import meters, undo
from game.engine.scoring import step_text
from game.records.integrity import SCORING_FAILURES
from game.records.logread import LogRead
from game.records.rescore import LEGACY, NONE, SessionScore, session_score
from game.records.verify import Verdict


@dataclass
class MeterReading:
    name: str
    label: str
    value: int
    word: str


@dataclass
class Moment:
    """One decision in the timeline."""

    number: int
    node: str
    speaker: str
    line: str
    kind: str
    choice: str
    text: str
    elapsed: float | None
    time_limit: float | None
    before: list[MeterReading]
    after: list[MeterReading]
    scores: dict[str, int]
    feedback: str
    best: str | None = None
    """The option to recommend here (the decision's best option), or None."""
    best_text: str | None = None
    branches: list[str] = field(default_factory=list)
    judged: bool = False
    """A decision (more than one option offered) that the score judged."""
    quality: float | None = None
    """Percent of this decision's stake the choice earned (None: not judged, or nothing at stake)."""
    was_best: bool = True
    """The choice was the decision's best option (ties included), or no judgement says otherwise."""
    critical: str | None = None
    """The reason, when this step was a critical error."""


@dataclass
class ScoreRow:
    key: str
    title: str
    raw: int
    percent: float | None
    level: str
    """overall, topic or principle."""
    detail: str = ""
    """The points behind the percentage, in words: ``5 of 7 points at stake``."""


@dataclass
class ReviewItem:
    phase: str
    """The step of the Critical Decision-Making Model the question belongs to."""
    question: str
    nodes: list[str]
    """The decisions it follows up where this trainee lost points."""


@dataclass
class CriticalRow:
    node: str
    choice: str
    text: str
    reason: str


@dataclass
class Debrief:
    path: str
    session: str
    trainee: str
    scenario_id: str
    title: str
    mode: str
    started: str
    status: str
    outcome: str | None
    ending: str | None
    ending_title: str | None
    ending_text: str | None
    scores: list[ScoreRow]
    moments: list[Moment]
    meter_series: dict[str, list[int]]
    meter_bounds: dict[str, tuple[int, int]]
    visits: list[str]
    duration: float | None
    restarts: int
    verdict: Verdict
    warnings: list[str] = field(default_factory=list)
    scenario: Scenario | None = None
    variant: str | None = None
    passed: bool | None = None
    pass_mark: int | None = None
    failing_outcome: bool = False
    critical: list[CriticalRow] = field(default_factory=list)
    score: SessionScore | None = None
    notes: list[str] = field(default_factory=list)
    """Where the figures come from, when it needs saying (re-scored; logged under an older model)."""
    review: list[ReviewItem] = field(default_factory=list)
    """The scenario's after-action questions that follow up a decision where the trainee lost points."""

    @property
    def verified(self) -> bool:
        """Signed with the academy key and whole: the only record that can be called verified."""
        return self.verdict.status == "verified"

    @property
    def integrity(self) -> str:
        """``verified``, ``unsigned`` (edits cannot be detected) or ``failed``."""
        return self.verdict.status

    @property
    def deciding(self) -> float | None:
        """Seconds the trainee spent on their decisions: from each node shown to the choice made."""
        times = [m.elapsed for m in self.moments if m.elapsed is not None]
        return sum(times) if times else None

    @property
    def overall(self) -> ScoreRow | None:
        return next((r for r in self.scores if r.level == "overall"), None)

    def to_json(self) -> dict[str, Any]:
        """The score card for scripts (``debrief LOG --json``; docs/scoring.md gives the shape)."""
        if self.score is None or self.score.score is None:
            return {"scenario": self.scenario_id, "variant": self.variant, "outcome": self.outcome, "passed": None,
                    "overall": None, "topics": {}, "principles": {}, "critical": [], "decisions": []}
        return self.score.public_json(self.scenario_id)

    def result_lines(self) -> list[str]:
        """Passed or not, and every reason, in words (critical errors first)."""
        if self.passed is None:
            return ["result: not scored (no summary, and the scenario is not here to score the choices)"]
        why = []
        for c in self.critical:
            why.append(f"critical error at '{c.node}': {c.reason}")
        if self.failing_outcome:
            why.append(f"the outcome ({(self.outcome or '').replace('_', ' ')}) fails this scenario")
        if self.status != "completed":
            why.append(f"the session was {self.status}")
        row = self.overall
        pct = row.percent if row else None
        mark = self.pass_mark if self.pass_mark is not None else 60
        if pct is None:
            why.append("nothing was assessed")
        elif pct < mark:
            why.append(f"overall {pct:g}% is below the pass mark of {mark}")
        if self.passed:
            return [f"result: PASSED (overall {pct:g}%, pass mark {mark}; no critical error)"]
        return ["result: NOT PASSED", *[f"  - {w}" for w in why]]


def _parse_ts(text: str | None) -> datetime | None:
    """A logged time, always in UTC (a time written without a zone is taken as UTC, as the writer means)."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


def _readings(scenario: Scenario | None, values: dict[str, Any], names: list[str]) -> list[MeterReading]:
    out = []
    for name in names:
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        meter = scenario.meters.get(name) if scenario else None
        label = meters.label(name, meter) if meter else name.replace("_", " ").capitalize()
        word = meters.level_word(name, meter, value) if meter else ""
        out.append(MeterReading(name, label, value, word))
    return out


def _step_words(scenario: Scenario | None, step_id: str) -> tuple[str, str]:
    """(text, feedback) of a choice or time-out, from the scenario; the id alone when it is not there."""
    if scenario is None:
        return step_id, ""
    node_id, _, local = step_id.rpartition(".")
    node = scenario.nodes.get(node_id)
    if node is None:
        return step_id, ""
    if local == "timeout" and node.time_limit is not None:
        return node.time_limit.text, node.time_limit.feedback
    choice = next((c for c in node.choices if c.qid == step_id), None)
    return (choice.text, choice.feedback) if choice else (step_id, "")


def _last_attempt(log: LogRead) -> tuple[list[dict[str, Any]], int]:
    """The events after the last restart (the attempt the summary scores), less the steps a test run took
    back, and how many restarts there were."""
    events = log.events
    starts = [i for i, e in enumerate(events) if e["type"] == "restart"]
    attempt = events[starts[-1] + 1:] if starts else events[1:]
    return undo.withdraw(attempt), len(starts)


def _scores(sc: SessionScore, rubric: Rubric | None) -> list[ScoreRow]:
    score = sc.score
    if not score:
        return []
    principles = dict(score.get("principles", {}))
    rows = [_row("overall", "Overall", score["overall"], "overall", sc)]
    for key, line in score.get("topics", {}).items():  # each topic, then its own principles
        title = rubric.topics[key].title if rubric and key in rubric.topics else key
        rows.append(_row(key, title, line, "topic", sc))
        for ref in [r for r in principles if r.split(".", 1)[0] == key]:
            rows.append(_principle_row(ref, principles.pop(ref), rubric, sc))
    rows += [_principle_row(ref, line, rubric, sc) for ref, line in principles.items()]
    return rows


def _row(key: str, title: str, line: dict[str, Any], level: str, sc: SessionScore) -> ScoreRow:
    if sc.source == LEGACY:
        detail = f"{line.get('raw', 0):+d} of a best {line.get('best', 0)}"
    elif line.get("stake"):
        detail = f"{line.get('earned', 0)} of {line['stake']} point{'s' if line['stake'] != 1 else ''} at stake"
    elif line.get("percent") is None:
        detail = "not assessed: never at stake"
    else:
        detail = f"{line.get('earned', 0)} points, none at stake"
    return ScoreRow(key, title, int(line.get("raw", 0)), line.get("percent"), level, detail)


def _principle_row(ref: str, line: dict[str, Any], rubric: Rubric | None, sc: SessionScore) -> ScoreRow:
    p = rubric.principle(ref) if rubric else None
    return _row(ref, p.title if p else ref, line, "principle", sc)


def build(log: LogRead, scenario: Scenario | None, rubric: Rubric | None, verdict: Verdict) -> Debrief:
    """Put the debrief together; every gap (no scenario, changed scenario, unverified log) becomes a warning."""
    start = log.start
    warnings: list[str] = []
    if not verdict.ok:
        warnings.append("UNVERIFIED: this log failed its integrity check, so it may have been altered: "
                        + "; ".join(f"line {i.line}: {i.kind}: {i.message}" for i in verdict.issues[:5]))
    elif verdict.status == "unsigned":
        warnings.append("unsigned: edits cannot be detected (no academy key signs these logs, so anyone could have "
                        "edited this record and recomputed its chain; see docs/score-log.md, Keys)")
    if scenario is None:
        warnings.append(f"the scenario '{start.get('scenario')}' is not in the library: the debrief shows what the "
                        "log holds (no feedback, best choices or graph)")
    elif start.get("content_hash") != scenario.content_hash:
        warnings.append(f"the scenario '{scenario.id}' changed since this session (content hash "
                        f"{str(start.get('content_hash'))[:19]} in the log, {scenario.content_hash[:19]} in the "
                        "library): the lines and feedback shown come from the current text")
    if any(True for _ in log.of_type("reload")):
        warnings.append("the scenario was hot-reloaded during this session")
    test_run = start.get("test_run")
    if isinstance(test_run, dict):
        values = ", ".join(f"{k}={v}" for k, v in (test_run.get("set") or {}).items())
        back = undo.undone(log.events)
        warnings.append(f"a test run: it started at '{test_run.get('at')}'" + (f" with {values}" if values else "")
                        + ", not at the beginning, so it is not a training record and cohort leaves it out"
                        + (f"; {back} step{'s' if back != 1 else ''} taken back with 'back' (left out here)"
                           if back else ""))
    if log.truncated:
        warnings.append("the log's last line was cut off (the program stopped mid-write)")
    attempt, restarts = _last_attempt(log)
    names = list(scenario.meters) if scenario else []
    first_state = next((e["state"] for e in attempt if e["type"] in ("node", "ending")), None)
    if not names and first_state:
        names = [k for k, v in first_state["values"].items() if isinstance(v, int) and not isinstance(v, bool)]
    try:
        sc = session_score(log, scenario, rubric)
    except SCORING_FAILURES as exc:  # a changed or broken scenario: show what the log holds, unscored
        sc = SessionScore(None, NONE, None)
        warnings.append(f"the session could not be scored against the current scenario ({exc})")
    notes = [sc.note] if sc.note and sc.source != LEGACY else []
    if sc.source == LEGACY:
        warnings.append(sc.note)
    judged = {int(d["index"]): d for d in sc.decisions if isinstance(d.get("index"), int)}
    critical_at = {(c["node"], c["choice"]): c["reason"] for c in sc.critical}
    moments: list[Moment] = []
    series: dict[str, list[int]] = {n: [] for n in names}
    state_before: dict[str, Any] | None = None
    visits: list[str] = []
    pending: Moment | None = None
    for e in attempt:
        if e["type"] in ("node", "ending") and "state" in e:
            values = e["state"].get("values", {})
            if pending is not None:
                pending.after = _readings(scenario, values, names)
                pending = None
            for n in names:
                if isinstance(values.get(n), int):
                    series[n].append(values[n])
            state_before = values
            visits.append(e["node"] if e["type"] == "node" else e["ending"])
        elif e["type"] == "branch":
            if not visits or visits[-1] != e.get("node"):
                visits.append(str(e.get("node")))
            if pending is None:
                continue
            pending.branches.append(f"{e.get('node')} → {e.get('goto')}" + (f" (when {e['condition']})"
                                                                             if e.get("condition") else ""))
        elif e["type"] in ("choice", "timeout"):
            node = scenario.nodes.get(e["node"]) if scenario else None
            speaker = ""
            if node and node.speaker and scenario and node.speaker in scenario.people:
                speaker = scenario.people[node.speaker].name
            text, feedback = _step_words(scenario, e["choice"])
            number = len(moments)
            d = judged.get(number)
            best = d.get("best_here") if d else None
            pending = Moment(
                number=number + 1, node=e["node"], speaker=speaker, line=(node.line or "") if node else "",
                kind=e["type"], choice=e["choice"], text=text, elapsed=e.get("elapsed"),
                time_limit=node.time_limit.seconds if node and node.time_limit else None,
                before=_readings(scenario, state_before or {}, names), after=[], scores=dict(e.get("scores", {})),
                feedback=feedback, best=best,
                best_text=(step_text(scenario, best) if scenario else best) if best else None,
                judged=d is not None, quality=d.get("quality") if d else None,
                was_best=d is None or (best is None and d.get("quality") in (None, 100.0)),
                critical=critical_at.get((e["node"], e["choice"])))
            moments.append(pending)
    summary = log.summary or {}
    ending_id = summary.get("ending") or next((e["ending"] for e in log.of_type("ending")), None)
    ending = scenario.endings.get(ending_id) if scenario and ending_id else None
    t0, t1 = _parse_ts(start.get("ts")), _parse_ts(log.events[-1].get("ts"))
    bounds = {n: (scenario.meters[n].min, scenario.meters[n].max) if scenario else (0, 100) for n in names}
    return Debrief(
        path=log.path, session=start.get("session", ""), trainee=str(start.get("trainee", "")),
        scenario_id=str(start.get("scenario", "")), title=str(start.get("title", start.get("scenario", ""))),
        mode=str(start.get("mode", "")), started=str(start.get("ts", "")),
        status=summary.get("status", "unfinished"), outcome=summary.get("outcome") or (
            scenario.endings[ending_id].outcome if ending else None),
        ending=ending_id, ending_title=ending.title if ending else ending_id,
        ending_text=ending.debrief if ending else None, scores=_scores(sc, rubric),
        moments=moments, meter_series={meters.label(n, scenario.meters[n]) if scenario else n: v
                                       for n, v in series.items()},
        meter_bounds={meters.label(n, scenario.meters[n]) if scenario else n: b for n, b in bounds.items()},
        visits=visits, duration=(t1 - t0).total_seconds() if t0 and t1 else None, restarts=restarts,
        verdict=verdict, warnings=warnings, scenario=scenario,
        variant=start.get("variant") if isinstance(start.get("variant"), str) else None,
        passed=sc.passed, pass_mark=(sc.score or {}).get("pass_mark") or (
            scenario.pass_mark if scenario is not None and scenario.pass_mark is not None else None),
        failing_outcome=bool((sc.score or {}).get("failing_outcome")) or (
            scenario is not None and bool(ending_id) and scenario.fails(str(ending_id))),
        critical=[CriticalRow(c["node"], c["choice"], _step_words(scenario, c["choice"])[0], c["reason"])
                  for c in sc.critical],
        score=sc, notes=notes, review=review_questions(scenario, moments),
    )


PHASE_ORDER = ("information", "threat", "authority", "options", "act")


def review_questions(scenario: Scenario | None, moments: list[Moment]) -> list[ReviewItem]:
    """The instructor's review questions for the decisions where this trainee lost points, in CDM order."""
    if scenario is None or scenario.instructor is None:
        return []
    lost = {m.node for m in moments if (m.judged and not m.was_best) or m.critical}
    items = [ReviewItem(q.phase, q.question, [n for n in q.nodes if n in lost])
             for q in scenario.instructor.review_questions]
    items = [i for i in items if i.nodes]
    return sorted(items, key=lambda i: PHASE_ORDER.index(i.phase) if i.phase in PHASE_ORDER else len(PHASE_ORDER))


def terminal(d: Debrief) -> str:
    """The plain-text summary ``commonground debrief`` prints: critical errors first, whatever the percentage."""
    out = [f"{d.title}  -  trainee {d.trainee}  -  {d.started}  ({d.mode})"
           + (f"  -  variant {d.variant}" if d.variant else "")]
    out += [f"WARNING: {w}" for w in d.warnings if not w.startswith("unsigned")]
    out += [f"note: {n}" for n in d.notes]
    out.append(f"integrity: {d.verdict.label}")
    if d.critical:
        out.append(f"CRITICAL ERRORS ({len(d.critical)}):")
        for c in d.critical:
            out.append(f"  ! at '{c.node}': {c.text}")
            out.append(f"    {c.reason}")
    out += d.result_lines()
    outcome = (d.outcome or "none").replace("_", " ")
    out.append(f"status: {d.status}; ending: {d.ending_title or '-'} (outcome: {outcome})")
    if d.duration is not None:
        deciding = f"; {d.deciding:.0f} s deciding" if d.deciding is not None else ""
        out.append(f"time taken: {d.duration:.0f} s{deciding}" + (f"; restarts: {d.restarts}" if d.restarts else ""))
    for row in d.scores:
        pct = "not assessed" if row.percent is None else f"{row.percent:g}%"
        indent = {"overall": "", "topic": "  ", "principle": "    "}[row.level]
        out.append(f"{indent}{row.title}: {pct} ({row.detail})")
    out.append("decisions:")
    for m in d.moments:
        secs = f" [{m.elapsed:g} s]" if m.elapsed is not None else ""
        marks = ", ".join(f"{k} {v:+d}" for k, v in m.scores.items())
        out.append(f"  {m.number}. {m.text}{secs}" + (f"  ({marks})" if marks else ""))
        if m.critical:
            out.append(f"     CRITICAL ERROR: {m.critical}")
        if m.before and m.after:
            out.append("     " + "; ".join(f"{b.label} {b.value}→{a.value}" for b, a in zip(m.before, m.after)))
        if m.feedback:
            out.append(f"     {m.feedback}")
        if m.judged and m.was_best:
            out.append("     the best option here")
        elif m.best_text:
            out.append(f"     best here: {m.best_text}")
    if d.review:
        out.append("questions for the after-action review (the decisions where points were lost):")
        for item in d.review:
            out.append(f"  [{item.phase}] {item.question}  (at {', '.join(item.nodes)})")
    return "\n".join(out)
