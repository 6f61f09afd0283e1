"""Drawing a :class:`~game.ui.layout.Layout`: panels, text, buttons with focus, scroll bars."""

from __future__ import annotations

import pygame

from game.ui.layout import Button, Layout, Scroll, TextBox


def _clip_for(surface: pygame.Surface, scroll: Scroll | None) -> None:
    surface.set_clip(scroll.view if scroll else None)


def draw_text(surface: pygame.Surface, layout: Layout, box: TextBox, color=None, dy: int = 0) -> None:
    colour = color or box.color
    y = box.rect.y + dy
    for line in box.lines:
        if line:
            surf = layout.text.render(line, box.size, colour, box.bold)
            x = box.rect.x + (box.rect.width - surf.get_width()) // 2 if box.align == "center" else box.rect.x
            surface.blit(surf, (x, y))
        y += box.line_h


def draw_layout(surface: pygame.Surface, layout: Layout, focus: str | None,
                fill: tuple[int, ...] | None = None) -> None:
    """Everything that changes only when the layout, the focus or a scroll position changes."""
    surface.fill(fill or layout.theme.bg)
    in_buttons = {id(t) for b in layout.buttons for t in b.texts}
    for panel in layout.panels:
        _clip_for(surface, panel.scroll)
        rect = panel.rect.move(0, -panel.scroll.offset) if panel.scroll else panel.rect
        pygame.draw.rect(surface, panel.color, rect, border_radius=panel.radius)
        if panel.border:
            pygame.draw.rect(surface, panel.border, rect, width=max(1, round(layout.u)), border_radius=panel.radius)
        if panel.accent:
            bar = pygame.Rect(rect.x, rect.y + panel.radius, max(3, round(4 * layout.u)),
                              rect.height - 2 * panel.radius)
            pygame.draw.rect(surface, panel.accent, bar)
    for button in layout.buttons:
        draw_button(surface, layout, button, button.id == focus)
    for box in layout.texts:
        if id(box) in in_buttons:
            continue
        _clip_for(surface, box.scroll)
        draw_text(surface, layout, box, dy=-box.scroll.offset if box.scroll else 0)
    surface.set_clip(None)
    for scroll in layout.scrolls.values():
        draw_scrollbar(surface, layout, scroll)


def draw_button(surface: pygame.Surface, layout: Layout, button: Button, focused: bool,
                clip: pygame.Rect | None = None) -> None:
    """One button; ``clip`` limits the drawing further (redrawing one button over an existing layout)."""
    theme = layout.theme
    _clip_for(surface, button.scroll)
    if clip is not None:
        surface.set_clip(clip.clip(surface.get_clip()))
    rect = button.screen_rect()
    width = max(1, round(layout.u))
    if focused:
        fill, text, edge = theme.focus, theme.focus_text, theme.focus
    elif button.selected:
        fill, text, edge = theme.panel_alt, theme.text, theme.accent
    else:
        fill, text, edge = theme.button, theme.button_text, theme.border
    pygame.draw.rect(surface, fill, rect, border_radius=layout.radius)
    pygame.draw.rect(surface, edge, rect, width=width * (2 if focused or button.selected else 1),
                     border_radius=layout.radius)
    if focused:  # a second outline outside, so focus shows even where colour is not seen
        pygame.draw.rect(surface, theme.focus, rect.inflate(6 * width, 6 * width), width=width * 2,
                         border_radius=layout.radius + 3 * width)
    if button.selected and not focused:
        bar = pygame.Rect(rect.x, rect.y + layout.radius, max(3, round(4 * layout.u)), rect.height - 2 * layout.radius)
        pygame.draw.rect(surface, theme.accent, bar)
    dy = rect.y - button.rect.y
    for box in button.texts:
        if box.role == "key":
            badge = pygame.Rect(box.rect.x, box.rect.y + dy, box.rect.width, box.rect.height)
            pygame.draw.rect(surface, text, badge.inflate(0, round(4 * layout.u)), width=width,
                             border_radius=round(4 * layout.u))
        colour = text if (focused or box.role != "sub") else theme.muted
        if clip is not None:
            surface.set_clip(clip.clip(button.scroll.view if button.scroll else surface.get_rect()))
        draw_text(surface, layout, box, colour, dy=dy)
    surface.set_clip(None)


def draw_scrollbar(surface: pygame.Surface, layout: Layout, scroll: Scroll) -> None:
    if scroll.max_offset <= 0:
        return
    view = scroll.view
    w = max(4, round(6 * layout.u))
    track = pygame.Rect(view.right - w - round(4 * layout.u), view.y + 4, w, view.height - 8)
    pygame.draw.rect(surface, layout.theme.track, track, border_radius=w // 2)
    h = max(round(30 * layout.u), track.height * view.height // max(1, scroll.content_h))
    y = track.y + (track.height - h) * scroll.offset // max(1, scroll.max_offset)
    pygame.draw.rect(surface, layout.theme.muted, (track.x, y, w, h), border_radius=w // 2)
