"""Read aloud, when pyttsx3 (and a speech engine such as espeak-ng) is installed.

pyttsx3's ``runAndWait()`` blocks while the audio plays, so speech runs on its own thread and the
frame loop only queues text. Without pyttsx3 the game works the same, silently.
"""

from __future__ import annotations

import importlib.util
import queue
import threading


def available() -> bool:
    return importlib.util.find_spec("pyttsx3") is not None


class Speaker:
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.failed = False

    def say(self, text: str) -> None:
        """Queue text to speak; drops what was still waiting, so speech keeps up with the screen."""
        if self.failed or not text.strip() or not available():
            return
        self._drain()
        self._queue.put(text)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="read-aloud", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._drain()
        if self._thread is not None:
            self._queue.put(None)

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _run(self) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
        except Exception:  # no speech engine on this machine: stay silent
            self.failed = True
            return
        while True:
            text = self._queue.get()
            if text is None:
                self._thread = None
                return
            try:
                engine.say(text)
                engine.runAndWait()
            except Exception:
                self.failed = True
                return
