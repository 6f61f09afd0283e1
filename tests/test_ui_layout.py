"""Every screen at 1280x720 and 1920x1080, at the smallest and largest text size: no text box leaves its
panel, none overlap, no line is wider than its box, and every character has a glyph in the shipped font."""

from __future__ import annotations

import itertools
from pathlib import Path

import pygame
import pytest

from game.ui.layout import Layout
from game.ui.screens.settings import SettingsScreen
from game.ui.theme import TEXT_SIZES
from tests.conftest import FIXTURES
from tests.uidriver import Driver, fixture_library

UI_LIB = FIXTURES / "ui" / "lib"
SIZES = [(1280, 720), (1920, 1080)]
TEXT = [0, len(TEXT_SIZES) - 1]


def has_glyph(font: pygame.font.Font, ch: str, cache: dict) -> bool:
    """A missing glyph renders as the font's "not defined" box; compare pixels with a surely missing one."""
    key = (id(font), ch)
    if key not in cache:
        def pixels(c: str) -> bytes:
            return pygame.image.tobytes(font.render(c, False, (255, 255, 255), (0, 0, 0)), "RGB")

        cache.setdefault((id(font), None), pixels("\U000f0000"))
        cache[key] = pixels(ch) != cache[(id(font), None)]
    return cache[key]


def problems(L: Layout) -> list[str]:
    """What is wrong with a laid-out screen, as readable sentences (empty when all is well)."""
    out: list[str] = []
    window = pygame.Rect(0, 0, L.w, L.h)
    notdef = {}
    for box in L.texts:
        where = f"{box.role} {box.text[:40]!r}"
        if not box.panel.contains(box.rect):
            out.append(f"{where} at {box.rect} leaves its panel {box.panel}")
        if box.scroll is None and not window.contains(box.rect):
            out.append(f"{where} at {box.rect} leaves the window")
        if box.scroll is not None and not (box.scroll.view.left <= box.rect.left
                                           and box.rect.right <= box.scroll.view.right):
            out.append(f"{where} is wider than its scroll area {box.scroll.view}")
        font = L.text.font_for(box.text, box.size, box.bold)
        for line in box.lines:
            if font.size(line)[0] > box.rect.width:
                out.append(f"{where}: line {line[:30]!r} is wider than its box ({box.rect.width}px)")
        missing = {ch for ch in box.text if not ch.isspace() and not has_glyph(font, ch, notdef)}
        if missing:
            out.append(f"{where}: no glyph for {sorted(missing)}")
    for a, b in itertools.combinations(L.texts, 2):
        same_space = (a.scroll.id if a.scroll else None) == (b.scroll.id if b.scroll else None)
        if same_space and a.rect.width and b.rect.height and a.rect.colliderect(b.rect):
            out.append(f"{a.role} {a.text[:30]!r} {a.rect} overlaps {b.role} {b.text[:30]!r} {b.rect}")
    for a, b in itertools.combinations(L.buttons, 2):
        if a.scroll is b.scroll and a.rect.colliderect(b.rect):
            out.append(f"button {a.id} overlaps button {b.id}")
    for b in L.buttons:
        if b.scroll is None and not window.contains(b.rect):
            out.append(f"button {b.id} leaves the window")
    for name, rect in L.extras.items():
        if name != "portrait" and not window.contains(rect):
            out.append(f"{name} at {rect} leaves the window")
    for panel in L.panels:
        if panel.scroll is None and not window.contains(panel.rect):
            out.append(f"panel {panel.rect} leaves the window")
        if panel.scroll is None and panel.border is not None:
            for box in L.texts:  # a panel's border may not cut through text that is not inside it
                if box.scroll is None and box.rect.height and not panel.rect.contains(box.rect) \
                        and panel.rect.colliderect(box.rect):
                    out.append(f"panel {panel.rect} cuts through {box.role} {box.text[:30]!r} {box.rect}")
    return out


def walk(d: Driver):
    """Visit every screen with the keyboard, yielding each one's name once it shows."""
    yield "title"
    d.app.push(SettingsScreen(d.app))
    d.frame()
    yield "settings"
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_RETURN)
    yield "picker"
    d.key(pygame.K_RETURN)
    d.key(pygame.K_RETURN)
    yield "briefing"
    d.key(pygame.K_RETURN)
    yield "scene"
    d.key(pygame.K_p)
    yield "people"
    d.key(pygame.K_ESCAPE)
    d.app.set_timers("off")
    d.app.top.on_show()
    d.frame()
    assert d.shows("Wait: Say nothing and keep walking toward him")
    yield "scene (timers off)"
    d.app.set_timers("on")
    d.app.top.on_show()
    d.key(pygame.K_ESCAPE)
    yield "pause"
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_1)
    yield "feedback"
    d.key(pygame.K_RETURN)
    yield "scene (second node)"
    d.key(pygame.K_1)
    d.key(pygame.K_RETURN)
    yield "end"


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("text_size", TEXT, ids=[TEXT_SIZES[i][0] for i in TEXT])
def test_every_screen_keeps_text_inside_its_panels(tmp_path: Path, size: tuple[int, int], text_size: int) -> None:
    d = Driver(tmp_path, size=size, trainee="Alex Doe", lib=fixture_library(UI_LIB))
    d.app.settings.text_size = text_size
    d.app.relayout()
    d.frame()
    seen = []
    for name in walk(d):
        assert d.app.surface.get_size() == size
        found = problems(d.layout)
        assert not found, f"{name}: " + "; ".join(found[:5])
        seen.append(d.screen)
    assert seen == ["title", "settings", "picker", "briefing", "scene", "people", "scene", "pause", "feedback", "scene",
                    "end"]
    d.close()


def test_high_contrast_and_resizing_relayout(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex Doe", lib=fixture_library(UI_LIB))
    d.app.settings.high_contrast = True
    d.app.relayout()
    for name in walk(d):
        assert not problems(d.layout), name
        if name == "scene":
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=900, size=(1600, 900)))
            d.frame()
            assert d.layout.w == 1600 and not problems(d.layout)
    assert d.layout.theme.name == "High contrast"
    d.close()


def test_the_checker_catches_overflow(tmp_path: Path) -> None:
    """The layout check is not vacuous: a box pushed outside its panel is reported."""
    d = Driver(tmp_path, trainee="Alex Doe", lib=fixture_library(UI_LIB))
    L = d.layout
    assert not problems(L)
    L.texts[0].rect.x = L.w - 5
    assert any("leaves" in p for p in problems(L))
    d.close()


def test_long_text_wraps_and_scrolls_at_the_largest_size(tmp_path: Path) -> None:
    d = Driver(tmp_path, size=(1280, 720), trainee="Alex Doe", scenario="corner-store", lib=fixture_library(UI_LIB))
    d.app.settings.text_size = len(TEXT_SIZES) - 1
    d.app.relayout()
    d.frame()
    narration = next(t for t in d.layout.texts if t.role == "narration")
    assert len(narration.lines) > 2
    scroll = d.layout.scrolls.get("story") or d.layout.scrolls["column"]
    assert scroll.max_offset > 0  # the story no longer fits: it scrolls instead of overflowing
    scene = d.app.top
    d.frame(dt=60)
    assert scene.countdown.paused and scene.countdown.remaining == scene.countdown.total  # unread: no clock
    d.key(pygame.K_DOWN)  # focusing a choice scrolls it into view
    b = d.button(d.app.top.focus)
    assert b.scroll is None or b.scroll.view.contains(b.screen_rect())
    d.key(pygame.K_PAGEDOWN, times=5)
    before = scene.countdown.reading
    d.frame(dt=0.5)
    assert d.screen == "scene" and not scene.countdown.paused and scene.countdown.reading == before - 0.5
    d.close()
