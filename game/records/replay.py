"""Replaying a score log through the engine, to rebuild and check a session from its record."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.analysis.scoring import Line, ScoreCard, score_card
from game.content.format import Rubric, Scenario
from game.engine.rules import EngineError
from game.engine.session import Session
from game.engine.state import State
from game.records.integrity import SCORING_FAILURES
from game.records.logread import LogRead


@dataclass
class Replay:
    session: Session
    card: ScoreCard
    differences: list[str] = field(default_factory=list)
    content_changed: bool = False

    @property
    def matches(self) -> bool:
        return not self.differences


def replay(log: LogRead, scenario: Scenario, rubric: Rubric) -> Replay:
    """Re-run every decision of ``log`` against ``scenario``; report any way the result differs."""
    start = log.start
    differences: list[str] = []
    try:
        session = Session(scenario, rubric, clock=lambda: 0.0)
    except EngineError as exc:  # the scenario stops before its first node: nothing can be replayed
        session = Session(scenario, rubric, clock=lambda: 0.0, state=State.initial(scenario))
        differences.append(f"the scenario cannot start: {exc}")
    if any(True for _ in log.of_type("reload")):
        differences.append("the scenario was hot-reloaded during this session; it cannot be replayed exactly")
    for event in log.of_type("choice", "timeout", "restart"):
        if differences:
            break
        try:
            if event["type"] == "restart":
                session.restart()
            elif event["type"] == "timeout":
                session.time_out(elapsed=event.get("elapsed"))
            else:
                session.choose(event["choice"], elapsed=event.get("elapsed"))
        except EngineError as exc:
            differences.append(f"event {event['seq']}: {exc}")
            break
    try:
        card = score_card(scenario, rubric, [s.scores for s in session.history], ending=session.state.ending)
    except SCORING_FAILURES as exc:  # the scenario cannot be scored: say so, with no score
        differences.append(f"the scenario cannot be scored: {exc}")
        card = ScoreCard(Line("overall", "Overall", 0, 0, None), [], [], None, session.state.ending)
    logged_states = [e["state"] for e in log.of_type("node", "ending")]  # the types whose state the format defines
    if logged_states and not differences:
        want = logged_states[-1]
        got = session.state.to_json()
        for key in ("node", "values", "ending", "turn", "visited", "chosen"):
            if want.get(key) != got.get(key):
                differences.append(f"final {key}: log has {want.get(key)!r}, replay gives {got.get(key)!r}")
    summary = log.summary
    if summary is not None and summary.get("score") and not differences:
        if summary["score"] != card.to_json():
            differences.append("the summary's score differs from the replayed score")
    return Replay(session, card, differences, content_changed=start.get("content_hash") != scenario.content_hash)
