"""Replaying a score log through the engine, to rebuild and check a session from its record."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.content.format import Rubric, Scenario
from game.engine.rules import EngineError
from game.engine.scoring import SCORING_MODEL, Line, ScoreCard, session_card
from game.engine.session import Session
from game.engine.startpoint import StartError
from game.engine.state import State
from game.records import rederive
from game.records.logread import LogRead
from game.records.rederive import SCORING_FAILURES
from game.records.rescore import model_of


@dataclass
class Replay:
    session: Session
    card: ScoreCard
    differences: list[str] = field(default_factory=list)
    content_changed: bool = False
    variant: str | None = None
    notes: list[str] = field(default_factory=list)
    """What was not compared, and why (a summary scored under an older model)."""

    @property
    def matches(self) -> bool:
        return not self.differences


def replay(log: LogRead, scenario: Scenario, rubric: Rubric) -> Replay:
    """Re-run every decision of ``log`` against ``scenario``; report any way the result differs."""
    start = log.start
    differences: list[str] = []
    notes: list[str] = []
    variant = start.get("variant")
    redrawn = rederive.seed_disagreement(start, scenario)
    if redrawn is not None:
        differences.append(redrawn)
    if variant is not None and variant not in scenario.variants:
        differences.append(f"the log's variant '{variant}' is not in this scenario")
        variant = None
    begun = {**start, "variant": variant}
    try:
        session = rederive.open_session(scenario, rubric, begun)
    except (EngineError, StartError) as exc:  # it cannot start as logged: nothing can be replayed
        session = Session(scenario, rubric, clock=lambda: 0.0, state=State.initial(scenario, variant),
                          variant=variant)
        differences.append(f"the scenario cannot start as logged: {exc}")
    if any(True for _ in log.of_type("reload")):
        differences.append("the scenario was hot-reloaded during this session; it cannot be replayed exactly")
    for event in log.of_type(*rederive.STEP_EVENTS):
        if differences:
            break
        try:
            rederive.take(session, event["type"], str(event.get("choice") or ""), event.get("elapsed"))
        except (EngineError, StartError) as exc:
            differences.append(f"event {event['seq']}: {exc}")
            break
    try:
        card = session_card(session)
    except SCORING_FAILURES as exc:  # the scenario cannot be scored: say so, with no score
        differences.append(f"the scenario cannot be scored: {exc}")
        card = ScoreCard(scenario.id, Line("overall", "Overall", 0, 0, 0, None), [], [], None, session.state.ending,
                         variant=session.variant)
    logged_states = [e["state"] for e in log.of_type("node", "ending")]  # the types whose state the format defines
    if logged_states and not differences:
        want = logged_states[-1]
        got = session.state.to_json()
        for key in ("node", "values", "ending", "turn", "visited", "chosen"):
            if want.get(key) != got.get(key):
                differences.append(f"final {key}: log has {want.get(key)!r}, replay gives {got.get(key)!r}")
    summary = log.summary
    model = model_of(summary)
    if summary is not None and model is not None and model != SCORING_MODEL:
        notes.append(f"the summary was scored under scoring model {model}; its score was not compared (this "
                     f"version scores under model {SCORING_MODEL})")
    elif summary is not None and summary.get("score") and not differences and summary["score"] != card.to_json():
        differences.append("the summary's score differs from the replayed score")
    return Replay(session, card, differences, content_changed=start.get("content_hash") != scenario.content_hash,
                  variant=session.variant, notes=notes)
