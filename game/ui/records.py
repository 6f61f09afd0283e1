"""The trainee's best earlier result per scenario, read from their own score logs once per visit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.records.scorelog import LogError, read_log


@dataclass(frozen=True)
class Best:
    percent: float | None
    outcome: str | None
    plays: int


def best_results(log_dir: Path, trainee: str) -> dict[str, Best]:
    """Best overall percentage of completed sessions per scenario id, for this trainee only."""
    best: dict[str, Best] = {}
    if not log_dir.is_dir():
        return best
    for path in sorted(log_dir.glob("*.jsonl")):
        try:
            log = read_log(path)
        except LogError:
            continue
        start, summary = log.start, log.summary
        if start.get("trainee") != trainee or summary is None or summary.get("status") != "completed" \
                or start.get("test_run"):  # an author's run from a chosen node is no result of theirs
            continue
        scenario = str(start.get("scenario"))
        pct = (summary.get("score") or {}).get("overall", {}).get("percent")
        old = best.get(scenario)
        plays = (old.plays if old else 0) + 1
        if old is None or (pct is not None and (old.percent is None or pct > old.percent)):
            best[scenario] = Best(pct, summary.get("outcome"), plays)
        else:
            best[scenario] = Best(old.percent, old.outcome, plays)
    return best
