"""A debrief of one session, built from its score log (and the scenario, when the library has it).

This is the data every view of a debrief shows: the terminal summary and the HTML report read it;
neither works anything out for itself. The log is the record: scores come from its summary, meters
from the states it logged; the scenario adds the words (lines, feedback) and the best choice at each
decision. When the scenario text changed since the session (its content hash differs), that is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from game.analysis import exemplar
from game.analysis.scoring import score_card
from game.content.format import Rubric, Scenario
from game.engine import meters
from game.records.integrity import SCORING_FAILURES
from game.records.scorelog import LogRead
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
    best_text: str | None = None
    branches: list[str] = field(default_factory=list)

    @property
    def was_best(self) -> bool:
        return self.best is None


@dataclass
class ScoreRow:
    key: str
    title: str
    raw: int
    best: int
    percent: float | None
    level: str
    """overall, topic or principle."""


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
    """The events after the last restart (the attempt the summary scores), and how many restarts there were."""
    events = log.events
    starts = [i for i, e in enumerate(events) if e["type"] == "restart"]
    return (events[starts[-1] + 1:] if starts else events[1:]), len(starts)


def _scores(log: LogRead, scenario: Scenario | None, rubric: Rubric | None,
            choices: list[dict[str, Any]]) -> list[ScoreRow]:
    summary = log.summary
    score = summary.get("score") if summary else None
    if not score and scenario is not None and rubric is not None:
        ending = next((e["ending"] for e in log.of_type("ending")), None)
        try:
            score = score_card(scenario, rubric, [c.get("scores", {}) for c in choices], ending=ending).to_json()
        except SCORING_FAILURES:  # a changed or broken scenario: show what the log holds
            score = None
    if not score:
        return []
    rows = [ScoreRow("overall", "Overall", score["overall"]["raw"], score["overall"]["best"],
                     score["overall"]["percent"], "overall")]
    principles = dict(score.get("principles", {}))
    for key, line in score.get("topics", {}).items():  # each topic, then its own principles
        title = rubric.topics[key].title if rubric and key in rubric.topics else key
        rows.append(ScoreRow(key, title, line["raw"], line["best"], line["percent"], "topic"))
        for ref in [r for r in principles if r.split(".", 1)[0] == key]:
            rows.append(_principle_row(ref, principles.pop(ref), rubric))
    rows += [_principle_row(ref, line, rubric) for ref, line in principles.items()]
    return rows


def _principle_row(ref: str, line: dict[str, Any], rubric: Rubric | None) -> ScoreRow:
    p = rubric.principle(ref) if rubric else None
    return ScoreRow(ref, p.title if p else ref, line["raw"], line["best"], line["percent"], "principle")


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
                        "library): feedback and best choices come from the current text")
    if any(True for _ in log.of_type("reload")):
        warnings.append("the scenario was hot-reloaded during this session")
    if log.truncated:
        warnings.append("the log's last line was cut off (the program stopped mid-write)")
    attempt, restarts = _last_attempt(log)
    choices = [e for e in attempt if e["type"] in ("choice", "timeout")]
    names = list(scenario.meters) if scenario else []
    first_state = next((e["state"] for e in attempt if e["type"] in ("node", "ending")), None)
    if not names and first_state:
        names = [k for k, v in first_state["values"].items() if isinstance(v, int) and not isinstance(v, bool)]
    best: dict[int, exemplar.Decision] = {}
    if scenario is not None:
        try:
            best = {i: d for i, d in enumerate(exemplar.decisions(scenario, [c["choice"] for c in choices]))}
        except (*SCORING_FAILURES, StopIteration) as exc:  # a changed scenario may not have the logged steps
            warnings.append(f"best choices could not be worked out against the current scenario ({exc})")
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
            d = best.get(number)
            pending = Moment(
                number=number + 1, node=e["node"], speaker=speaker, line=(node.line or "") if node else "",
                kind=e["type"], choice=e["choice"], text=text, elapsed=e.get("elapsed"),
                time_limit=node.time_limit.seconds if node and node.time_limit else None,
                before=_readings(scenario, state_before or {}, names), after=[], scores=dict(e.get("scores", {})),
                feedback=feedback,
                best=None if d is None or d.was_best else d.best, best_text=None if d is None or d.was_best
                else d.best_text)
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
        ending_text=ending.debrief if ending else None, scores=_scores(log, scenario, rubric, choices),
        moments=moments, meter_series={meters.label(n, scenario.meters[n]) if scenario else n: v
                                       for n, v in series.items()},
        meter_bounds={meters.label(n, scenario.meters[n]) if scenario else n: b for n, b in bounds.items()},
        visits=visits, duration=(t1 - t0).total_seconds() if t0 and t1 else None, restarts=restarts,
        verdict=verdict, warnings=warnings, scenario=scenario,
    )


def terminal(d: Debrief) -> str:
    """The plain-text summary ``commonground debrief`` prints."""
    out = [f"{d.title}  -  trainee {d.trainee}  -  {d.started}  ({d.mode})"]
    out += [f"WARNING: {w}" for w in d.warnings if not w.startswith("unsigned")]
    out.append(f"integrity: {d.verdict.label}")
    outcome = (d.outcome or "none").replace("_", " ")
    out.append(f"status: {d.status}; ending: {d.ending_title or '-'} (outcome: {outcome})")
    if d.duration is not None:
        deciding = f"; {d.deciding:.0f} s deciding" if d.deciding is not None else ""
        out.append(f"time taken: {d.duration:.0f} s{deciding}" + (f"; restarts: {d.restarts}" if d.restarts else ""))
    for row in d.scores:
        pct = "-" if row.percent is None else f"{row.percent:g}%"
        indent = {"overall": "", "topic": "  ", "principle": "    "}[row.level]
        out.append(f"{indent}{row.title}: {pct} ({row.raw:+d} of a best {row.best})")
    out.append("decisions:")
    for m in d.moments:
        secs = f" [{m.elapsed:g} s]" if m.elapsed is not None else ""
        marks = ", ".join(f"{k} {v:+d}" for k, v in m.scores.items())
        out.append(f"  {m.number}. {m.text}{secs}" + (f"  ({marks})" if marks else ""))
        if m.before and m.after:
            out.append("     " + "; ".join(f"{b.label} {b.value}→{a.value}" for b, a in zip(m.before, m.after)))
        if m.feedback:
            out.append(f"     {m.feedback}")
        if m.best_text:
            out.append(f"     best here: {m.best_text}")
    return "\n".join(out)
