"""Whole sessions in the game window, keyboard-only and mouse-only, checked against terminal play's log."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pygame
import pytest

from game.records.scorelog import read_log
from game.ui import settings as ui_settings
from tests.conftest import LIB
from tests.uidriver import Driver, events, fixture_library, only_log, terminal_log


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return tmp_path / "game"


def test_keyboard_only_session_matches_terminal_log(tmp_path: Path, logs: Path) -> None:
    d = Driver(logs)
    assert d.screen == "title"
    d.type("Alex Doe")
    assert d.button("name").texts[-1].text.startswith("Alex Doe")
    d.key(pygame.K_RETURN)
    assert d.screen == "picker"
    assert d.shows("Mini Test Scene") and d.shows("Not played yet") and d.shows("Exercise the engine.")
    assert d.shows("A quiet street.")  # the setting, in the details
    d.key(pygame.K_RETURN)  # select the focused scenario: focus goes to Start
    assert d.app.top.focus == "start"
    d.key(pygame.K_RETURN)
    assert d.screen == "briefing" and d.shows("A quiet street.") and d.shows("Timers")
    d.key(pygame.K_RETURN)
    assert d.screen == "scene"
    assert d.shows("“Stay back!”") and d.shows("Sam stands by a fence.") and d.shows("Highly agitated")
    assert d.texts("key") == ["1", "2"]
    assert d.app.top.focus is None  # no choice is suggested by a highlight
    d.key(pygame.K_1)
    assert d.screen == "feedback"
    assert d.shows("+ This helped") and d.shows("Distance helps.") and d.shows("Agitation: from 60 to 40, now agitated")
    assert d.shows("Sam now seems agitated (was very agitated)")
    d.key(pygame.K_RETURN)
    assert d.screen == "scene" and d.shows("“What do you want?”")
    d.key(pygame.K_DOWN)  # arrows and Enter choose as well as the numbers
    d.key(pygame.K_RETURN)
    assert d.screen == "feedback" and d.shows("Voice matters.")
    d.key(pygame.K_RETURN)
    d.key(pygame.K_1)
    d.key(pygame.K_RETURN)
    assert d.screen == "end"
    assert d.shows("Dog found") and d.shows("Outcome: resolved") and d.shows("100%")
    assert d.texts("passed") == ["Passed (pass mark 60%)"]
    assert d.texts("best") == ["+ The best option here"] * 3
    game_log = only_log(logs)
    assert d.app.top.focus is None  # the debrief is read first
    d.frame(dt=0.6)
    d.key(pygame.K_TAB)
    assert d.app.top.focus == "picker"
    d.key(pygame.K_RETURN)  # Back to scenarios
    assert d.screen == "picker" and d.shows("Your best: 100%, resolved (1 play)")
    d.close()
    text_log = terminal_log(fixture_library(), "mini", ["1", "1", "1"], tmp_path / "text", trainee="Alex Doe")
    assert events(game_log) == events(text_log)
    assert read_log(game_log).summary["status"] == "completed"


def test_mouse_only_exam_session_matches_terminal_log(tmp_path: Path, logs: Path) -> None:
    d = Driver(logs, trainee="B-204")
    d.click("continue")
    assert d.screen == "picker"
    d.click("scn:mini")
    d.click("mode")
    assert d.shows("Exam: feedback only at the end")
    d.click("start")
    d.click("begin")
    assert d.screen == "scene" and d.shows("Exam mode")
    assert not d.texts("meter") and d.shows("Exam mode: the meters show at the end.")
    assert d.texts("expression") == ["Seems very agitated"]  # the face still shows how Sam seems
    d.click("choice:arrival.rush")
    assert d.screen == "scene"  # exam mode: no feedback between choices
    assert d.shows("“Get away from me!”")  # the automatic branch the engine took
    d.click("choice:hot.back-off")
    d.click("choice:talk_again.1")
    d.click("choice:listen.leave")
    assert d.screen == "end" and d.shows("You leave") and d.shows("Better here: Stop and introduce yourself.")
    assert d.shows("Rushing hurts.")  # exam feedback comes in the end timeline
    assert any(t.startswith("Agitation: ") for t in d.texts("meter-end"))  # the meters, at the end
    game_log = only_log(logs)
    d.frame(dt=0.6)
    d.click("picker")
    assert d.screen == "picker"
    d.close()
    text_log = terminal_log(fixture_library(), "mini", ["2", "1", "1", "1"], tmp_path / "text", trainee="B-204",
                            mode="exam")
    assert events(game_log) == events(text_log)


def test_quitting_mid_session_logs_abandoned(logs: Path) -> None:
    d = Driver(logs, trainee="Alex", scenario="mini")
    assert d.screen == "scene"  # play SCENARIO goes straight in when the trainee is known
    d.key(pygame.K_2)
    d.key(pygame.K_ESCAPE)
    assert d.screen == "pause" and d.shows("Paused")
    d.key(pygame.K_DOWN, times=3)
    assert d.app.top.focus == "quit"
    d.key(pygame.K_RETURN)
    assert d.screen == "picker"
    log = read_log(only_log(logs))
    assert [e["type"] for e in log.events][-2:] == ["abandoned", "summary"]
    assert log.summary["status"] == "abandoned" and log.summary["path"] == ["arrival.rush"]
    d.close()


def test_closing_the_window_mid_session_logs_abandoned(logs: Path) -> None:
    d = Driver(logs, trainee="Alex", scenario="mini")
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    d.frame()
    assert not d.app.running
    d.close()  # waits for the log writer
    assert read_log(only_log(logs)).summary["status"] == "abandoned"


def test_timer_runs_out_and_slower_doubles_it(logs: Path) -> None:
    d = Driver(logs, trainee="Alex", scenario="mini", mode="exam")
    assert d.app.top.countdown.phase == "reading"
    d.read()
    d.frame(dt=9.5)
    assert d.app.top.remaining == pytest.approx(0.5, abs=0.05)
    d.frame(dt=1.0)
    assert d.shows("“What do you want?”")
    d.close()
    step = [e for e in read_log(only_log(logs)).events if e["type"] == "timeout"]
    assert step and step[0]["elapsed"] == 10 and step[0]["choice"] == "arrival.timeout"


def test_slower_timers_double_the_time(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini", timers="slower", mode="exam")
    d.read()
    assert d.app.top.countdown.total == 20
    d.frame(dt=15)
    assert d.shows("“Stay back!”")
    d.frame(dt=5.5)
    assert d.shows("“What do you want?”")
    d.close()


def test_timers_off_offers_waiting_as_a_choice(logs: Path) -> None:
    d = Driver(logs, trainee="Alex", scenario="mini", timers="off", mode="exam")
    d.frame(dt=60)
    assert d.shows("“Stay back!”") and d.shows("No countdown (timers are off)")
    assert d.button("wait").key == "3" and d.shows("Wait: Say nothing")
    d.key(pygame.K_3)
    assert d.shows("“What do you want?”")
    d.close()
    assert [e["choice"] for e in read_log(only_log(logs)).events if e["type"] == "timeout"] == ["arrival.timeout"]


def test_pause_stops_the_countdown_and_restart_starts_over(logs: Path) -> None:
    d = Driver(logs, trainee="Alex", scenario="mini", mode="exam")
    d.read()
    d.key(pygame.K_ESCAPE)
    d.frame(dt=30)
    d.key(pygame.K_ESCAPE)  # resume
    assert d.screen == "scene" and d.shows("“Stay back!”")
    d.key(pygame.K_1)
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_DOWN)
    d.key(pygame.K_RETURN)  # Restart this scenario
    assert d.screen == "scene" and d.shows("“Stay back!”") and d.app.run.session.history == []
    d.close()
    types = [e["type"] for e in read_log(only_log(logs)).events]
    assert "restart" in types and types[-1] == "summary"


def test_settings_are_saved_and_used_next_time(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex")
    d.key(pygame.K_DOWN)
    d.key(pygame.K_DOWN)  # name field -> Continue -> Settings
    d.key(pygame.K_RETURN)
    assert d.screen == "settings" and d.shows("Text size:  Medium")
    d.key(pygame.K_RIGHT)
    assert d.shows("Text size:  Large")
    d.key(pygame.K_DOWN)
    d.key(pygame.K_RETURN)
    assert d.shows("Theme:  High contrast") and d.layout.theme.name == "High contrast"
    d.key(pygame.K_DOWN)
    d.key(pygame.K_LEFT)  # timers: on -> off (cycles back)
    assert d.shows("Timers:  Off (wait is a choice)")
    d.key(pygame.K_ESCAPE)
    assert d.screen == "title"
    d.key(pygame.K_UP, times=2)
    d.key(pygame.K_RETURN)  # sign in
    assert d.screen == "picker"
    d.close()
    saved = json.loads(ui_settings.path().read_text())
    assert saved["text_size"] == 2 and saved["high_contrast"] is True and saved["timers"] == "off"
    again = Driver(tmp_path)
    assert again.app.settings.text_size == 2
    assert again.app.trainee == "" and again.button("name").texts[-1].text == "Type your name or ID"
    again.close()


def test_hot_reload_shows_errors_and_keeps_playing(tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    shutil.copy(LIB / "topics.yaml", lib_dir)
    scenario_file = lib_dir / "mini.yaml"
    original = (LIB / "mini.yaml").read_text()
    scenario_file.write_text(original)
    d = Driver(tmp_path / "logs", trainee="Alex", scenario="mini", mode="exam", lib=fixture_library(lib_dir))

    def save(text: str) -> None:
        scenario_file.write_text(text)
        stamp = time.time() + 5
        import os

        os.utime(scenario_file, (stamp, stamp))
        d.app.run._next_poll = 0  # the next frame polls at once instead of within half a second
        d.frame()

    save(original.replace("line: Stay back!", "line: Stay right there!"))
    assert d.shows("“Stay right there!”") and d.shows("reloaded mini; still at 'arrival'")
    save(original.replace("goto: talk\n", "goto: nowhere\n", 1))
    assert d.shows("The scenario file has errors; still playing the last good version:")
    assert any("nowhere" in t for t in d.texts("diagnostic"))
    d.key(pygame.K_1)  # play goes on with the last good version
    assert d.shows("“What do you want?”")
    save(original)
    assert not d.texts("diagnostic")
    d.close()
    assert any(e["type"] == "reload" for e in read_log(only_log(tmp_path / "logs")).events)


def test_mouse_wheel_scrolls_and_hover_moves_focus(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini", size=(1280, 720))
    d.app.settings.text_size = 3
    d.app.relayout()
    for k in (pygame.K_1, pygame.K_RETURN, pygame.K_1, pygame.K_RETURN, pygame.K_1, pygame.K_RETURN):
        d.key(k)
    assert d.screen == "end"
    scroll = d.layout.scrolls["end"]
    assert scroll.max_offset > 0  # the largest text does not fit: it scrolls instead of overflowing
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=scroll.view.center, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, flipped=False, precise_x=0.0, precise_y=-2.0))
    d.frame()
    assert d.layout.scrolls["end"].offset > 0
    d.key(pygame.K_UP, times=40)
    assert d.layout.scrolls["end"].offset == 0
    pos = d.button("picker").screen_rect().center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    d.frame()
    assert d.app.top.focus == "picker"
    d.close()


def test_play_without_text_opens_the_game(tmp_path: Path) -> None:
    """``commonground play`` without --text reaches run_game; a bad scenario name is a message, not a traceback."""
    from tests.helpers import cli

    r = cli("play", "no-such-scenario", "--trainee", "x", "--library", str(LIB), "--log-dir", str(tmp_path),
            env={"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
    assert r.returncode == 2 and "no scenario 'no-such-scenario'" in r.stderr and "Traceback" not in r.stderr
