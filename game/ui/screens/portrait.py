"""Who is speaking: a portrait from ``assets/portraits`` when the scenario names one, else a silhouette."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.content.format import Person
from game.content.library import builtin_dir
from game.ui.theme import Theme

ROLE_TONES = {"subject": (150, 128, 104), "partner": (96, 128, 160), "officer": (96, 128, 160),
              "family": (140, 120, 150), "bystander": (120, 130, 120), "professional": (110, 140, 140)}
_images: dict[tuple[str, int], pygame.Surface | None] = {}


def portrait_file(person: Person) -> Path | None:
    """The person's portrait inside ``assets/portraits`` (a path may not leave that folder)."""
    if not person.portrait:
        return None
    folder = (builtin_dir("assets") / "portraits").resolve()
    path = (folder / person.portrait).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path


def load_portrait(person: Person, size: int) -> pygame.Surface | None:
    """Loaded and scaled once per size (at layout time, never per frame)."""
    path = portrait_file(person)
    if path is None:
        return None
    key = (str(path), size)
    if key not in _images:
        try:
            img = pygame.image.load(str(path))
            _images[key] = pygame.transform.smoothscale(img, (size, size))
        except (pygame.error, ValueError):
            _images[key] = None
    return _images[key]


def draw_portrait(surface: pygame.Surface, rect: pygame.Rect, person: Person, theme: Theme, contrast: bool) -> None:
    img = load_portrait(person, rect.width)
    radius = max(4, rect.width // 8)
    if img is not None:
        surface.blit(img, rect)
        pygame.draw.rect(surface, theme.border, rect, width=2, border_radius=radius)
        return
    tone = (255, 255, 255) if contrast else ROLE_TONES.get(person.role, (125, 130, 140))
    bg = theme.panel_alt
    pygame.draw.rect(surface, bg, rect, border_radius=radius)
    clip = surface.get_clip()
    surface.set_clip(rect.clip(clip) if clip else rect)
    cx, s = rect.centerx, rect.width
    head_r = round(s * 0.2)
    pygame.draw.circle(surface, tone, (cx, rect.y + round(s * 0.4)), head_r)
    body = pygame.Rect(0, 0, round(s * 0.74), round(s * 0.6))
    body.midtop = (cx, rect.y + round(s * 0.66))
    pygame.draw.ellipse(surface, tone, body)
    surface.set_clip(clip)
    pygame.draw.rect(surface, theme.border, rect, width=max(1, s // 60), border_radius=radius)
