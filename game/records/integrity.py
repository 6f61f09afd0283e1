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

from game.analysis.scoring import percent, score_card
from game.analysis.statespace import ExplorationLimit
from game.content.format import Rubric, Scenario
from game.engine.rules import EngineError

Status = Literal["verified", "unsigned", "failed"]

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


def _attempt(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events after the last restart: the attempt the summary scores."""
    last = max((i for i, e in enumerate(events) if e.get("type") == "restart"), default=0)
    return list(events[last + 1:] if last else events[1:])


def summary_disagreement(events: Sequence[Mapping[str, Any]], scenario: Scenario | None = None,
                         rubric: Rubric | None = None) -> str | None:
    """Where the closing summary disagrees with the logged choices; None when it agrees (or there is none).

    Without the scenario: the path and step count, the ending, every raw sum against the choices' scores,
    and every percentage against its own raw and best. With the scenario (when the log was played on this
    very text, unreloaded): the whole score card, best scores included, as the scorer gives it.
    """
    summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    if summary is None:
        return None
    attempt = _attempt(events)
    decisions = [e for e in attempt if e.get("type") in ("choice", "timeout")]
    path = [e.get("choice") for e in decisions]
    if list(summary.get("path") or []) != path or summary.get("steps", len(path)) != len(path):
        return f"the summary's path ({len(summary.get('path') or [])} steps) is not the {len(path)} logged decisions"
    ending = next((e.get("ending") for e in attempt if e.get("type") == "ending"), None)
    if summary.get("ending") != ending:
        return f"the summary says ending {summary.get('ending')!r}, the log reached {ending!r}"
    if (summary.get("status") == "completed") != (ending is not None):
        return f"the summary says {summary.get('status')!r}, but the log {'reached' if ending else 'reached no'} ending"
    score = summary.get("score")
    if score is None:
        return None if summary.get("unscored") else "the summary has no score and does not say why"
    raw: dict[str, int] = {}
    for e in decisions:
        for ref, n in (e.get("scores") or {}).items():
            raw[ref] = raw.get(ref, 0) + n
    principles = score.get("principles") or {}
    reloaded = any(e.get("type") == "reload" for e in events)  # a new version may score other principles
    for ref in sorted(set(principles) if reloaded else set(raw) | set(principles)):
        line = principles.get(ref)
        if line is None or line.get("raw") != raw.get(ref, 0):
            shown = "nothing" if line is None else line.get("raw")
            return f"the summary gives {ref} {shown}, the logged choices add up to {raw.get(ref, 0)}"
    for topic, line in (score.get("topics") or {}).items():
        want = sum(n for ref, n in raw.items() if ref.split(".", 1)[0] == topic)
        if line.get("raw") != want:
            return f"the summary gives topic {topic} {line.get('raw')}, the logged choices add up to {want}"
    overall = score.get("overall") or {}
    if overall.get("raw") != sum(raw.values()):
        return (f"the summary says overall {overall.get('raw')} of a best {overall.get('best')}, the logged choices "
                f"add up to {sum(raw.values())}")
    lines = [("overall", overall), *((f"topic {k}", v) for k, v in (score.get("topics") or {}).items()),
             *((k, v) for k, v in principles.items())]
    for name, line in lines:
        if line.get("percent") != percent(line.get("raw", 0), line.get("best", 0)):
            return (f"the summary gives {name} {line.get('percent')}% for {line.get('raw')} of a best "
                    f"{line.get('best')}")
    if scenario is None or rubric is None or _played_elsewhere(events, scenario):
        return None
    try:
        card = score_card(scenario, rubric, [e.get("scores") or {} for e in decisions], ending=ending).to_json()
    except (ExplorationLimit, EngineError, KeyError):
        return None
    if card["overall"]["best"] != overall.get("best"):
        return (f"the summary says the best attainable is {overall.get('best')}; the scenario's is "
                f"{card['overall']['best']}")
    if card != score:
        return "the summary's score card is not the one the scenario gives for the logged choices"
    if summary.get("outcome") != card.get("outcome"):
        return f"the summary says outcome {summary.get('outcome')!r}; ending {ending!r} is {card.get('outcome')!r}"
    return None


def _played_elsewhere(events: Sequence[Mapping[str, Any]], scenario: Scenario) -> bool:
    """The log was played on another text of the scenario (or it changed mid-session): its bests may differ."""
    start = events[0] if events else {}
    return (start.get("content_hash") != scenario.content_hash or start.get("scenario") != scenario.id
            or any(e.get("type") == "reload" for e in events))
