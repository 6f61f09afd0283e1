"""Where a score log's bytes go: a file only its owner can read, written whole or not at all, synced to disk.

A record that is lost must never be lost silently. The file is created exclusively with owner-only
permissions; each line is written with ``os.write`` until every byte is out (so a full disk shows as an
error, never as a short line left behind without a word); the first event is synced to disk, file and
folder, before the session shows anything. :class:`QueuedFile` does the same writing on a background
thread for the game window, whose frame loop must not wait on the disk, and keeps the first error for
the view to read (:attr:`QueuedFile.error`).
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import threading
from pathlib import Path

FILE_MODE = 0o600
"""Score logs hold a trainee's record: readable and writable by their owner only."""
FOLDER_MODE = 0o700
"""Log folders the program creates: the owner's only."""

_write = os.write
"""The one call that puts bytes on disk (tests replace it to simulate a full disk where they cannot mount one)."""


class LogWriteError(RuntimeError):
    """The score log cannot be written: the session must stop, and the trainee must be told why."""

    def __init__(self, path: Path | str, exc: BaseException):
        self.path = str(path)
        self.reason = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
        super().__init__(f"cannot write the score log {self.path}: {self.reason}")

    @property
    def short(self) -> str:
        """For a window with little room: what happened and what to do."""
        return (f"The score log could not be saved ({self.reason}), so the session was stopped. "
                "Tell your instructor.")

    @property
    def advice(self) -> str:
        """What the trainee reads: what happened, that the session stopped, and whom to tell."""
        return (f"The score log could not be saved ({self.reason}), so the session was stopped rather than go on "
                f"unrecorded. Tell your instructor. Log: {self.path}")


def make_folder(folder: Path) -> None:
    """Create the log folder (owner-only) if it is missing."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)


def create(path: Path) -> int:
    """Create ``path`` exclusively, owner-only, for appending; return its descriptor."""
    make_folder(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_CLOEXEC", 0) | getattr(
        os, "O_BINARY", 0)
    return os.open(path, flags, FILE_MODE)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write fewer), raising ``OSError`` on any failure."""
    view = memoryview(data)
    while view:
        done = _write(fd, view)
        if done <= 0:
            raise OSError(28, "No space left on device")
        view = view[done:]


def sync(fd: int) -> None:
    os.fsync(fd)


def sync_folder(folder: Path) -> None:
    """Make a new file's name durable too (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


_CLOSE = object()


class QueuedFile:
    """A log stream whose writes go to disk on a background thread, in order, each as soon as it can.

    Built from a path (the file is created here) or from a descriptor already holding the log's first,
    synced event. ``write`` only queues; the first ``OSError`` stops the writing and stays in
    :attr:`error` for the view to show. ``close`` queues a sync and close; ``join`` waits for them.
    """

    def __init__(self, path: Path, fd: int | None = None):
        self.path = path
        self._fd = create(path) if fd is None else fd
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"log-writer {path.name}", daemon=True)
        self.closed = False
        self.error: OSError | None = None
        self._unwritten = 0
        self._idle = threading.Condition()
        self._thread.start()

    def write(self, text: str | bytes) -> int:
        if self.closed:
            raise ValueError("write to a closed log stream")
        with self._idle:
            self._unwritten += 1
        self._queue.put(text.encode() if isinstance(text, str) else text)
        return len(text)

    def flush(self) -> None:
        """Each event is written by the thread as it comes; nothing to wait for here."""

    def fileno(self) -> int:
        raise io.UnsupportedOperation("the log is written on a background thread")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._queue.put(_CLOSE)

    def join(self, timeout: float | None = 5.0) -> None:
        """Wait until everything queued is on disk (views call this before they exit)."""
        self._thread.join(timeout)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every write queued so far was tried (written, or failed into :attr:`error`)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unwritten == 0, timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _CLOSE:
                try:
                    if self.error is None:
                        sync(self._fd)
                except OSError as exc:
                    self.error = exc
                finally:
                    with contextlib.suppress(OSError):
                        os.close(self._fd)
                return
            try:
                if self.error is None:  # once broken, the rest is drained unwritten: the view stops the session
                    assert isinstance(item, bytes)
                    write_all(self._fd, item)
            except OSError as exc:
                self.error = exc
            finally:
                with self._idle:
                    self._unwritten -= 1
                    self._idle.notify_all()
