"""What a reader may honestly say about a log: verified, unsigned, or failed, and whether its summary adds up.

A hash chain proves nothing against someone who can recompute it: only a log keyed with the academy
secret (HMAC) is *verified*; an unkeyed log whose chain is whole is *unsigned: edits cannot be
detected*, never "verified". And the logged choices are the record: a summary whose scores, path or
ending disagree with them was edited (or written by something else), whatever the chain says.

:func:`summary_disagreement` is the one place that compares a summary with what the reader can work
out again: without the scenario, the summary against the logged choices' own figures; with the text
the session was played on, against the ending and score card the engine itself reaches by playing the
logged choices again (:mod:`game.records.rederive`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from game.content.format import Rubric, Scenario
from game.engine import undo
from game.engine.scoring import percent
from game.records import rederive
from game.records.rederive import SCORING_FAILURES

__all__ = ["LABELS", "SCORING_FAILURES", "Status", "old_percent", "status", "summary_disagreement"]

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


def summary_disagreement(events: Sequence[Mapping[str, Any]], scenario: Scenario | None = None,
                         rubric: Rubric | None = None, memo: rederive.Memo | None = None, *,
                         played_here: bool | None = None) -> str | None:
    """Where the closing summary disagrees with the logged choices; None when it agrees (or there is none).

    Without the scenario: the path and step count, the ending, every raw sum against the choices' scores,
    and every percentage against its own raw and best. With the scenario (when the log was played on this
    very text, unreloaded): the ending, outcome, score card and pass the engine reaches by playing the logged
    choices again (``memo`` shares those plays across many logs, as ``cohort`` reads them; ``played_here``
    says the caller has already checked the log was played on this text, unreloaded). When the engine compares
    a current-model card whole, the summary's own arithmetic is not checked twice. A test run's undone steps
    are left out of the sums, as the summary leaves them out (the engine undoes them itself when it plays the
    log again); an undo that is not sound (outside a test run, or not of the last step) disagrees.
    """
    standing, wrong_undo = undo.settle(events)
    if wrong_undo is not None:
        return wrong_undo
    summary: Mapping[str, Any] | None = None
    path: list[str] = []
    raw: dict[str, int] = {}
    ending = None
    reloaded = False
    moves: list[rederive.Step] = []  # every move, restarts included: what the engine plays again
    for e in standing:  # the attempt after the last restart is the one the summary scores
        kind = e.get("type")
        if kind in rederive.STEP_EVENTS:
            moves.append((kind, str(e.get("choice") or "")))
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
    if len(standing) != len(events):  # a test run's undos: the engine plays them too, and takes the steps back
        moves = list(rederive.steps_of(events))
    if summary is None:
        return None
    logged = summary.get("path") or []
    if logged != path or summary.get("steps", len(path)) != len(path):
        return f"the summary's path ({len(logged)} steps) is not the {len(path)} logged decisions"
    if summary.get("ending") != ending:
        return f"the summary says ending {summary.get('ending')!r}, the log reached {ending!r}"
    if (summary.get("status") == "completed") != (ending is not None):
        return f"the summary says {summary.get('status')!r}, but the log {'reached' if ending else 'reached no'} ending"
    engine = scenario is not None and rubric is not None and (
        played_here if played_here is not None else rederive.played_here(events, scenario))

    def engine_says() -> str | None:  # the logged moves played again: the engine's ending and card
        if not engine:
            return None
        return rederive.disagreement(events, scenario, rubric, memo, steps=tuple(moves),  # type: ignore[arg-type]
                                     summary=summary)

    score = summary.get("score")
    if score is None:
        if not summary.get("unscored"):
            return "the summary has no score and does not say why"
        return engine_says()
    principles = score.get("principles") or {}
    topics = score.get("topics") or {}
    overall = score.get("overall") or {}
    refs = principles.keys() if reloaded else raw.keys() | principles.keys()  # a new version may score others
    for ref in refs:
        line = principles.get(ref)
        if line is None or line.get("raw") != raw.get(ref, 0):
            shown = "nothing" if line is None else line.get("raw")
            return f"the summary gives {ref} {shown}, the logged choices add up to {raw.get(ref, 0)}"
    if engine and any("stake" in (line or {}) for line in (overall, *topics.values())):
        return engine_says()  # the engine compares the card whole: its arithmetic need not be checked twice
    by_topic: dict[str, int] = {}
    for ref, n in raw.items():
        topic = ref.partition(".")[0]
        by_topic[topic] = by_topic.get(topic, 0) + n
    for topic, line in topics.items():
        if (line or {}).get("raw") != by_topic.get(topic, 0):
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
    return engine_says()


def old_percent(raw: int, best: int) -> float | None:
    """Scoring model 1's percentage: of the best attainable, capped at 100; None when nothing is attainable."""
    if best <= 0:
        return None
    return round(min(100.0, 100.0 * max(0, raw) / best), 1)
