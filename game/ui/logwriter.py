"""A file-like stream for :class:`~game.records.scorelog.ScoreLog` that writes on a background thread.

The frame loop only puts a string on a queue (microseconds); the thread writes, flushes after each
event (so a crash loses at most the event in flight) and fsyncs on close. ``fileno()`` is not
offered, so ScoreLog's own fsync on close is skipped and done here, off the frame loop.
"""

from __future__ import annotations

import io
import os
import queue
import threading
from pathlib import Path

_CLOSE = object()


class QueuedFile:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = open(path, "x", encoding="utf-8")  # noqa: SIM115 - owned by the thread until close
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"log-writer {path.name}", daemon=True)
        self.closed = False
        self.error: OSError | None = None
        self._thread.start()

    def write(self, text: str) -> int:
        if self.closed:
            raise ValueError("write to a closed log stream")
        self._queue.put(text)
        return len(text)

    def flush(self) -> None:
        """Each event is flushed by the writer thread; nothing to wait for here."""

    def fileno(self) -> int:
        raise io.UnsupportedOperation("the log is written on a background thread")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._queue.put(_CLOSE)

    def join(self, timeout: float | None = 5.0) -> None:
        """Wait until everything queued is on disk (the app calls this before it exits)."""
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _CLOSE:
                    self._file.flush()
                    os.fsync(self._file.fileno())
                    self._file.close()
                    return
                assert isinstance(item, str)
                self._file.write(item)
                self._file.flush()
            except OSError as exc:  # keep the first error for the view to report; keep draining
                self.error = self.error or exc
                if item is _CLOSE:
                    return
