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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from game import __version__, userdirs
from game.content.format import Rubric, Scenario
from game.engine.scoring import SCORING_MODEL, Taken, score, taken_from_events

LOG_VERSION = 1
SUPPORTED_VERSIONS = (1,)
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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "trainee"


class ScoreLog:
    """Writes one session's events. Use :meth:`observe` as a :class:`~game.engine.session.Session` observer."""

    def __init__(self, path: Path, scenario: Scenario, rubric: Rubric, *, trainee: str, mode: str = "practice",
                 key: bytes | None = None, session_id: str | None = None, stream: IO[str] | None = None,
                 variant: str | None = None, seed: int | None = None):
        self.path = path
        self.scenario = scenario
        self.rubric = rubric
        self.session_id = session_id or str(uuid.uuid4())
        self.key = key
        self.seq = 0
        self.prev = GENESIS
        self.variant = variant
        self._taken: list[Taken] = []
        self._shown: dict[str, Any] | None = None
        self._path_taken: list[str] = []
        self.closed = False
        self.reloaded = False
        """Set when hot reload changed the scenario mid-session; such a log is not replayable."""
        if stream is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = open(path, "x", encoding="utf-8")  # noqa: SIM115 - held open for the session
        self._out = stream
        start: dict[str, Any] = {
            "type": "session_start", "scenario": scenario.id, "scenario_version": scenario.version,
            "content_hash": scenario.content_hash, "title": scenario.title, "trainee": trainee, "mode": mode,
            "app_version": __version__, "keyed": key is not None,
        }
        if scenario.variants or variant is not None:  # the draw, so replay and debrief can reproduce it
            start.update(variant=variant, seed=seed)
        self.write(start)

    @classmethod
    def create(cls, scenario: Scenario, rubric: Rubric, *, trainee: str, log_dir: Path | None = None,
               mode: str = "practice", key: bytes | None = None,
               opener: Callable[[Path], IO[str]] | None = None, variant: str | None = None,
               seed: int | None = None) -> ScoreLog:
        """Open a new log file with a name that sorts by time and says whose and what it is.

        ``opener`` (optional) turns the chosen path into the stream to write, so a view can write
        through a background thread instead of the file itself.
        """
        folder = log_dir or userdirs.log_dir()
        session_id = str(uuid.uuid4())
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = folder / f"{stamp}-{_slug(trainee)}-{scenario.id}-{session_id[:8]}.jsonl"
        stream = opener(path) if opener is not None else None
        return cls(path, scenario, rubric, trainee=trainee, mode=mode, key=key, session_id=session_id, stream=stream,
                   variant=variant, seed=seed)

    def write(self, event: dict[str, Any]) -> dict[str, Any]:
        if self.closed:
            raise ValueError("the log is closed")
        record = {"v": LOG_VERSION, "seq": self.seq, "ts": _now(), "session": self.session_id, **event,
                  "prev": self.prev}
        body = canonical(record)  # the line is the hashed bytes plus the hash: a verifier need not re-encode
        record["hash"] = body_hash(self.prev, body, self.key)
        self._out.write(body[:-1].decode() + HASH_FIELD.decode() + record["hash"] + '"}\n')
        self._out.flush()
        self.prev = record["hash"]
        self.seq += 1
        return record

    def observe(self, event: dict[str, Any]) -> None:
        """Record an engine event; on the ending or abandonment, add the summary and close."""
        if event["type"] == "node":
            self._shown = event
        elif event["type"] in ("choice", "timeout"):
            self._taken.extend(taken_from_events([e for e in (self._shown, event) if e is not None]))
            self._path_taken.append(event["choice"])
            self._shown = None
        elif event["type"] == "restart":
            self._taken.clear()
            self._path_taken.clear()
        elif event["type"] == "reload":
            self.reloaded = True
        self.write(event)
        if event["type"] in ("ending", "abandoned"):
            ending = event.get("ending")
            card = score(self.scenario, self.rubric, self._taken, ending=ending, variant=self.variant)
            self.write({"type": "summary", "status": "completed" if ending else "abandoned",
                        "ending": ending, "outcome": card.outcome, "score": card.to_json(),
                        "scoring": SCORING_MODEL, "passed": card.passed,
                        "path": list(self._path_taken), "steps": len(self._path_taken)})
            self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError, ValueError, AttributeError):  # not every stream is a file
                os.fsync(self._out.fileno())
            self._out.close()


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


class LogError(ValueError):
    """A log that cannot be read. ``line`` is 1-based."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}:1: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class LogRead:
    path: str
    events: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    """The last line was cut off (a killed process); it was skipped."""

    @property
    def start(self) -> dict[str, Any]:
        return self.events[0]

    @property
    def summary(self) -> dict[str, Any] | None:
        return next((e for e in reversed(self.events) if e["type"] == "summary"), None)

    def of_type(self, *types: str) -> Iterator[dict[str, Any]]:
        return (e for e in self.events if e["type"] in types)


def read_log(path: Path) -> LogRead:
    """Read a log, keeping every whole event; a final line cut off mid-write is skipped, not fatal."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LogError(shown, 1, f"cannot read the log: {exc.strerror or exc}") from None
    result = LogRead(shown)
    lines = raw.split(b"\n")
    complete = raw.endswith(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        last = number == len(lines) or (number == len(lines) - 1 and lines[-1] == b"")
        try:
            event = json.loads(line.decode("utf-8"))
            if not isinstance(event, dict) or "type" not in event:
                raise ValueError("not an event")
        except (ValueError, UnicodeDecodeError):
            if last and not complete:
                result.truncated = True
                break
            raise LogError(shown, number, "not a score-log event (the line is not a JSON object with a type)") from None
        version = event.get("v")
        if version not in SUPPORTED_VERSIONS:
            raise LogError(shown, number, f"log schema version {version!r} is not supported "
                                          f"(this program reads {', '.join(map(str, SUPPORTED_VERSIONS))})")
        result.events.append(event)
    if not result.events:
        raise LogError(shown, 1, "the log holds no events")
    if result.events[0]["type"] != "session_start":
        raise LogError(shown, 1, "the log does not begin with a session_start event")
    return result
