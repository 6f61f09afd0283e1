"""Hot reload in terminal play: a saved edit shows at the same node; a broken save shows errors and play goes on."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from game.content.library import Library
from game.content.loader import load_scenario
from game.textplay import TextPlay
from tests.conftest import LIB


class Terminal(io.StringIO):
    """Standard input that looks like a terminal; each answer may first do something (save the file)."""

    def __init__(self, script: list[tuple[Callable[[], None] | None, str]]):
        super().__init__()
        self.script = list(script)

    def isatty(self) -> bool:
        return True

    def readline(self, *_: object) -> str:
        if not self.script:
            return ""
        action, answer = self.script.pop(0)
        if action is not None:
            action()
        return answer + "\n"


def _save(path: Path, text: str) -> Callable[[], None]:
    def write() -> None:
        path.write_text(text, encoding="utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a later save, whatever the clock

    return write


def test_saved_edits_reload_at_the_same_node_and_errors_do_not_stop_play(tmp_path: Path, rubric) -> None:
    path = tmp_path / "mini.yaml"
    shutil.copy(LIB / "mini.yaml", path)
    original = path.read_text(encoding="utf-8")
    broken = original.replace("title: Mini Test Scene", "title: [Mini Test Scene")
    edited = original.replace("line: What do you want?", "line: What do you want from me?")
    scenario = load_scenario(path, rubric)
    out = io.StringIO()
    stdin = Terminal([(None, "1"), (_save(path, broken), ""), (_save(path, edited), ""), (None, "1"), (None, "1")])
    play = TextPlay(Library(rubric=rubric), scenario, trainee="t", log_dir=tmp_path / "logs", stdin=stdin, stdout=out)
    assert play.run() == 0
    text = " ".join(out.getvalue().split())  # as read, whatever the terminal width wrapped
    errors_at = text.index("saved with errors; playing on with the last good version")
    assert "CG001" in text[errors_at:]
    reloaded_at = text.index("[reloaded mini; still at 'talk']")
    assert reloaded_at > errors_at
    assert "What do you want from me?" in text[reloaded_at:]
    assert "ENDING: Dog found" in text
    assert play.scenario.nodes["talk"].line == "What do you want from me?"


def test_a_removed_node_restarts_the_scene(tmp_path: Path, rubric) -> None:
    path = tmp_path / "mini.yaml"
    shutil.copy(LIB / "mini.yaml", path)
    text = path.read_text(encoding="utf-8")
    renamed = text.replace("  talk:\n", "  talk2:\n").replace("goto: talk\n", "goto: talk2\n")
    renamed = renamed.replace("goto: talk,", "goto: talk2,")
    out = io.StringIO()
    stdin = Terminal([(None, "1"), (_save(path, renamed), ""), (None, "1"), (None, "1"), (None, "1")])
    play = TextPlay(Library(rubric=rubric), load_scenario(path, rubric), trainee="t", log_dir=tmp_path / "logs",
                    stdin=stdin, stdout=out)
    assert play.run() == 0
    assert "'talk' is gone, so the scene restarted" in " ".join(out.getvalue().split())


def test_piped_input_does_not_watch_the_file(tmp_path: Path, rubric) -> None:
    play = TextPlay(Library(rubric=rubric), load_scenario(LIB / "mini.yaml", rubric), trainee="t",
                    log_dir=tmp_path, stdin=io.StringIO("1\n1\n1\n"), stdout=io.StringIO())
    assert play.watcher is None and play.run() == 0
