"""Settings: text size, high contrast, timers, fullscreen, read aloud. Saved at once, per user."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui import sound, speech
from game.ui.layout import Layout
from game.ui.screens.base import Screen, chrome
from game.ui.settings import READING_SPEEDS, TIMER_WORDS, TIMERS
from game.ui.theme import TEXT_SIZES

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "Up and Down move  ·  Enter or Right: next value, Left: the one before  ·  Right click steps back  ·  Esc: back"


class SettingsScreen(Screen):
    name = "settings"

    def __init__(self, app: App):
        super().__init__(app)

    def back(self) -> None:
        self.app.pop()

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_LEFT, pygame.K_RIGHT) and self.focus in self.rows():
            self.change(self.focus, -1 if event.key == pygame.K_LEFT else 1)
            return True
        return False

    def rows(self) -> dict[str, tuple[str, str, str]]:
        """Setting id -> (name, current value in words, what it does)."""
        s = self.app.settings
        voice = "On" if s.read_aloud else "Off"
        if not speech.available():
            voice = "Not available on this computer"
        name, wpm = READING_SPEEDS[s.reading_speed]
        return {
            "text_size": ("Text size", TEXT_SIZES[s.text_size][0], "Larger text wraps and scrolls; nothing is cut."),
            "contrast": ("Theme", "High contrast" if s.high_contrast else "Standard",
                         "High contrast uses black, white and yellow."),
            "timers": ("Timers", TIMER_WORDS[self.app.timers], "Slower doubles every time limit; off removes them."),
            "reading": ("Reading speed", f"{name} ({wpm} words a minute)",
                        "Timed moments give you this long to read before the countdown starts."),
            "sound": ("Countdown sound", "On" if s.countdown_sound else "Off",
                      "A soft tick in the last seconds of a countdown."),
            "display": ("Display", "Full screen" if s.fullscreen else "Window", "The window can be resized."),
            "voice": ("Read aloud", voice, "Speaks the narration and what people say."),
        }

    def change(self, key: str, step: int = 1) -> None:
        app, s = self.app, self.app.settings
        if key == "text_size":
            s.text_size = (s.text_size + step) % len(TEXT_SIZES)
        elif key == "contrast":
            s.high_contrast = not s.high_contrast
        elif key == "timers":
            app.set_timers(TIMERS[(TIMERS.index(app.timers) + step) % len(TIMERS)])
        elif key == "reading":
            s.reading_speed = (s.reading_speed + step) % len(READING_SPEEDS)
        elif key == "sound":
            s.countdown_sound = not s.countdown_sound
            if s.countdown_sound:
                sound.tick()  # let the trainee hear what it sounds like
        elif key == "display":
            s.fullscreen = not s.fullscreen
        elif key == "voice":
            if not speech.available():
                return
            s.read_aloud = not s.read_aloud
            if not s.read_aloud:
                app.speaker.stop()
        app.save_settings()
        if key == "display":
            app.apply_display()
        else:
            app.relayout()

    def build(self, L: Layout) -> None:
        area = chrome(L, "Settings", f"Saved for {self.app.trainee}" if self.app.trainee else "Saved on this computer",
                      HINT)
        w = min(area.width, round(820 * L.u))
        x = area.x + (area.width - w) // 2
        scroll = L.scroll("settings", pygame.Rect(x - L.gap, area.y, w + 2 * L.gap, area.height))
        y = area.y
        for key, (name, value, help_text) in self.rows().items():
            b = L.add_button(key, pygame.Rect(x, y, w, 0), f"{name}:  {value}", lambda k=key: self.change(k),
                             sub=help_text, scroll=scroll, back_action=lambda k=key: self.change(k, -1))
            y = b.rect.bottom + L.gap
        y += L.gap
        L.add_button("done", pygame.Rect(x, y, min(w, round(260 * L.u)), 0), "Done", self.back, style="primary",
                     center=True, scroll=scroll)
