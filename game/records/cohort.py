"""A class at a glance: many sessions' score logs reduced to what an instructor looks for.

Per-principle averages and spread, outcomes and passes per scenario and per variant, critical errors
counted per decision point, the decision points where trainees most often took a harmful choice (with
the best option there), and each trainee's progress over attempts. A log scored under an older
scoring model is re-scored from its logged choices when its scenario is given and unchanged
(:mod:`game.records.rescore`), else counted with its logged figures, flagged. Built to stream through
100,000 logs: each file is read once, its first line filtered on before anything else is read, every
event parsed and validated against the log format in one pass (:func:`game.records.logformat.parse_line`,
pydantic's JSON reader, no slower than ``json.loads``), and reduced to a small :class:`Record`; files
are spread over processes when there are many. The chain is checked on the raw lines
(:func:`game.records.verify.chain_intact`); any log that does not pass is verified line by line.

What counts: a session is counted once (copies of one session id are counted once and listed), and
only when its log is whole and finished: logs that fail their integrity check, or were cut off, are
left out of the statistics and listed (``include_unverified`` counts them, marked). Unsigned logs
(whole, but unkeyed: edits cannot be detected) are counted and said to be unsigned; ``only_verified``
counts keyed, verified logs only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.content.format import Rubric, Scenario
from game.content.gcpause import gc_paused
from game.engine import undo
from game.engine.scoring import SCORING_MODEL
from game.records import integrity, logformat, rederive, scorelog
from game.records.rescore import LEGACY, LOGGED, RESCORED, SessionScore, model_of, score_events
from game.records.scorelog import MAX_LOG_BYTES, SUPPORTED_VERSIONS
from game.records.verify import chain_intact, verify_lines, version_message

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
    """completed, abandoned, or unfinished (no summary: cut off, or its end deleted)."""
    outcome: str | None
    overall: float | None
    principles: dict[str, float | None]
    decisions: list[tuple[str, str, int]]
    """(node, step id, the step's total score) for the scored attempt."""
    integrity: str = "unsigned"
    """verified (keyed and whole), unsigned (whole, unkeyed: edits cannot be detected) or failed."""
    issue: str = ""
    variant: str | None = None
    passed: bool | None = None
    critical: list[tuple[str, str]] = field(default_factory=list)
    """(node, step id) of each critical error in the scored attempt."""
    best_here: dict[int, str] = field(default_factory=dict)
    """Step index -> the option the score card recommends there (only where the choice was not the best)."""
    scoring: str = "logged"
    """``logged`` (current model), ``rescored``, ``legacy`` (older model, logged figures) or ``none``."""
    content_hash: str = ""
    pending: dict[str, Any] | None = None
    """For a log scored under an older model: its summary and the events to re-score it from."""
    counted: bool = False
    """Set by :class:`Aggregator` when the session is counted in the statistics."""
    test_run: bool = False
    """An author's test run (``play --at NODE``): listed in the CSV, never counted as training."""
    rederived: bool = False
    """Its outcome and score were worked out again by the engine from its logged choices, and agree."""

    @property
    def verified(self) -> bool:
        """Signed with the academy key and whole: the only record called verified."""
        return self.integrity == "verified"

    @property
    def ok(self) -> bool:
        """Whole and finished: what the statistics count by default."""
        return self.integrity != "failed" and self.status != "unfinished"


@dataclass(frozen=True)
class ReadError:
    """A file that is not a score log (unreadable, not the format, another version): one line, and skipped."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:1:1: {self.message}"


@dataclass(frozen=True)
class Judge:
    """The library the logs are judged against: a log played on a scenario here, unchanged, is played again."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    rubric: Rubric | None = None
    _texts: dict[tuple[str, str], Scenario] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_texts", {(s.id, s.content_hash): s for s in self.scenarios.values()})

    def scenario_for(self, start: dict[str, Any]) -> Scenario | None:
        """The scenario this log was played on, when the library holds that very text."""
        if self.rubric is None:
            return None
        return self._texts.get((start.get("scenario"), start.get("content_hash")))  # type: ignore[arg-type]


NO_JUDGE = Judge()
_judge = NO_JUDGE
"""The library of this process (set once per worker, so it is not sent with every batch)."""
_memo = rederive.Memo()
"""Paths already played in this process: a class's repeated paths through one text play once."""


def _use(judge: Judge) -> None:
    global _judge
    _judge = judge


def _read(path: Path, key: bytes | None, filters: Filters, judge: Judge | None = None) -> Record | ReadError | None:
    """A record, None when filtered out, or an error for a file that is not a score log."""
    judge = judge if judge is not None else _judge
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size > MAX_LOG_BYTES:  # (read(n) with a large n would allocate n bytes)
                return ReadError(str(path), "the file is too large to be a score log")
            raw = f.read()
    except OSError as exc:
        return ReadError(str(path), f"cannot read the log: {exc.strerror or exc}")
    lines = raw.split(b"\n")
    if lines and lines[-1] and logformat.parse_line(lines[-1]) is None:
        lines[-1] = b""  # cut off mid-write by a killed process: not an event (the chain then ends early)
    start = logformat.parse_line(lines[0])
    if start is None or start["type"] != "session_start":
        return _not_a_start(path, lines[0])
    if start["v"] not in SUPPORTED_VERSIONS:
        return ReadError(str(path), version_message(start["v"]))
    if not filters.keep(start):
        return None
    keyed = bool(start.get("keyed"))
    whole = keyed == bool(key)  # a log keyed otherwise than the key here says goes to verify, which says so
    good = [start]
    parse = logformat.parse_line
    for line in lines[1:]:
        if not line or line.isspace():
            continue
        event = parse(line)
        if event is None:
            whole = False
        else:
            good.append(event)
    issue = ""
    scenario = judge.scenario_for(start)
    rederived = False
    derived: rederive.Derived | None = None
    if whole and good[-1]["type"] == "summary" and chain_intact(lines, key if keyed else None):
        # Nothing for verify to report; the summary must add up, and be what the engine makes of the choices.
        rederived = scenario is not None and not any(e["type"] == "reload" for e in good)
        why = integrity.summary_disagreement(good, scenario if rederived else None, judge.rubric, _memo,
                                             played_here=True)
        derived = _memo.last if rederived else None
        if why is not None:
            issue = f"{path}:{len(good)}:1: summary: {why} (the summary was edited, or not written by this program)"
    else:  # something to report: verify every line, as 'commonground verify' does (without the spacing check)
        issue = verify_lines(str(path), lines, key, strict=False).first  # the summary check included
    record = _record(path, start, good, issue, keyed, derived if rederived and not issue else None)
    record.rederived = rederived
    return record


def _not_a_start(path: Path, first: bytes) -> ReadError:
    why = logformat.line_problem(first)
    if why.startswith("unknown event type") or why in ("not JSON", "no event type", "not a JSON object"):
        return ReadError(str(path), "not a score log (the first line is not a session_start event)")
    return ReadError(str(path), f"not a score log: the first line is not a valid session_start event ({why})")


def _record(path: Path, start: dict[str, Any], events: list[dict[str, Any]], issue: str, keyed: bool,
            derived: rederive.Derived | None = None) -> Record:
    """A log reduced; ``derived`` is what the engine made of its choices, when its summary agrees with it."""
    summary, decisions = None, []
    # A test run's steps taken back are not decisions (a training log with an undo already failed its check).
    standing = undo.withdraw(events) if start.get("test_run") else events
    for e in standing:
        kind = e["type"]
        if kind in ("choice", "timeout"):
            decisions.append((e["node"], e["choice"], sum((e.get("scores") or {}).values())))
        elif kind == "restart":
            decisions.clear()
        elif kind == "summary":
            summary = e
    variant = start.get("variant")
    record = Record(
        path=str(path), session=start["session"], trainee=start["trainee"], scenario=start["scenario"],
        title=start.get("title") or start["scenario"], started=start["ts"],
        status=summary["status"] if summary else "unfinished",
        outcome=(summary or {}).get("outcome"), overall=None, principles={},
        decisions=decisions, integrity=integrity.status(not issue, keyed), issue=issue,
        variant=variant if isinstance(variant, str) else None, content_hash=str(start.get("content_hash") or ""),
        test_run=bool(start.get("test_run")),
    )
    model = model_of(summary)
    if derived is not None and derived.score is not None:  # the engine's card: the same for every log of this path
        _apply_fields(record, _fields(derived, LOGGED if model == SCORING_MODEL else RESCORED))
    elif model == SCORING_MODEL:
        apply_score(record, score_events([], summary, False, None, None))
    else:  # re-scored (or flagged) once the scenarios are known: keep what that needs
        wanted = [_slim(start), *(_slim(e) for e in events[1:] if e["type"] in RESCORE)]
        record.pending = {"summary": summary, "events": wanted,
                          "reloaded": any(e.get("type") == "reload" for e in wanted)}
    return record


RESCORE = frozenset({"node", "choice", "timeout", "restart", "undo", "ending", "reload"})
"""The events re-scoring an older log needs (the options each node showed, and the ending)."""
_SLIM = ("type", "node", "offered", "time_limit", "choice", "ending", "variant", "content_hash", "seed")


def _slim(e: dict[str, Any]) -> dict[str, Any]:
    """An event cut down to what re-scoring reads (memory stays flat over many old logs)."""
    return {k: e[k] for k in _SLIM if k in e}


def apply_score(r: Record, sc: Any) -> None:
    """Fill a record's score fields from a :class:`game.records.rescore.SessionScore`."""
    score = sc.score or {}
    r.scoring = sc.source
    r.overall = (score.get("overall") or {}).get("percent")
    r.principles = {k: v.get("percent") for k, v in score.get("principles", {}).items()}
    r.passed = sc.passed
    r.critical = [(str(c.get("node")), str(c.get("choice"))) for c in sc.critical]
    r.best_here = {int(d["index"]): str(d["best_here"]) for d in sc.decisions
                   if isinstance(d.get("index"), int) and d.get("best_here")}
    r.pending = None


_ScoreFields = tuple[str, float | None, dict[str, float | None], bool | None, list[tuple[str, str]], dict[int, str]]
_field_cache: dict[int, tuple[rederive.Derived, _ScoreFields]] = {}


def _fields(derived: rederive.Derived, source: str) -> _ScoreFields:
    """A record's score fields from the engine's card, worked out once per remembered path (read-only, shared)."""
    found = _field_cache.get(id(derived))
    if found is not None and found[0] is derived and found[1][0] == source:
        return found[1]
    r = Record("", "", "", "", "", "", "", None, None, {}, [])
    apply_score(r, SessionScore(derived.score, source, SCORING_MODEL))
    fields = (r.scoring, r.overall, r.principles, r.passed, r.critical, r.best_here)
    if len(_field_cache) > 2 * _memo.size:
        _field_cache.clear()
    _field_cache[id(derived)] = (derived, fields)  # the Derived is held, so its id is not reused meanwhile
    return fields


def _apply_fields(r: Record, fields: _ScoreFields) -> None:
    r.scoring, r.overall, r.principles, r.passed, r.critical, r.best_here = fields
    r.pending = None


def _read_many(args: tuple[list[Path], bytes | None, Filters]) -> list[Record | ReadError | None]:
    paths, key, filters = args
    with gc_paused():
        return [_read(p, key, filters, _judge) for p in paths]


def log_files(paths: Iterable[Path]) -> list[Path]:
    """Every score log under ``paths``, in one sorted order across all of them."""
    return sorted(scorelog.log_files(paths))


def scan(files: Sequence[Path], key: bytes | None, filters: Filters, *, workers: int | None = None,
         judge: Judge = NO_JUDGE) -> Iterator[Record | ReadError]:
    """Records (and errors) for ``files``, in file order, in parallel when there are many.

    With ``judge`` (the scenario library), each log played on a text the library holds is played again
    by the engine and its summary compared with what the engine makes of its choices.
    """
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_FROM:
        with gc_paused():  # each log's objects go by reference counting; a full collection would find nothing
            for p in files:
                r = _read(p, key, filters, judge)
                if r is not None:
                    yield r
        return
    size = max(50, min(2000, len(files) // (workers * 8) or 1))
    chunks = [(list(files[i:i + size]), key, filters) for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_use, initargs=(judge,)) as pool:
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
    best_here: str = ""
    """The option the score cards most often recommended at this point instead."""

    @property
    def share(self) -> float:
        return self.harmful / self.reached if self.reached else 0.0


@dataclass
class CriticalPoint:
    """Critical errors made at one decision point, over every session that reached it."""

    scenario: str
    node: str
    reached: int
    count: int
    choice: str
    """The critical choice taken most often here."""
    choice_count: int


@dataclass
class VariantStats:
    """Sessions of one scenario in one variant (``-`` for sessions without one)."""

    scenario: str
    variant: str
    sessions: int
    passed: int
    mean: float | None
    outcomes: dict[str, int]


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
    """Logs that failed their integrity check (whatever else is true of them)."""
    unfinished: list[Record] = field(default_factory=list)
    """Whole logs without a closing summary (cut off, or their end deleted)."""
    duplicates: list[Record] = field(default_factory=list)
    """Further copies of a session already counted (same session id): counted once."""
    unsigned: int = 0
    """Counted sessions whose logs are unkeyed: whole, but edits cannot be detected."""
    not_rederived: int = 0
    """Counted sessions the engine could not play again (their scenario is not in the library, or has changed):
    their summaries were checked against their own logged figures only."""
    left_out: int = 0
    """Sessions not counted in the statistics (failed, unfinished, or unsigned under only_verified)."""
    errors: list[str] = field(default_factory=list)
    principles: list[Spread] = field(default_factory=list)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    hard_points: list[HardPoint] = field(default_factory=list)
    critical_points: list[CriticalPoint] = field(default_factory=list)
    variants: list[VariantStats] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    first: str = ""
    last: str = ""
    passed: int = 0
    rescored: int = 0
    """Logs scored under an older model, re-scored from their logged choices."""
    legacy: list[str] = field(default_factory=list)
    """Logs scored under an older model that could not be re-scored (scenario missing or changed)."""


def _spread(key: str, values: list[float]) -> Spread:
    values = sorted(values)
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return Spread(key, len(values), round(statistics.fmean(values), 1),
                  round(statistics.pstdev(values), 1) if len(values) > 1 else 0.0,
                  values[0], q[0], q[1], q[2], values[-1], values)


@dataclass
class _VariantTally:
    """One scenario and variant's running figures (the records themselves are not kept: 100,000 would be)."""

    sessions: int = 0
    passed: int = 0
    scores: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)

    def add(self, r: Record) -> None:
        self.sessions += 1
        self.passed += bool(r.passed)
        if r.overall is not None:
            self.scores.append(r.overall)
        self.outcomes[r.outcome or r.status] += 1


class Aggregator:
    """Folds records in one at a time, keeping only what the report needs.

    By default only whole, finished logs count, each session once; ``include_unverified`` also counts
    failed and unfinished ones (still listed), ``only_verified`` counts keyed, verified logs only. Logs scored
    under an older scoring model are re-scored with ``scenarios`` and ``rubric`` when their text is unchanged.
    """

    def __init__(self, *, only_verified: bool = False, pseudonym_key: bytes | None = None,
                 scenarios: dict[str, Scenario] | None = None, rubric: Rubric | None = None,
                 include_unverified: bool = False):
        self.only_verified = only_verified
        self.include_unverified = include_unverified and not only_verified
        self.pseudonym_key = pseudonym_key
        self.scenarios = scenarios or {}
        self.rubric = rubric
        self._critical: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self._best: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self._variants: dict[tuple[str, str], _VariantTally] = defaultdict(_VariantTally)
        self._counted: set[str] = set()
        self.cohort = Cohort()
        self._principles: dict[str, list[float]] = defaultdict(list)
        self._outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self._reached: Counter[tuple[str, str]] = Counter()
        self._harm: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self._progress: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
        self.rows: list[Record] = []

    def name(self, trainee: str) -> str:
        return pseudonym(trainee, self.pseudonym_key) if self.pseudonym_key else trainee

    def add(self, item: Record | ReadError | str, *, keep_rows: bool = False) -> None:
        c = self.cohort
        if isinstance(item, (ReadError, str)):
            if self.pseudonym_key and isinstance(item, ReadError):  # file names carry trainee ids
                c.errors.append(f"log file {len(c.errors) + 1}: {item.message}")
            else:
                c.errors.append(str(item))
            return
        r = item
        if r.pending is not None:
            self.rescore(r)
        if self.pseudonym_key:  # file names carry trainee ids: a shared report shows the session instead
            shown = f"session {r.session}"
            r.trainee, r.issue, r.path = self.name(r.trainee), r.issue.replace(r.path, shown), shown
        if keep_rows:  # every session read, counted or not (the CSV says which)
            self.rows.append(r)
        if r.integrity == "failed":
            c.unverified.append(r)
        elif r.status == "unfinished":
            c.unfinished.append(r)
        if r.session in self._counted:
            c.duplicates.append(r)
            return
        counts = (r.ok or self.include_unverified) and not r.test_run
        if not counts or (self.only_verified and not r.verified):
            c.left_out += 1
            return
        self._counted.add(r.session)
        r.counted = True
        if r.integrity == "unsigned":
            c.unsigned += 1
        c.not_rederived += not r.rederived
        c.sessions += 1
        c.titles.setdefault(r.scenario, r.title)
        c.first = min(c.first, r.started) if c.first else r.started
        c.last = max(c.last, r.started)
        for ref, pct in r.principles.items():
            if pct is not None:
                self._principles[ref].append(pct)
        self._outcomes[r.scenario][r.outcome or r.status] += 1
        c.passed += bool(r.passed)
        c.rescored += r.scoring == RESCORED
        if r.scoring == LEGACY:
            c.legacy.append(r.path)
        seen_nodes = set()
        for index, (node, step, total) in enumerate(r.decisions):
            if (node, step) in seen_nodes:
                continue
            seen_nodes.add((node, step))
            self._reached[(r.scenario, node)] += 1
            if total < 0:  # the step harmed on balance (scoring.step_effect's "harmed")
                self._harm[(r.scenario, node)][step] += 1
            if index in r.best_here:
                self._best[(r.scenario, node)][r.best_here[index]] += 1
        for node, step in dict.fromkeys(r.critical):
            self._critical[(r.scenario, node)][step] += 1
        self._variants[(r.scenario, r.variant or "-")].add(r)
        self._progress[r.trainee].append((r.started, r.scenario, r.overall))

    def rescore(self, r: Record) -> None:
        """Score a log kept under an older model: re-scored when its scenario is here and unchanged."""
        pending = r.pending or {}
        scenario = self.scenarios.get(r.scenario)
        same = scenario is not None and scenario.content_hash == r.content_hash and not pending.get("reloaded")
        apply_score(r, score_events(pending.get("events", []), pending.get("summary"), same, scenario, self.rubric))

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
            best = self._best.get((scenario, node))
            points.append(HardPoint(scenario, node, reached, sum(harm.values()), worst, count,
                                    best.most_common(1)[0][0] if best else ""))
        c.hard_points = sorted(points, key=lambda p: (-p.share, -p.harmful, p.scenario, p.node))
        critical = []
        for (scenario, node), made in self._critical.items():
            choice, n = made.most_common(1)[0]
            critical.append(CriticalPoint(scenario, node, self._reached[(scenario, node)], sum(made.values()),
                                          choice, n))
        c.critical_points = sorted(critical, key=lambda p: (-p.count, p.scenario, p.node))
        stats = []
        for (scenario, variant), t in sorted(self._variants.items()):
            stats.append(VariantStats(scenario, variant, t.sessions, t.passed,
                                      round(statistics.fmean(t.scores), 1) if t.scores else None,
                                      dict(t.outcomes)))
        c.variants = stats
        c.progress = [Progress(t, sorted(a)) for t, a in sorted(self._progress.items())]
        return c


CSV_FIELDS = ["session", "trainee", "scenario", "variant", "started", "status", "outcome", "overall", "passed",
              "critical", "scoring", "verified", "integrity", "counted", "issue", "path"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection)."""


def csv_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_rows(records: Iterable[Record], principles: Sequence[str]) -> Iterator[list[Any]]:
    yield [*CSV_FIELDS, *principles]
    for r in records:
        yield [csv_cell(v) for v in (
            r.session, r.trainee, r.scenario, r.variant or "", r.started, r.status, r.outcome or "",
            "" if r.overall is None else r.overall, "" if r.passed is None else "yes" if r.passed else "no",
            len(r.critical), r.scoring, "yes" if r.verified else "no", r.integrity,
            "yes" if r.counted else "no", r.issue, r.path,
            *["" if r.principles.get(p) is None else r.principles[p] for p in principles])]
