"""The game's parts on their own: theme contrast, settings files, the background log writer, text caches."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import json
import time
from pathlib import Path

import pygame
import pytest

from game.engine.session import Session
from game.records.scorelog import ScoreLog, read_log
from game.ui import settings as ui_settings
from game.ui.logwriter import QueuedFile
from game.ui.text import Text, font_dir
from game.ui.theme import HIGH_CONTRAST, STANDARD, contrast_ratio


@pytest.mark.parametrize("theme", [STANDARD, HIGH_CONTRAST], ids=lambda t: t.name)
def test_every_text_colour_has_at_least_4_5_to_1_contrast(theme) -> None:
    low = {name: round(contrast_ratio(fg, bg), 2) for name, (fg, bg) in theme.text_pairs().items()
           if contrast_ratio(fg, bg) < 4.5}
    assert not low, low


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_settings_round_trip_and_survive_a_bad_file() -> None:
    s = ui_settings.Settings(text_size=3, high_contrast=True, timers="slower", trainee="T-1")
    ui_settings.save(s)
    assert ui_settings.load() == s
    ui_settings.path().write_text("{not json")
    assert ui_settings.load() == ui_settings.Settings()
    ui_settings.path().write_text(json.dumps({"text_size": 99, "timers": "fast", "unknown": 1}))
    loaded = ui_settings.load()
    assert loaded.text_size == 3 and loaded.timers == "on"


def test_font_and_licence_are_shipped() -> None:
    folder = font_dir()
    assert (folder / "AtkinsonHyperlegible-Regular.ttf").is_file()
    assert (folder / "AtkinsonHyperlegible-Bold.ttf").is_file()
    assert "SIL Open Font License" in (folder / "OFL.txt").read_text()


def test_a_name_the_main_font_cannot_draw_falls_back_to_dejavu() -> None:
    """Vietnamese names (Trần Thị Lan) have letters Atkinson Hyperlegible lacks: the line is drawn in DejaVu Sans."""
    pygame.font.init()
    text = Text()
    assert text.has_glyphs("Officer Hayes") and not text.has_glyphs("Trần Thị Lan")
    fallback = text.font_for("Trần Thị Lan", 21)
    assert fallback is not text.font(21)

    def pixels(c: str) -> bytes:
        return pygame.image.tobytes(fallback.render(c, False, (255, 255, 255), (0, 0, 0)), "RGB")

    assert all(pixels(c) != pixels("\U000f0000") for c in "ịạầ")
    assert (font_dir() / "DejaVuSans.ttf").is_file() and "Bitstream" in (font_dir() / "DejaVu-LICENSE.txt").read_text()


def test_rendered_text_is_cached_and_wrapping_respects_width() -> None:
    pygame.font.init()
    text = Text()
    a = text.render("Stay back!", 20, (255, 255, 255))
    b = text.render("Stay back!", 20, (255, 255, 255))
    assert a is b and text.renders == 1
    lines = text.wrap("A word-that-is-far-too-long-to-fit-on-one-line and more words", 20, 120)
    assert len(lines) > 2 and all(text.width(line, 20) <= 120 for line in lines)


def test_queued_log_matches_a_direct_log(tmp_path: Path, mini, rubric) -> None:
    """The background writer produces the same events as writing the file directly, all on disk after join."""
    direct = tmp_path / "direct.jsonl"
    queued = tmp_path / "queued.jsonl"
    stream = QueuedFile(queued)
    for path, out in ((direct, None), (queued, stream)):
        log = ScoreLog(path, mini, rubric, trainee="t", session_id="s", stream=out)
        session = Session(mini, rubric, observers=[log.observe])
        for n in (1, 1, 1):
            session.choose(n, elapsed=1.0)
    stream.join()
    assert stream.error is None
    strip = ("ts", "hash", "prev")
    a = [{k: v for k, v in e.items() if k not in strip} for e in read_log(direct).events]
    b = [{k: v for k, v in e.items() if k not in strip} for e in read_log(queued).events]
    assert a == b and b[-1]["type"] == "summary"


def test_queued_writes_do_not_wait_for_the_disk(tmp_path: Path) -> None:
    stream = QueuedFile(tmp_path / "x.jsonl")
    line = json.dumps({"type": "node", "pad": "x" * 300}) + "\n"
    start = time.perf_counter()
    for _ in range(1000):
        stream.write(line)
        stream.flush()
    per_write = (time.perf_counter() - start) / 1000
    stream.close()
    stream.join()
    assert (tmp_path / "x.jsonl").read_text().count("\n") == 1000
    assert per_write < 0.001  # far below a 16.7 ms frame even on a slow machine
