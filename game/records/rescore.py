"""The score of a logged session under the current scoring model, or the logged figures, flagged.

A log's summary records the scoring model it was scored under (``scoring``; logs without it used
model 1). Debrief, cohort and xAPI all ask this module for a session's score, so they agree:

* a summary scored under the current model is the record: its figures are used as logged;
* an older (or missing) summary is re-scored from the logged choices, each with the options its
  ``node`` event logged, when the scenario in the library is the text that was played (same content
  hash, no hot reload during the session), and the result says so;
* otherwise the logged figures are shown as they are, flagged as scored under an older model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.content.format import Rubric, Scenario
from game.engine.scoring import DEFAULT_PASS_MARK, SCORING_MODEL, public_json, score, taken_from_events
from game.records import rederive
from game.records.logread import LogRead

LOGGED, RESCORED, LEGACY, NONE = "logged", "rescored", "legacy", "none"


@dataclass
class SessionScore:
    """A session's score and where it came from."""

    score: dict[str, Any] | None
    """A model-2 ``score`` (:meth:`game.engine.scoring.ScoreCard.to_json`), or for ``legacy`` the logged one."""
    source: str
    """``logged`` (current model, as logged), ``rescored``, ``legacy`` (older model, logged figures) or ``none``."""
    model: int | None
    """The model of :attr:`score`."""
    note: str = ""
    """What a reader should be told about where the figures come from (empty when logged as current)."""
    warnings: list[str] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return self.source in (LOGGED, RESCORED)

    @property
    def overall(self) -> float | None:
        return ((self.score or {}).get("overall") or {}).get("percent")

    @property
    def passed(self) -> bool | None:
        """Passed under the current model; for legacy figures, the old rule (overall at the pass mark, not a
        failing outcome) since critical errors were not recorded then; None with no score."""
        if self.score is None:
            return None
        if self.current:
            return bool(self.score.get("passed"))
        return bool(self.score.get("legacy_passed"))

    @property
    def critical(self) -> list[dict[str, str]]:
        return list((self.score or {}).get("critical", [])) if self.current else []

    @property
    def decisions(self) -> list[dict[str, Any]]:
        return list((self.score or {}).get("decisions", [])) if self.current else []

    def public_json(self, scenario: str) -> dict[str, Any]:
        """The ``debrief --json`` shape (legacy figures: no critical errors or decisions were recorded)."""
        s = self.score or {}
        if self.current:
            return public_json(s, scenario)
        return {
            "scenario": scenario, "variant": s.get("variant"), "outcome": s.get("outcome"), "passed": self.passed,
            "overall": (s.get("overall") or {}).get("percent"),
            "topics": {k: v.get("percent") for k, v in s.get("topics", {}).items()},
            "principles": {k: v.get("percent") for k, v in s.get("principles", {}).items()},
            "critical": [], "decisions": [],
        }


def model_of(summary: Mapping[str, Any] | None) -> int | None:
    """The scoring model a summary was scored under (1 for logs from before it was recorded)."""
    if not summary or not summary.get("score"):
        return None
    return int(summary.get("scoring") or summary["score"].get("model") or 1)


def last_attempt(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events after the last restart (what a summary scores)."""
    out: list[Mapping[str, Any]] = []
    for e in events:
        if e.get("type") == "restart":
            out.clear()
        else:
            out.append(e)
    return out


def rescore(events: list[Mapping[str, Any]], scenario: Scenario, rubric: Rubric) -> dict[str, Any]:
    """Score a log's events under the current model (the caller has checked the scenario is the text played)."""
    start = events[0] if events and events[0].get("type") == "session_start" else {}
    attempt = last_attempt(events)
    ending = next((str(e.get("ending")) for e in attempt if e.get("type") == "ending"), None)
    variant = start.get("variant")
    variant = variant if isinstance(variant, str) and variant in scenario.variants else None
    card = score(scenario, rubric, taken_from_events(attempt), ending=ending, variant=variant)
    return card.to_json()


def same_text(log: LogRead, scenario: Scenario | None) -> bool:
    """The library's scenario is the text the session played (same content hash, never hot-reloaded)."""
    return scenario is not None and rederive.played_here(log.events, scenario)


def session_score(log: LogRead, scenario: Scenario | None, rubric: Rubric | None) -> SessionScore:
    """The session's score under the current model when it can be had, else the logged figures, flagged."""
    return score_events(log.events, log.summary, same_text(log, scenario), scenario, rubric)


def score_events(events: list[Mapping[str, Any]], summary: Mapping[str, Any] | None, same: bool,
                 scenario: Scenario | None, rubric: Rubric | None) -> SessionScore:
    """:func:`session_score` over events already read (cohort reads only some lines of a log)."""
    model = model_of(summary)
    if summary is not None and model == SCORING_MODEL:
        return SessionScore(dict(summary["score"]), LOGGED, model)
    if same and scenario is not None and rubric is not None:
        note = (f"re-scored under scoring model {SCORING_MODEL} from the logged choices (the log was scored under "
                f"model {model})" if model is not None else
                "scored from the logged choices (the log has no summary)")
        return SessionScore(rescore(events, scenario, rubric), RESCORED, SCORING_MODEL, note)
    if summary is None or model is None:
        return SessionScore(None, NONE, None)
    logged = dict(summary["score"])
    why = "is not in the library" if scenario is None else "has changed since the session"
    mark = scenario.pass_mark if scenario is not None and scenario.pass_mark is not None else DEFAULT_PASS_MARK
    ending = summary.get("ending")
    pct = (logged.get("overall") or {}).get("percent")
    failing = bool(ending) and scenario is not None and scenario.fails(str(ending))
    logged["legacy_passed"] = pct is not None and pct >= mark and not failing and summary.get("status") == "completed"
    note = (f"scored under scoring model {model}, which this version no longer uses; the scenario {why}, so it "
            "cannot be re-scored: these are the logged figures (no critical errors or best choices were recorded)")
    return SessionScore(logged, LEGACY, model, note)
