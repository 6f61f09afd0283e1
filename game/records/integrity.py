"""What a reader may honestly say about a log: verified, unsigned, or failed, and whether its summary adds up.

A hash chain proves nothing against someone who can recompute it: only a log keyed with the academy
secret (HMAC) is *verified*; an unkeyed log whose chain is whole is *unsigned: edits cannot be
detected*, never "verified". And the logged choices are the record: a summary whose scores, path or
ending disagree with them was edited (or written by something else), whatever the chain says.

:func:`summary_disagreement` is the one place that compares a summary with what the reader can work
out again; today it adds up the logged choices' scores with the existing scorer. Re-deriving each
choice's scores and the outcome through the engine can replace it here without touching any reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from game.analysis.statespace import ExplorationLimit
from game.content.format import Rubric, Scenario
from game.engine import undo
from game.engine.rules import EngineError
from game.engine.scoring import percent

Status = Literal["verified", "unsigned", "failed"]

SCORING_FAILURES: tuple[type[BaseException], ...] = (ExplorationLimit, EngineError, LookupError, ValueError,
                                                     ArithmeticError)
"""What working out a score may raise for a scenario that cannot be scored (too many states, play that stops,
no reachable ending): records say so and go on, rather than lose the record."""

LABELS: dict[str, str] = {
    "verified": "verified (signed with the academy key; no edits)",
    "unsigned": "unsigned: edits cannot be detected",
    "failed": "FAILED its integrity check",
}
"""How every reader names each status, in the terminal, in reports and in CSV."""


def status(ok: bool, keyed: bool) -> Status:
    """Verified only when the chain is whole *and* keyed; a whole unkeyed chain is merely unsigned."""
    if not ok:
        return "failed"
    return "verified" if keyed else "unsigned"


def summary_disagreement(events: Sequence[Mapping[str, Any]], scenario: Scenario | None = None,
                         rubric: Rubric | None = None) -> str | None:
    """Where the closing summary disagrees with the logged choices; None when it agrees (or there is none).

    Without the scenario: the path and step count, the ending, every raw sum against the choices' scores,
    and every percentage against its own raw and best. With the scenario (when the log was played on this
    very text, unreloaded): every best attainable score, and the outcome of the ending. One pass over the
    events: ``cohort`` runs this on every log. A test run's undone steps are left out first, as the summary
    leaves them out; an undo that is not sound (outside a test run, or not of the last step) disagrees.
    """
    events, wrong_undo = undo.settle(events)
    if wrong_undo is not None:
        return wrong_undo
    summary: Mapping[str, Any] | None = None
    path: list[str] = []
    raw: dict[str, int] = {}
    ending = None
    reloaded = False
    for e in events:  # the attempt after the last restart is the one the summary scores
        kind = e.get("type")
        if kind == "choice" or kind == "timeout":
            path.append(e.get("choice"))
            scores = e.get("scores")
            if scores:
                for ref, n in scores.items():
                    raw[ref] = raw.get(ref, 0) + n
        elif kind == "summary":
            summary = e
        elif kind == "ending":
            ending = e.get("ending")
        elif kind == "restart":
            path, raw, ending = [], {}, None
        elif kind == "reload":
            reloaded = True
    if summary is None:
        return None
    logged = summary.get("path") or []
    if logged != path or summary.get("steps", len(path)) != len(path):
        return f"the summary's path ({len(logged)} steps) is not the {len(path)} logged decisions"
    if summary.get("ending") != ending:
        return f"the summary says ending {summary.get('ending')!r}, the log reached {ending!r}"
    if (summary.get("status") == "completed") != (ending is not None):
        return f"the summary says {summary.get('status')!r}, but the log {'reached' if ending else 'reached no'} ending"
    score = summary.get("score")
    if score is None:
        return None if summary.get("unscored") else "the summary has no score and does not say why"
    principles = score.get("principles") or {}
    topics = score.get("topics") or {}
    overall = score.get("overall") or {}
    refs = principles.keys() if reloaded else raw.keys() | principles.keys()  # a new version may score others
    for ref in refs:
        line = principles.get(ref)
        if line is None or line.get("raw") != raw.get(ref, 0):
            shown = "nothing" if line is None else line.get("raw")
            return f"the summary gives {ref} {shown}, the logged choices add up to {raw.get(ref, 0)}"
    by_topic: dict[str, int] = {}
    for ref, n in raw.items():
        topic = ref.partition(".")[0]
        by_topic[topic] = by_topic.get(topic, 0) + n
    for topic, line in topics.items():
        if line.get("raw") != by_topic.get(topic, 0):
            return (f"the summary gives topic {topic} {line.get('raw')}, the logged choices add up to "
                    f"{by_topic.get(topic, 0)}")
    total = sum(raw.values())
    if overall.get("raw") != total:
        return (f"the summary says overall {overall.get('raw')} of a best {overall.get('best')}, the logged choices "
                f"add up to {total}")
    lines = (("overall", overall), *topics.items(), *principles.items())
    for name, line in lines:
        got, pct = line.get("raw", 0), line.get("percent")
        if "best" in line:  # scoring model 1: a percentage of the best attainable
            want = old_percent(got, line.get("best", 0))
            if pct != want:
                return f"the summary gives {name} {pct}% for {got} of a best {line.get('best')}"
        elif "stake" in line:  # model 2: points earned of points at stake at the decisions faced
            earned, stake = line.get("earned", 0), line.get("stake", 0)
            if not isinstance(earned, int) or not isinstance(stake, int) or pct != percent(earned, stake):
                return f"the summary gives {name} {pct}% for {earned} of {stake} points at stake"
    if scenario is None or rubric is None or reloaded or _played_elsewhere(events, scenario):
        return None
    want_outcome = scenario.endings[ending].outcome if ending in scenario.endings else None
    if ending is not None and summary.get("outcome") != want_outcome:
        return f"the summary says outcome {summary.get('outcome')!r}; ending {ending!r} is {want_outcome!r}"
    if not any("stake" in (line or {}) for _, line in lines):
        return None  # an older model: re-scoring it is rescore's work, and says so where it is shown
    from game.records.rescore import rescore  # rescore reads logs through the modules that import this one

    try:
        card = rescore(list(events), scenario, rubric)
    except SCORING_FAILURES:
        return None
    # The logged choices are the record: the engine's judgement of them must be what the summary says.
    for name, line, want in (("overall", overall, card["overall"]),
                             *((f"topic {k}", topics.get(k), v) for k, v in card["topics"].items()),
                             *((k, principles.get(k), v) for k, v in card["principles"].items())):
        if line is None:
            continue
        for field in ("earned", "stake", "percent"):
            if line.get(field) != want.get(field):
                return (f"the summary gives {name} {field} {line.get(field)!r}; the logged choices give "
                        f"{want.get(field)!r}")
    if "passed" in score and score.get("passed") != card.get("passed"):
        return f"the summary says passed={score.get('passed')}; the logged choices give passed={card.get('passed')}"
    logged_critical = [(c.get("node"), c.get("choice")) for c in score.get("critical") or []]
    if "critical" in score and logged_critical != [(c["node"], c["choice"]) for c in card.get("critical", [])]:
        return "the summary's critical errors are not the ones the logged choices make"
    return None


def old_percent(raw: int, best: int) -> float | None:
    """Scoring model 1's percentage: of the best attainable, capped at 100; None when nothing is attainable."""
    if best <= 0:
        return None
    return round(min(100.0, 100.0 * max(0, raw) / best), 1)


def _attempt(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events after the last restart: the attempt the summary scores."""
    last = max((i for i, e in enumerate(events) if e.get("type") == "restart"), default=0)
    return list(events[last + 1:] if last else events[1:])


def _played_elsewhere(events: Sequence[Mapping[str, Any]], scenario: Scenario) -> bool:
    """The log was played on another text of the scenario (or it changed mid-session): its bests may differ."""
    start = events[0] if events else {}
    return (start.get("content_hash") != scenario.content_hash or start.get("scenario") != scenario.id
            or any(e.get("type") == "reload" for e in events))
