"""Score logs: the record of a session, one JSON event a line, append-only, flushed as it goes.

Every event carries the schema version ``v``, a sequence number, a timestamp, the session id, and a
hash chained to the previous event's hash (an HMAC keyed with the academy secret when one is set),
so a later edit, deletion, insertion or reordering is detectable. The format is documented in
``docs/score-log.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from game import __version__, userdirs
from game.content.format import Rubric, Scenario
from game.engine.scoring import SCORING_MODEL, score, taken_from_events
from game.records import logfile
from game.records.integrity import SCORING_FAILURES
from game.records.logfile import LogWriteError
from game.records.logread import MAX_LOG_BYTES as MAX_LOG_BYTES
from game.records.logread import SUPPORTED_VERSIONS as SUPPORTED_VERSIONS
from game.records.logread import LogError as LogError
from game.records.logread import LogRead as LogRead
from game.records.logread import parse_log as parse_log
from game.records.logread import read_log as read_log

LOG_VERSION = 1
KEY_ENV = "COMMONGROUND_ACADEMY_KEY"
KEY_FILE = "academy.key"
GENESIS = "0" * 64
HASH_FIELD = b',"hash":"'
"""What follows an event's canonical bytes (less their closing brace) on its line: then the hash, ``"}``."""


def academy_key() -> bytes | None:
    """The academy's secret for keyed hashes: the environment variable, else the key file, else none."""
    value = os.environ.get(KEY_ENV)
    if value:
        return value.encode()
    path = userdirs.config_dir() / KEY_FILE
    try:
        return path.read_bytes().strip() or None
    except OSError:
        return None


def canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev: str, event: dict[str, Any], key: bytes | None) -> str:
    """The hash of an event (without its own ``hash`` field), chained to the previous event's hash."""
    return body_hash(prev, canonical({k: v for k, v in event.items() if k != "hash"}), key)


def body_hash(prev: str, body: bytes, key: bytes | None) -> str:
    """:func:`chain_hash` of an event already in canonical bytes, as a verifier reads it straight off the line."""
    data = prev.encode() + b"\n" + body
    if key:
        return hmac.digest(key, data, "sha256").hex()
    return hashlib.sha256(data).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _outbox() -> ModuleType:
    """:mod:`game.records.outbox`, imported when first needed: it builds statements with
    :mod:`game.records.xapi`, which scores with :mod:`game.records.rescore`, which reads logs with this module."""
    from game.records import outbox

    return outbox


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "trainee"


class ScoreLog:
    """Writes one session's events. Use :meth:`observe` as a :class:`~game.engine.session.Session` observer.

    The file is created owner-only and its first event is synced to disk before the constructor returns,
    so a session whose record cannot be kept never starts (:class:`LogWriteError`). A later write that
    fails raises :class:`LogWriteError` from :meth:`write` (and so from the Session call that caused it);
    with ``background`` the writing happens on a thread and :attr:`failure` says when it failed.
    """

    def __init__(self, path: Path, scenario: Scenario, rubric: Rubric, *, trainee: str, mode: str = "practice",
                 key: bytes | None = None, session_id: str | None = None, stream: IO[str] | None = None,
                 variant: str | None = None, seed: int | None = None, background: bool = False,
                 test_run: dict[str, Any] | None = None):
        self.path = path
        self.scenario = scenario
        self.rubric = rubric
        self.session_id = session_id or str(uuid.uuid4())
        self.key = key
        self.seq = 0
        self.prev = GENESIS
        self.variant = variant
        self.closed = False
        self.reloaded = False
        """Set when hot reload changed the scenario mid-session; such a log is not replayable."""
        self.error: LogWriteError | None = None
        self.events: list[dict[str, Any]] = []
        """Every event written, as written (for the outbox's statements at the end)."""
        self._out = stream
        self._fd: int | None = None
        self._queue: logfile.QueuedFile | None = None
        if stream is None:
            try:
                self._fd = logfile.create(path)
            except OSError as exc:
                raise LogWriteError(path, exc) from None
        start: dict[str, Any] = {
            "type": "session_start", "scenario": scenario.id, "scenario_version": scenario.version,
            "content_hash": scenario.content_hash, "title": scenario.title, "trainee": trainee, "mode": mode,
            "app_version": __version__, "keyed": key is not None,
        }
        if scenario.variants or variant is not None:  # the draw, so replay and debrief can reproduce it
            start.update(variant=variant, seed=seed)
        if test_run is not None:  # an author's run from a chosen node and state: never counted as training
            start["test_run"] = test_run
        try:
            self.write(start)
            if self._fd is not None:
                logfile.sync(self._fd)
                logfile.sync_folder(path.parent)
        except (OSError, LogWriteError) as exc:
            self._abandon_file()
            raise exc if isinstance(exc, LogWriteError) else LogWriteError(path, exc) from None
        if background and self._fd is not None:
            self._queue, self._fd = logfile.QueuedFile(path, fd=self._fd), None
        if stream is None:  # statements still waiting from earlier sessions (offline days) go out meanwhile
            _outbox().send_in_background()

    @classmethod
    def create(cls, scenario: Scenario, rubric: Rubric, *, trainee: str, log_dir: Path | None = None,
               mode: str = "practice", key: bytes | None = None, background: bool = False,
               opener: Callable[[Path], IO[str]] | None = None, variant: str | None = None,
               seed: int | None = None, test_run: dict[str, Any] | None = None) -> ScoreLog:
        """Open a new log file with a name that sorts by time and says whose and what it is.

        ``background`` writes every event after the first on a thread (the game window's frame loop never
        waits on the disk). ``opener`` (kept for older callers) turns the path into a text stream to write.
        """
        folder = log_dir or userdirs.log_dir()
        session_id = str(uuid.uuid4())
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = folder / f"{stamp}-{_slug(trainee)}-{scenario.id}-{session_id[:8]}.jsonl"
        try:
            stream = opener(path) if opener is not None else None
        except OSError as exc:
            raise LogWriteError(path, exc) from None
        return cls(path, scenario, rubric, trainee=trainee, mode=mode, key=key, session_id=session_id, stream=stream,
                   variant=variant, seed=seed, background=background, test_run=test_run)

    @property
    def failure(self) -> LogWriteError | None:
        """The write error that broke this log, if any (a background write's shows here once it happens)."""
        if self.error is None:
            late = self._queue.error if self._queue is not None else getattr(self._out, "error", None)
            if isinstance(late, OSError):
                self.error = LogWriteError(self.path, late)
        return self.error

    def write(self, event: dict[str, Any]) -> dict[str, Any]:
        if self.failure is not None:
            raise self.failure
        if self.closed:
            raise ValueError("the log is closed")
        record = {"v": LOG_VERSION, "seq": self.seq, "ts": _now(), "session": self.session_id, **event,
                  "prev": self.prev}
        body = canonical(record)  # the line is the hashed bytes plus the hash: a verifier need not re-encode
        record["hash"] = body_hash(self.prev, body, self.key)
        line = body[:-1] + HASH_FIELD + record["hash"].encode() + b'"}\n'
        try:
            if self._queue is not None:
                self._queue.write(line)
            elif self._fd is not None:
                logfile.write_all(self._fd, line)
            else:
                assert self._out is not None
                self._out.write(line.decode())
                self._out.flush()
        except OSError as exc:
            self._fail(exc)
        self.prev = record["hash"]
        self.seq += 1
        self.events.append(record)
        return record

    def _fail(self, exc: OSError) -> None:
        self.error = LogWriteError(self.path, exc)
        self.closed = True
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        raise self.error from None

    def _abandon_file(self) -> None:
        """A log whose first event never reached the disk is no record: close and remove it."""
        self.closed = True
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
            with contextlib.suppress(OSError):
                self.path.unlink()

    def observe(self, event: dict[str, Any]) -> None:
        """Record an engine event; on the ending or abandonment, add the summary and close."""
        if event["type"] == "reload":
            self.reloaded = True
        self.write(event)
        if event["type"] in ("ending", "abandoned"):
            # The steps that stand, read from the events as written, as every reader reads them (restarts and
            # a test run's undos applied): what the summary scores is what replay and verify work out again.
            taken = taken_from_events(self.events)
            ending = event.get("ending")
            summary: dict[str, Any] = {"type": "summary", "status": "completed" if ending else "abandoned",
                                       "ending": ending}
            try:
                card = score(self.scenario, self.rubric, taken, ending=ending, variant=self.variant)
                summary.update(outcome=card.outcome, score=card.to_json(), scoring=SCORING_MODEL, passed=card.passed)
            except SCORING_FAILURES as exc:  # still close the record, saying why
                outcome = self.scenario.endings[ending].outcome if ending in self.scenario.endings else None
                summary.update(outcome=outcome, score=None, scoring=SCORING_MODEL, passed=None,
                               unscored=str(exc)[:300])
            summary.update(path=[t.choice for t in taken], steps=len(taken))
            self.write(summary)
            self.close()

    def close(self) -> None:
        """Sync and close the file (with ``background``, queue that; :meth:`finish` waits for it).

        A session closed with its summary goes to the LRS outbox too, when the academy configured one.
        """
        if self.closed:
            return
        self.closed = True
        if self._queue is not None:
            self._queue.close()
            self._to_outbox()
        elif self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                logfile.sync(fd)
            except OSError as exc:
                self.error = LogWriteError(self.path, exc)
                raise self.error from None
            finally:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._to_outbox()
        elif self._out is not None:
            with contextlib.suppress(OSError, ValueError, AttributeError):  # not every stream is a file
                os.fsync(self._out.fileno())
            self._out.close()

    def _to_outbox(self) -> None:
        if self.error is None and self.events and self.events[-1]["type"] == "summary":
            _outbox().queue_session(self.path, self.events, self.scenario)

    def drain(self, timeout: float = 5.0) -> LogWriteError | None:
        """Wait until every event written so far has reached the disk (or failed to); the write error, if any."""
        if self._queue is not None:
            self._queue.drain(timeout)
        return self.failure

    def finish(self, timeout: float | None = 5.0) -> LogWriteError | None:
        """Wait until everything written is on disk; the write error, if one happened."""
        if self._queue is not None:
            self._queue.join(timeout)
        elif self._out is not None and hasattr(self._out, "join"):
            self._out.join(timeout)
        return self.failure


def log_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as every ``*.jsonl`` below them (sorted within each folder).

    ``os.walk`` rather than ``rglob``: a cohort folder can hold 100,000 logs.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = [Path(root) / n for root, _dirs, names in os.walk(p) for n in names if n.endswith(".jsonl")]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


