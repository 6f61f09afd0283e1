"""Who is who (P from the scene): everyone the trainee has met or whose meters are shown, with their face
and description, so a description read once can be read again. The clock stands still meanwhile."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui import feelings
from game.ui.layout import Layout
from game.ui.run import Run
from game.ui.screens.base import Screen, chrome, draw_face

if TYPE_CHECKING:
    from game.ui.app import App

HINT = "Up and Down scroll  ·  Enter or Esc: back to the scene"


class PeopleScreen(Screen):
    name = "people"
    scroll_keys = True

    def __init__(self, app: App, run: Run):
        super().__init__(app)
        self.run = run
        self.faces: list[tuple[pygame.Rect, str]] = []

    def back(self) -> None:
        self.app.pop()

    def keys(self) -> list[str]:
        """People met so far (they spoke) and people whose meters are shown, in the scenario's order."""
        owners = set(feelings.owners(self.run.scenario).values())
        return [k for k in self.run.scenario.people if k in self.run.met or k in owners]

    def build(self, L: Layout) -> None:
        run = self.run
        area = chrome(L, "Who is who", run.scenario.title, HINT, run.banner)
        btn_h = L.button_height("Back to the scene", 300, bold=True)
        w = min(area.width, round(900 * L.u))
        x = area.x + (area.width - w) // 2
        view = pygame.Rect(x - L.gap, area.y, w + 2 * L.gap, area.height - btn_h - L.gap * 2)
        scroll = L.scroll("people", view, self.offsets.get("people", 0))
        self.faces = []
        y = area.y
        size = round(96 * L.u)
        for key in self.keys():
            person = run.scenario.people[key]
            card = pygame.Rect(x, y, w - round(14 * L.u), 0)
            face = pygame.Rect(card.x + L.pad, y + L.pad, size, size)
            self.faces.append((face, key))
            tx, tw = face.right + L.pad, card.right - L.pad - face.right - L.pad
            ty = L.add_text(tx, y + L.pad, tw, person.name, card, kind="large", bold=True, scroll=scroll,
                            role="person").rect.bottom
            ty = L.add_text(tx, ty, tw, person.description, card, scroll=scroll, role="description").rect.bottom
            card.height = max(face.bottom, ty) + L.pad - y
            L.panel(card, scroll=scroll)
            y = card.bottom + L.gap
        if not self.faces:
            L.add_text(x, y, w, "You have not met anyone yet.", pygame.Rect(x, y, w, area.height), scroll=scroll)
        L.add_button("back", pygame.Rect(x, area.bottom - btn_h, min(round(300 * L.u), w), btn_h),
                     "Back to the scene", self.back, style="primary", center=True)

    def draw_static(self, surface: pygame.Surface) -> None:
        L = self.layout
        if L is None:
            return
        s = L.scrolls["people"]
        values = {k: int(v) for k, v in self.run.session.values.items()}
        surface.set_clip(s.view)
        for face, key in self.faces:
            mood = feelings.feeling(self.run.scenario, key, values)
            draw_face(surface, face.move(0, -s.offset), self.run.scenario.people[key], mood.expression, L)
        surface.set_clip(None)
