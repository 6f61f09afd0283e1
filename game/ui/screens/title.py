"""Title and sign-in: the trainee's name or ID (remembered for next time), settings, quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.layout import Layout
from game.ui.screens.base import Screen

if TYPE_CHECKING:
    from game.ui.app import App

MAX_NAME = 40
HINT = "Type your name or ID, then press Enter  ·  Arrows and Tab move  ·  Esc quits"


class TitleScreen(Screen):
    name = "title"

    def __init__(self, app: App, then: str | None = None):
        super().__init__(app)
        self.then = then
        """A scenario named on the command line, to open straight after sign-in."""
        self.name_text = app.trainee
        self.message = ""

    def on_show(self) -> None:
        pygame.key.start_text_input()

    def on_focus(self, bid: str) -> None:
        self.dirty = True  # the name field shows its caret only while it has the focus

    def on_text(self, text: str) -> None:
        text = "".join(ch for ch in text if ch.isprintable())
        if text and len(self.name_text) < MAX_NAME:
            self.name_text = (self.name_text + text)[:MAX_NAME]
            self.message = ""
            self.dirty = True

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_BACKSPACE:
            self.name_text = self.name_text[:-1]
            self.dirty = True
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.focus in (None, "name"):
            self.sign_in()
            return True
        # Digits and space are part of a name here, not shortcuts (the TEXTINPUT event carries them).
        return (event.key == pygame.K_SPACE and self.focus == "name") or pygame.K_0 <= event.key <= pygame.K_9

    def back(self) -> None:
        self.app.quit()

    def sign_in(self) -> None:
        name = self.name_text.strip()
        if not name:
            self.message = "Type your name or trainee ID first."
            self.dirty = True
            return
        app = self.app
        app.trainee = name
        pygame.key.stop_text_input()
        if self.then:
            scenario = app.lib.find(self.then)
            app.to_picker()
            app.start(scenario)
        else:
            app.to_picker()

    def open_settings(self) -> None:
        self.app.push_settings()

    def build(self, L: Layout) -> None:
        t = L.theme
        card_w = min(L.w - 2 * L.pad, round(620 * L.u))
        x, w = (L.w - card_w) // 2 + L.pad * 2, card_w - 4 * L.pad
        # Measure first, then centre the card vertically.
        field_h = L.line_h("large") + 2 * round(12 * L.u)
        btn_h = L.button_height("Continue", w, bold=True)
        parts = [L.line_h("title", True), L.measure("De-escalation practice for police academies", w, "large"),
                 L.gap * 2, L.line_h("body", True), field_h, L.line_h("small"), L.gap * 2, btn_h * 2 + L.gap]
        card_h = sum(parts) + 4 * L.pad
        foot_h = L.line_h("small") + L.gap
        room = L.h - foot_h - L.gap  # the card never reaches the hint line, whatever the text size
        card = pygame.Rect((L.w - card_w) // 2, max(L.pad, min((L.h - card_h) // 2 - L.pad, room - card_h)), card_w,
                           card_h)
        L.panel(card)
        y = card.y + 2 * L.pad
        y = L.add_text(x, y, w, "Common Ground", card, kind="title", bold=True, role="title").rect.bottom
        y = L.add_text(x, y, w, "De-escalation practice for police academies", card, kind="large",
                       color=t.muted).rect.bottom + L.gap * 2
        y = L.add_text(x, y, w, "Trainee name or ID", card, bold=True, role="label").rect.bottom + round(4 * L.u)
        field = pygame.Rect(x, y, w, field_h)
        shown = self.name_text or "Type your name or ID"
        L.add_button("name", field, shown + ("|" if self.focus in (None, "name") and self.name_text else ""),
                     self.sign_in, kind="large")
        L.extras["field"] = field
        y = field.bottom + round(4 * L.u)
        msg = self.message or " "
        y = L.add_text(x, y, w, msg, card, kind="small", color=t.bad if self.message else t.muted,
                       role="message").rect.bottom + L.gap * 2
        y = L.add_button("continue", pygame.Rect(x, y, w, btn_h), "Continue", self.sign_in, style="primary",
                         center=True).rect.bottom + L.gap
        half = (w - L.gap) // 2
        L.add_button("settings", pygame.Rect(x, y, half, btn_h), "Settings", self.open_settings, center=True)
        L.add_button("quit", pygame.Rect(x + half + L.gap, y, w - half - L.gap, btn_h), "Quit", self.app.quit,
                     center=True)
        L.add_text(L.pad, L.h - foot_h, L.w - 2 * L.pad, HINT, pygame.Rect(0, L.h - foot_h, L.w, foot_h),
                   kind="small", color=t.muted, role="hint", align="center")
