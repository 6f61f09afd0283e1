"""A durable outbox of xAPI statements: records leave the workstation, but never only in memory.

When an academy configures an LRS (:mod:`game.records.lrsconfig`), every finished session's
statements are written here, one file per session, atomically and synced, before anything is sent;
sending then happens on a background thread, so the game never waits on the network. A batch leaves
the file only once the LRS has confirmed it (:meth:`game.records.lrs.Client.post`): a sender killed
mid-batch sends that batch again on its next run, and since statement ids are derived from the log,
the LRS stores each statement once. The outbox survives restarts and offline days;
``commonground xapi --outbox`` shows what is pending and sends it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game import userdirs
from game.content.format import Scenario
from game.records import logfile, lrsconfig
from game.records.logread import LogRead
from game.records.lrs import Client, LRSError
from game.records.xapi import DEFAULT_PASS_MARK, Builder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one sender at a time is then up to the user
    fcntl = None  # type: ignore[assignment]

STATUS_FILE = "last-attempt.txt"
LOCK_FILE = ".lock"


def default_folder() -> Path:
    return userdirs.data_dir() / "outbox"


@dataclass(frozen=True)
class Entry:
    path: Path
    session: str
    statements: int
    queued: str


@dataclass
class Flushed:
    sessions: int = 0
    """Sessions whose every statement the LRS confirmed (their files are gone)."""
    stored: int = 0
    already: int = 0
    error: str | None = None
    busy: bool = False
    """Another sender holds the outbox (the game, or another ``xapi --outbox``)."""
    remaining: list[Entry] = field(default_factory=list)


class Outbox:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or default_folder()

    # --- adding -------------------------------------------------------------------------------

    def add(self, session: str, statements: Sequence[dict[str, Any]]) -> Path | None:
        """Keep ``statements`` for sending: written to a new file, synced, then renamed into place."""
        if not statements:
            return None
        name = re.sub(r"[^A-Za-z0-9-]", "_", session)[:80] or "session"
        target = self.folder / f"{name}.json"
        self._write(target, {"session": session, "queued": _now(), "statements": list(statements)})
        return target

    def _write(self, target: Path, data: dict[str, Any]) -> None:
        logfile.make_folder(self.folder)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), logfile.FILE_MODE)
        try:
            logfile.write_all(fd, json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
            logfile.sync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        logfile.sync_folder(self.folder)

    # --- reading ------------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """What is pending, oldest first (an unreadable file is listed with 0 statements)."""
        out = []
        for path in self._files():
            data = _load(path)
            statements = data.get("statements") if data else None
            out.append(Entry(path, str((data or {}).get("session", path.stem)),
                             len(statements) if isinstance(statements, list) else 0,
                             str((data or {}).get("queued", ""))))
        return sorted(out, key=lambda e: (e.queued, e.path.name))

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.folder.glob("*.json") if not p.name.startswith(".")]
        except OSError:
            return []

    def last_attempt(self) -> str:
        """When sending was last tried and how it went (written by every flush)."""
        try:
            return (self.folder / STATUS_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    # --- sending ------------------------------------------------------------------------------

    def flush(self, client: Client, *, batch: int = 50, on_batch: Callable[[int, int], None] | None = None
              ) -> Flushed:
        """Send every pending statement; a batch leaves its file only after the LRS confirmed it."""
        result = Flushed()
        with self._lock() as held:
            if not held:
                result.busy = True
                result.remaining = self.entries()
                return result
            for entry in self.entries():
                try:
                    self._send_entry(entry, client, max(1, batch), result, on_batch)
                except LRSError as exc:
                    result.error = str(exc)
                    break
            result.remaining = self.entries()
            self._note(result)
        return result

    def _send_entry(self, entry: Entry, client: Client, batch: int, result: Flushed,
                    on_batch: Callable[[int, int], None] | None) -> None:
        data = _load(entry.path)
        statements = data.get("statements") if data else None
        if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
            bad = entry.path.with_suffix(".unreadable")
            with contextlib.suppress(OSError):
                os.replace(entry.path, bad)
            raise LRSError(f"{entry.path.name} in the outbox is not readable; moved aside as {bad.name}")
        while statements:
            chunk, rest = statements[:batch], statements[batch:]
            stored, already = client.post(chunk)
            result.stored += stored
            result.already += already
            if on_batch:
                on_batch(stored, already)
            if rest:
                self._write(entry.path, {**data, "statements": rest})
            else:
                entry.path.unlink()
                logfile.sync_folder(self.folder)
                result.sessions += 1
            statements = rest

    @contextlib.contextmanager
    def _lock(self) -> Iterator[bool]:
        """Hold the outbox for one sender at a time; False when another holds it (never waits)."""
        logfile.make_folder(self.folder)
        fd = os.open(self.folder / LOCK_FILE, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
                     logfile.FILE_MODE)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    yield False
                    return
            yield True
        finally:
            os.close(fd)  # closing releases the lock

    def _note(self, result: Flushed) -> None:
        pending = sum(e.statements for e in result.remaining)
        text = (f"{_now()}: {result.stored} stored, {result.already} already held; {pending} statement(s) pending"
                + (f"; stopped: {result.error}" if result.error else ""))
        with contextlib.suppress(OSError):
            _write_text(self.folder / STATUS_FILE, text)


def _write_text(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), logfile.FILE_MODE)
    try:
        logfile.write_all(fd, (text + "\n").encode())
    finally:
        os.close(fd)


def _load(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- the game's side: queue a finished session, send in the background ------------------------


def statements_for(path: Path, events: list[dict[str, Any]], scenario: Scenario | None) -> list[dict[str, Any]]:
    """The xAPI statements of a session just written by this program (its chain whole by construction)."""
    log = LogRead(str(path), list(events))
    pass_mark = float(scenario.pass_mark) if scenario is not None and scenario.pass_mark is not None \
        else DEFAULT_PASS_MARK
    keyed = bool(log.start.get("keyed"))
    return Builder(log, scenario, verified=keyed, integrity="verified" if keyed else "unsigned",
                   pass_mark=pass_mark).statements()


def queue_session(path: Path, events: list[dict[str, Any]], scenario: Scenario | None) -> bool:
    """When an LRS is configured, put a finished session's statements in the outbox and start sending.

    Never raises: the score log on disk is the record; a session whose statements could not be queued
    can still be sent from its log with ``commonground xapi LOG``.
    """
    if not configured() or (events and events[0].get("test_run")):  # an author's test run is not training
        return False
    try:
        session = str(events[0].get("session"))
        Outbox().add(session, statements_for(path, events, scenario))
    except (OSError, ValueError, KeyError, TypeError):
        return False
    send_in_background()
    return True


def configured(env: dict[str, str] | None = None) -> bool:
    """Whether the academy has configured an LRS (a config file, or the endpoint variable)."""
    environ = os.environ if env is None else env
    return bool(environ.get(lrsconfig.ENV_ENDPOINT)) or lrsconfig.config_path(environ).is_file()


_sender: threading.Thread | None = None
_sender_guard = threading.Lock()


def send_in_background(outbox: Outbox | None = None) -> threading.Thread | None:
    """Flush the outbox on a daemon thread (one at a time per process); None when there is nothing to do."""
    global _sender
    box = outbox or Outbox()
    if not configured() or not box._files():
        return None
    with _sender_guard:
        if _sender is not None and _sender.is_alive():
            return _sender
        _sender = threading.Thread(target=_send_quietly, args=(box,), name="lrs-outbox", daemon=True)
        _sender.start()
        return _sender


def _send_quietly(box: Outbox) -> None:
    """The background sender: no prompt, no output; how it went is in the outbox's last-attempt note."""
    try:
        config = lrsconfig.load()
    except lrsconfig.LRSConfigError as exc:
        with contextlib.suppress(OSError):
            _write_text(box.folder / STATUS_FILE, f"{_now()}: not sent: {exc}")
        return
    if config is None or not config.user or config.password is None:
        with contextlib.suppress(OSError):
            _write_text(box.folder / STATUS_FILE, f"{_now()}: not sent: the LRS config gives no user and password "
                                                  "(run 'commonground xapi --outbox' to send with a prompt)")
        return
    try:
        client = Client(config.endpoint, config.user, config.password, retries=config.retries,
                        timeout=config.timeout)
    except LRSError as exc:
        with contextlib.suppress(OSError):
            _write_text(box.folder / STATUS_FILE, f"{_now()}: not sent: {exc}")
        return
    with contextlib.suppress(OSError):
        box.flush(client, batch=config.batch)


def wait_for_sender(timeout: float) -> None:
    """Give a background send up to ``timeout`` seconds to finish (tests; a view at exit may, never must)."""
    deadline = time.monotonic() + timeout
    thread = _sender
    if thread is not None:
        thread.join(max(0.0, deadline - time.monotonic()))
