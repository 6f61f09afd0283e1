"""Fair timers: reading time before the countdown, a clock that stands still while the trainee cannot see
every choice, and the last seconds announced by shape, number and an optional sound."""

from __future__ import annotations

import math
from pathlib import Path

import pygame
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.ui import sound
from game.ui.countdown import LAST_SECONDS, Countdown, reading_allowance, word_count
from game.ui.screens.scene import timer_words
from tests.uidriver import Driver

MINI_WORDS = 14
"""Narration, line and both choices of the fixture's first, timed scene: what there is to read before deciding."""


def test_reading_allowance_comes_before_the_countdown(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini", mode="exam")
    scene = d.app.top
    assert scene.words() == MINI_WORDS
    allowance = reading_allowance(MINI_WORDS, 180)
    assert allowance == 5 and scene.countdown.reading == pytest.approx(allowance, abs=0.02)  # less the first frame
    assert timer_words(scene.countdown, False)[0] == "Reading time"
    d.frame(dt=allowance - 0.5)
    assert scene.countdown.remaining == 10  # the clock has not started while the trainee reads
    d.frame(dt=1.0)
    assert scene.countdown.phase == "counting" and scene.countdown.remaining == pytest.approx(9.5, abs=0.02)
    assert timer_words(scene.countdown, False)[0] == "Time to respond"
    d.close()


def test_reading_speed_setting_changes_the_allowance(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini", mode="exam", briefing=True)
    d.app.settings.reading_speed = 0  # slow: 120 words a minute
    d.key(pygame.K_RETURN)
    assert d.app.top.countdown.reading == pytest.approx(math.ceil(MINI_WORDS * 60 / 120), abs=0.02)
    d.close()


def test_the_last_seconds_change_shape_and_words_and_can_tick(tmp_path: Path, monkeypatch) -> None:
    ticks: list[bool] = []
    monkeypatch.setattr(sound, "tick", lambda last=False: ticks.append(last) or True)
    d = Driver(tmp_path, trainee="Alex", scenario="mini", mode="exam")
    d.app.settings.countdown_sound = True
    d.read()
    scene = d.app.top
    box = d.layout.extras["timer"]
    d.frame(dt=10 - LAST_SECONDS - 0.5)
    assert not scene.countdown.last_seconds and not ticks
    before = pygame.Surface(box.size)
    before.blit(d.app.surface, (0, 0), box)
    d.frame(dt=1.0)
    assert scene.countdown.last_seconds and timer_words(scene.countdown, False)[0] == f"Last {LAST_SECONDS} seconds"
    after = pygame.Surface(box.size)
    after.blit(d.app.surface, (0, 0), box)
    assert pygame.image.tobytes(before, "RGB") != pygame.image.tobytes(after, "RGB")
    for _ in range(4):
        d.frame(dt=1.0)
    assert ticks == [False, False, False, False, True]  # one tick a second, a higher one on the last
    d.close()


def test_no_sound_unless_turned_on(tmp_path: Path, monkeypatch) -> None:
    ticks: list[bool] = []
    monkeypatch.setattr(sound, "tick", lambda last=False: ticks.append(last) or True)
    d = Driver(tmp_path, trainee="Alex", scenario="mini", mode="exam")
    d.read()
    d.frame(dt=9.5)
    assert d.app.top.countdown.last_seconds and not ticks
    d.close()


def test_the_clock_stands_still_in_the_briefing_and_the_people_sheet(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini", mode="exam")
    d.read()
    scene = d.app.top
    for k in (pygame.K_b, pygame.K_p):
        d.key(k)
        assert d.screen in ("briefing", "people")
        d.frame(dt=60)
        d.key(pygame.K_ESCAPE)
        assert d.screen == "scene" and scene.countdown.remaining > 9.9  # one frame of 1/60 s after coming back
    d.close()


@given(st.floats(0.5, 120), st.floats(1, 600), st.lists(st.floats(0, 3), max_size=60),
       st.lists(st.booleans(), max_size=60))
def test_a_countdown_only_runs_while_visible_and_never_skips_reading(allowance, total, steps, visible) -> None:
    c = Countdown.start(allowance, total)
    seen = 0.0
    for dt, vis in zip(steps, visible + [True] * len(steps)):
        over = c.advance(dt, vis)
        if vis:
            seen += dt
        assert c.reading >= 0 and 0 <= c.remaining <= total
        assert c.reading == pytest.approx(max(0.0, allowance - seen), abs=1e-6)
        assert c.remaining == pytest.approx(max(0.0, total - max(0.0, seen - allowance)), abs=1e-6)
        assert over == (c.remaining <= 0 and c.phase == "over") or not over
        assert c.until_change() > 0


def test_word_count_and_allowance() -> None:
    assert word_count("Stay back!", None, "Walk straight up.") == 5
    assert reading_allowance(0, 180) == 2.0  # even a glance gets two seconds
    assert reading_allowance(120, 180) == 40.0
