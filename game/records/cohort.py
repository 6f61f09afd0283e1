"""A class at a glance: many sessions' score logs reduced to what an instructor looks for.

Per-principle averages and spread, outcomes per scenario, the decision points where trainees most
often took a harmful choice, and each trainee's progress over attempts. Built to stream through
100,000 logs: each file is read once, filtered on its first line before anything else is parsed,
verified on the way (an unverified log is counted and listed, never silently trusted), and reduced
to a small :class:`Record`; files are spread over processes when there are many. The chain is
checked on the raw lines (:func:`game.records.verify.chain_intact`), so a whole log parses only the lines its
record is made of; any other log is parsed in full and verified line by line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.records import scorelog
from game.records.scorelog import SUPPORTED_VERSIONS
from game.records.verify import chain_intact, verify_lines, version_message, well_typed

PARALLEL_FROM = 400
"""Below this many files, one process is faster than starting a pool."""


@dataclass(frozen=True)
class Filters:
    scenarios: frozenset[str] = frozenset()
    trainees: frozenset[str] = frozenset()
    since: str | None = None
    """ISO date or time; compared with the session's start (UTC, as logged)."""
    until: str | None = None

    def keep(self, start: dict[str, Any]) -> bool:
        if self.scenarios and start.get("scenario") not in self.scenarios:
            return False
        if self.trainees and str(start.get("trainee")) not in self.trainees:
            return False
        ts = str(start.get("ts", ""))
        if self.since and ts < self.since:
            return False
        return not (self.until and ts[:len(self.until)] > self.until)


@dataclass
class Record:
    """One session, reduced."""

    path: str
    session: str
    trainee: str
    scenario: str
    title: str
    started: str
    status: str
    outcome: str | None
    overall: float | None
    principles: dict[str, float | None]
    decisions: list[tuple[str, str, int]]
    """(node, step id, the step's total score) for the scored attempt."""
    verified: bool
    issue: str = ""


NEEDED = re.compile(rb'"type":"(?:choice|timeout|restart|summary)"')
"""On any line of one of the event types a record is made of: a line without it need not be parsed."""


def _event(line: bytes) -> dict[str, Any] | None:
    try:
        e = json.loads(line.decode())
    except ValueError:  # UnicodeDecodeError included
        return None
    ok = isinstance(e, dict) and isinstance(e.get("hash"), str) and "seq" in e and well_typed(e)
    return e if ok else None


def _fast_events(lines: list[bytes], start: dict[str, Any], key: bytes | None) -> list[dict[str, Any]] | None:
    """The events a record needs, parsed alone, when the raw chain is whole from start to summary; else None.

    A whole chain leaves verify nothing to report (the key, or its absence, must match the log's ``keyed``
    as verify would otherwise say), so only the lines that feed the record are parsed.
    """
    keyed = bool(start.get("keyed"))
    if keyed != bool(key) or not chain_intact(lines, key if keyed else None):
        return None
    events = [start]
    for line in lines[1:]:
        if NEEDED.search(line):
            e = _event(line)
            if e is None:
                return None
            events.append(e)
    last = next(line for line in reversed(lines) if line.strip())
    return events if events[-1].get("type") == "summary" and NEEDED.search(last) else None


def _read(path: Path, key: bytes | None, filters: Filters) -> Record | str | None:
    """A record, None when filtered out, or an error line for a file that is not a score log."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return f"{path}:1:1: cannot read the log: {exc.strerror or exc}"
    lines = raw.split(b"\n")
    try:
        start = json.loads(lines[0])
    except ValueError:
        return f"{path}:1:1: not a score log (the first line is not a session_start event)"
    if not isinstance(start, dict) or start.get("type") != "session_start":
        return f"{path}:1:1: not a score log (the first line is not a session_start event)"
    if start.get("v") not in SUPPORTED_VERSIONS:
        return f"{path}:1:1: {version_message(start.get('v'))}"
    if not filters.keep(start):
        return None
    events = _fast_events(lines, start, key)
    issue = ""
    if events is None:  # an old-layout log, or one with something to report: parse it all and verify every line
        events = [start, *(_event(line) if line.strip() else None for line in lines[1:])]
        verdict = verify_lines(str(path), lines, key, events, strict=False)  # every semantic edit; not spacing
        issue = verdict.first
    summary, decisions = None, []
    for e in events:
        if e is None:
            continue
        kind = e.get("type")
        if kind in ("choice", "timeout"):
            decisions.append((str(e.get("node")), str(e.get("choice")), sum((e.get("scores") or {}).values())))
        elif kind == "restart":
            decisions.clear()
        elif kind == "summary":
            summary = e
    score = (summary or {}).get("score") or {}
    return Record(
        path=str(path), session=str(start.get("session")), trainee=str(start.get("trainee")),
        scenario=str(start.get("scenario")), title=str(start.get("title") or start.get("scenario")),
        started=str(start.get("ts", "")), status=str((summary or {}).get("status", "unfinished")),
        outcome=(summary or {}).get("outcome"), overall=score.get("overall", {}).get("percent"),
        principles={k: v.get("percent") for k, v in score.get("principles", {}).items()},
        decisions=decisions, verified=not issue, issue=issue,
    )


def _read_many(args: tuple[list[Path], bytes | None, Filters]) -> list[Record | str | None]:
    paths, key, filters = args
    return [_read(p, key, filters) for p in paths]


def log_files(paths: Iterable[Path]) -> list[Path]:
    """Every score log under ``paths``, in one sorted order across all of them."""
    return sorted(scorelog.log_files(paths))


def scan(files: Sequence[Path], key: bytes | None, filters: Filters, *,
         workers: int | None = None) -> Iterator[Record | str]:
    """Records (and error lines) for ``files``, in file order, in parallel when there are many."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_FROM:
        for p in files:
            r = _read(p, key, filters)
            if r is not None:
                yield r
        return
    size = max(50, min(2000, len(files) // (workers * 8) or 1))
    chunks = [(list(files[i:i + size]), key, filters) for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in pool.map(_read_many, chunks):
            yield from (r for r in batch if r is not None)


def pseudonym(trainee: str, key: bytes) -> str:
    """A stable stand-in for a trainee id: the same id and key always give the same pseudonym."""
    return "T-" + hmac.new(key, trainee.encode(), hashlib.sha256).hexdigest()[:10]


@dataclass
class Spread:
    key: str
    n: int
    mean: float
    stdev: float
    low: float
    q1: float
    median: float
    q3: float
    high: float
    values: list[float] = field(repr=False, default_factory=list)


@dataclass
class HardPoint:
    scenario: str
    node: str
    reached: int
    harmful: int
    worst_choice: str
    worst_count: int

    @property
    def share(self) -> float:
        return self.harmful / self.reached if self.reached else 0.0


@dataclass
class Progress:
    trainee: str
    attempts: list[tuple[str, str, float | None]]
    """(started, scenario, overall %) in date order."""

    @property
    def scores(self) -> list[float]:
        return [a[2] for a in self.attempts if a[2] is not None]


@dataclass
class Cohort:
    sessions: int = 0
    trainees: int = 0
    unverified: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    principles: list[Spread] = field(default_factory=list)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    hard_points: list[HardPoint] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    first: str = ""
    last: str = ""


def _spread(key: str, values: list[float]) -> Spread:
    values = sorted(values)
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return Spread(key, len(values), round(statistics.fmean(values), 1),
                  round(statistics.pstdev(values), 1) if len(values) > 1 else 0.0,
                  values[0], q[0], q[1], q[2], values[-1], values)


class Aggregator:
    """Folds records in one at a time, keeping only what the report needs."""

    def __init__(self, *, only_verified: bool = False, pseudonym_key: bytes | None = None):
        self.only_verified = only_verified
        self.pseudonym_key = pseudonym_key
        self.cohort = Cohort()
        self._principles: dict[str, list[float]] = defaultdict(list)
        self._outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self._reached: Counter[tuple[str, str]] = Counter()
        self._harm: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self._progress: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
        self.rows: list[Record] = []

    def name(self, trainee: str) -> str:
        return pseudonym(trainee, self.pseudonym_key) if self.pseudonym_key else trainee

    def add(self, item: Record | str, *, keep_rows: bool = False) -> None:
        c = self.cohort
        if isinstance(item, str):
            c.errors.append(item)
            return
        r = item
        if self.pseudonym_key:  # file names carry trainee ids: a shared report shows the session instead
            shown = f"session {r.session}"
            r.trainee, r.issue, r.path = self.name(r.trainee), r.issue.replace(r.path, shown), shown
        if not r.verified:
            c.unverified.append(r)
            if self.only_verified:
                return
        c.sessions += 1
        c.titles.setdefault(r.scenario, r.title)
        c.first = min(c.first, r.started) if c.first else r.started
        c.last = max(c.last, r.started)
        for ref, pct in r.principles.items():
            if pct is not None:
                self._principles[ref].append(pct)
        self._outcomes[r.scenario][r.outcome or r.status] += 1
        seen_nodes = set()
        for node, step, total in r.decisions:
            if (node, step) in seen_nodes:
                continue
            seen_nodes.add((node, step))
            self._reached[(r.scenario, node)] += 1
            if total < 0:  # the step harmed on balance (scoring.step_effect's "harmed")
                self._harm[(r.scenario, node)][step] += 1
        self._progress[r.trainee].append((r.started, r.scenario, r.overall))
        if keep_rows:
            self.rows.append(r)

    def finish(self, *, min_reached: int = 3) -> Cohort:
        c = self.cohort
        c.trainees = len(self._progress)
        c.principles = [_spread(k, v) for k, v in sorted(self._principles.items())]
        c.outcomes = {k: dict(v) for k, v in sorted(self._outcomes.items())}
        points = []
        for (scenario, node), reached in self._reached.items():
            harm = self._harm.get((scenario, node))
            if not harm or reached < min(min_reached, c.sessions):
                continue
            worst, count = harm.most_common(1)[0]
            points.append(HardPoint(scenario, node, reached, sum(harm.values()), worst, count))
        c.hard_points = sorted(points, key=lambda p: (-p.share, -p.harmful, p.scenario, p.node))
        c.progress = [Progress(t, sorted(a)) for t, a in sorted(self._progress.items())]
        return c


CSV_FIELDS = ["session", "trainee", "scenario", "started", "status", "outcome", "overall", "verified", "issue", "path"]


def csv_rows(records: Iterable[Record], principles: Sequence[str]) -> Iterator[list[Any]]:
    yield [*CSV_FIELDS, *principles]
    for r in records:
        yield [r.session, r.trainee, r.scenario, r.started, r.status, r.outcome or "",
               "" if r.overall is None else r.overall, "yes" if r.verified else "no", r.issue, r.path,
               *["" if r.principles.get(p) is None else r.principles[p] for p in principles]]
