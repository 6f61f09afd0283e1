"""A shared academy workstation: sign-out forgets the name, the end screen survives a hurried Enter, the
picker remembers each trainee's last scenario, the window its place, Settings steps both ways by click,
no developer message reaches a trainee, and a window left alone does no work."""

from __future__ import annotations

import json
from pathlib import Path

import pygame

from game.ui import settings as ui_settings
from game.ui import speech
from tests.conftest import LIB
from tests.uidriver import Driver, fixture_library


def sign_in(d: Driver, name: str) -> None:
    d.type(name)
    d.key(pygame.K_RETURN)
    assert d.screen == "picker"


def test_sign_out_clears_the_name_and_a_new_trainee_must_type_one(tmp_path: Path) -> None:
    d = Driver(tmp_path)
    sign_in(d, "Alex Doe")
    assert d.shows("Signed in as Alex Doe")
    d.key(pygame.K_ESCAPE)  # sign out
    assert d.screen == "title" and d.app.trainee == ""
    assert d.button("name").texts[-1].text == "Type your name or ID"
    d.key(pygame.K_RETURN)  # the next person presses Enter straight away
    assert d.screen == "title" and d.shows("Type your name or trainee ID first.")
    d.close()
    assert json.loads(ui_settings.path().read_text())["trainee"] == ""


def test_a_second_enter_within_half_a_second_does_nothing_on_the_end_screen(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini")
    for k in (pygame.K_1, pygame.K_RETURN, pygame.K_1, pygame.K_RETURN, pygame.K_1):
        d.key(k)
    assert d.screen == "feedback"
    d.key(pygame.K_RETURN)  # "See how it ends"
    assert d.screen == "end" and d.app.top.focus is None
    d.key(pygame.K_RETURN)  # the hurried second Enter: nothing is focused, nothing happens
    assert d.screen == "end"
    d.app.top.focus = "retry"  # even a focused button waits out the half second
    d.key(pygame.K_RETURN)
    d.key(pygame.K_1)
    assert d.screen == "end" and len(d.app.runs) == 1
    d.frame(dt=0.5)
    d.key(pygame.K_RETURN)
    assert d.screen == "briefing" and len(d.app.runs) == 2  # now Try again works
    d.close()


def two_scenarios(tmp_path: Path):
    """The fixture library with a second scenario (mini under another id), so there is a choice to remember."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "topics.yaml").write_text((LIB / "topics.yaml").read_text())
    text = (LIB / "mini.yaml").read_text()
    (folder / "mini.yaml").write_text(text)
    (folder / "mini-two.yaml").write_text(text.replace("id: mini", "id: mini-two", 1).replace(
        "title: Mini Test Scene", "title: Another Mini Scene", 1))
    return fixture_library(folder)


def test_the_picker_remembers_each_trainees_last_scenario(tmp_path: Path) -> None:
    lib = two_scenarios(tmp_path)
    d = Driver(tmp_path, lib=lib)
    sign_in(d, "Alex")
    first = d.app.top.selected
    other = next(s for s in d.app.lib.scenarios if s != first)
    d.click(f"scn:{other}")
    d.click("start")
    assert d.screen == "briefing"
    d.key(pygame.K_ESCAPE)  # back to the scenarios
    d.key(pygame.K_ESCAPE)  # sign out
    sign_in(d, "Blake")
    assert d.app.top.selected == first  # Blake has no history here
    d.key(pygame.K_ESCAPE)
    d.close()
    again = Driver(tmp_path, lib=lib)
    sign_in(again, "Alex")
    assert again.app.top.selected == other and again.app.top.focus == f"scn:{other}"
    again.close()


def test_the_window_opens_at_its_last_size(tmp_path: Path) -> None:
    d = Driver(tmp_path)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1000, h=700, size=(1000, 700)))
    d.frame()
    d.close()
    saved = json.loads(ui_settings.path().read_text())["window"]
    assert saved[2:] == [1000, 700]
    import argparse

    from game.ui.app import App

    args = argparse.Namespace(scenario=None, trainee=None, log_dir=tmp_path, mode="practice", timers=None,
                              library=[], text=False)
    app = App(args, fps=0, lib=fixture_library())
    assert app.surface.get_size() == (1000, 700)
    app.close()


def test_settings_step_forward_by_left_click_and_back_by_right_click(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex")
    d.app.push_settings()
    d.frame()
    assert d.shows("Text size:  Medium")
    d.click("text_size")
    assert d.shows("Text size:  Large")
    for _ in range(2):
        pos = d.button("text_size").screen_rect().center
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=3))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=3))
        d.frame()
    assert d.shows("Text size:  Small")
    d.click("reading")
    assert d.shows("Reading speed:  Fast (240 words a minute)")
    d.close()


def test_trainees_see_no_developer_messages(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(speech, "available", lambda: False)
    d = Driver(tmp_path, trainee="Alex")
    d.app.push_settings()
    d.frame()
    text = " ".join(d.texts())
    assert "Read aloud:  Not available on this computer" in text
    assert "pyttsx3" not in text and "espeak" not in text and "extra" not in text
    d.close()


def test_a_window_left_alone_draws_nothing(tmp_path: Path) -> None:
    """Redraw only on change: idle frames on the title screen, and on a timed scene only the clock's corner."""
    d = Driver(tmp_path)
    d.frame()
    full, partial = d.app.full_draws, d.app.partial_draws
    for _ in range(30):
        d.frame()
    assert (d.app.full_draws, d.app.partial_draws) == (full, partial)
    assert d.app.next_wake() >= 0.5  # the loop may sleep: nothing on screen needs it sooner
    d.close()
    d = Driver(tmp_path / "b", trainee="Alex", scenario="mini", mode="exam")
    d.read()
    d.frame()
    full, partial = d.app.full_draws, d.app.partial_draws
    d.frame(dt=1.0)
    assert d.app.full_draws == full and d.app.partial_draws == partial + 1
    assert 0 < d.app.next_wake() <= 1.0
    d.close()


def test_the_icon_and_the_portrait_licence_are_shipped() -> None:
    from game.content.library import builtin_dir

    assets = builtin_dir("assets")
    icon = pygame.image.load(str(assets / "icon.png"))
    assert icon.get_size() == (256, 256)
    assert "Pablo Stanley" in (assets / "licences" / "avataaars.txt").read_text()


def test_every_built_in_scenario_shows_in_the_picker_and_its_briefing(tmp_path: Path) -> None:
    """The picker's details and the briefing draw every library scenario (objectives with ids included)."""
    from game.content.library import load_library

    lib = load_library(env={})
    d = Driver(tmp_path, lib=lib)
    sign_in(d, "Alex")
    for sid in sorted(lib.scenarios):
        d.click(f"scn:{sid}")
        assert d.app.top.selected == sid
        d.frame()
        title = lib.scenarios[sid].objective_list()[0].text
        assert d.shows(title[:30]), sid
    d.click("start")
    assert d.screen == "briefing"
    d.close()
