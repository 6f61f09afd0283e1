"""What every screen shares: the build/draw contract, the header and footer, and the people panel
(each person's face, how they seem, and their meters under their name)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game.engine import meters
from game.ui import feelings, portraits
from game.ui.layout import Layout

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.run import Run


class Screen:
    """A screen builds its :class:`Layout` on demand; the app draws it and routes input to it."""

    name = "screen"
    overlay = False
    """Drawn over the screen beneath it (the pause menu)."""
    scroll_keys = False
    """Up and Down scroll the main scroll area instead of moving focus (screens that are mostly reading)."""
    default_focus: str | None = ""
    """Focus when the screen opens: "" means the first button, None means nothing until the trainee moves."""
    guard = False
    """Ignore activations for half a second after opening (a hurried second Enter must not skip the screen)."""

    def __init__(self, app: App):
        self.app = app
        self.layout: Layout | None = None
        self.focus: str | None = None
        self.offsets: dict[str, int] = {}
        self.dirty = True
        self.redraw = True
        self.moving = False
        """Something animates (a meter easing): the loop runs at full rate until it settles."""
        self.opened_at = 0.0
        self.static: pygame.Surface | None = None
        self.refocus: set[str] = set()
        """Buttons whose focus changed since the last frame."""

    # --- hooks --------------------------------------------------------------------------------

    def build(self, L: Layout) -> None:
        raise NotImplementedError

    def on_key(self, event: pygame.event.Event) -> bool:
        """Screen-specific keys; return True when handled."""
        return False

    def on_text(self, text: str) -> None:
        """Typed text (only the sign-in screen takes any)."""

    def on_focus(self, bid: str) -> None:
        """Called when focus moves to a button."""

    def on_show(self) -> None:
        """Called when the screen comes (back) to the top."""

    def back(self) -> None:
        """Esc."""

    def update(self, dt: float) -> None:
        """Per-frame work; must stay cheap (no file I/O)."""

    def next_wake(self) -> float:
        """Seconds until this screen must change on its own (math.inf: only input changes it)."""
        return math.inf

    def draw_static(self, surface: pygame.Surface) -> None:
        """Drawing beyond panels and text that changes only with the layout (portraits, score bars)."""

    def draw_live(self, surface: pygame.Surface, full: bool) -> list[pygame.Rect]:
        """Draw what changes between layouts (meters easing, the countdown) over the cached layout.

        ``full``: the whole window was just redrawn, draw everything live. Otherwise draw only what
        changed since the last call and return those rects, so only they are sent to the display.
        """
        return []

    def invalidate(self) -> None:
        self.dirty = True


def chrome(L: Layout, title: str, right: str = "", hint: str = "", banner: str | None = None) -> pygame.Rect:
    """The header band, a test run's banner under it, and the key hint at the bottom; returns the content
    area between them. ``banner`` is :attr:`game.ui.run.Run.banner`: None for training."""
    t = L.theme
    head_h = L.line_h("large", True) + 2 * L.gap
    band = pygame.Rect(0, 0, L.w, head_h)
    L.panel(band, t.panel, border=False)
    right_w = 0
    if right:
        right_w = min(L.text.width(right, L.px("small")) + 2, L.w // 3)
        L.add_text(L.w - L.pad - right_w, (head_h - L.line_h("small")) // 2, right_w, right, band, kind="small",
                   color=t.muted, role="header")
    title_w = L.w - 2 * L.pad - right_w - L.gap
    lines = L.text.wrap(title, L.px("large"), title_w, True)
    L.add_text(L.pad, (head_h - L.line_h("large", True)) // 2, title_w, lines[0] if lines else title, band,
               kind="large", bold=True, role="title")
    foot_h = L.line_h("small") + L.gap
    if hint:
        foot = pygame.Rect(0, L.h - foot_h, L.w, foot_h)
        L.add_text(L.pad, foot.y + (foot_h - L.line_h("small")) // 2, L.w - 2 * L.pad, hint, foot, kind="small",
                   color=t.muted, role="hint")
    top = head_h + L.gap
    if banner:
        top = test_banner(L, banner, top) + L.gap
    return pygame.Rect(L.pad, top, L.w - 2 * L.pad, L.h - top - (foot_h if hint else L.pad))


def test_banner(L: Layout, text: str, y: int) -> int:
    """A strip across the window saying this is a test run (colour paired with the words); returns its bottom."""
    t = L.theme
    bar = max(3, round(4 * L.u))
    x, w = L.pad, L.w - 2 * L.pad
    inner_x, inner_w = x + bar + L.gap, w - bar - 2 * L.gap
    h = L.measure(text, inner_w, "small", True) + L.gap
    strip = pygame.Rect(x, y, w, h)
    L.panel(strip, t.panel_alt, accent=t.bad)
    L.add_text(inner_x, y + L.gap // 2, inner_w, text, strip, kind="small", bold=True, color=t.bad, role="test-run")
    return strip.bottom


def columns(L: Layout, area: pygame.Rect) -> tuple[pygame.Rect, pygame.Rect]:
    """The story and choices on the left, the clock and the people on the right (the feedback screen too)."""
    side_w = min(max(round(area.width * 0.25), round(250 * L.u)), round(area.width * 0.36))
    main = pygame.Rect(area.x, area.y, area.width - side_w - L.gap * 2, area.height)
    return main, pygame.Rect(main.right + L.gap * 2, area.y, side_w, area.height)


def groups(run: Run) -> list[tuple[str | None, list[str]]]:
    """Meters by whom they describe: the subject first, then others as ``people:`` lists them, the scene, you."""
    owners = feelings.owners(run.scenario)
    order = [k for k in run.scenario.people if k == "subject"] + [k for k in run.scenario.people if k != "subject"]
    out: list[tuple[str | None, list[str]]] = []
    for who in [*order, None, feelings.YOU]:
        keys = [k for k, o in owners.items() if o == who]
        if keys:
            out.append((who, keys))
    return out


def change_words(run: Run, key: str) -> str | None:
    """How the last step moved a meter, in words (``Down 15, was highly agitated``); None if it did not."""
    step = run.last_step
    if step is None or run.session.history[-1:] != [step]:
        return None
    a, b = step.values_before.get(key), step.values_after.get(key)
    if a is None or b is None or a == b:
        return None
    meter = run.scenario.meters[key]
    was = meters.level_word(key, meter, int(a))
    now = meters.level_word(key, meter, int(b))
    way = "Up" if b > a else "Down"
    return f"{way} {abs(int(b) - int(a))}" + (f", was {was}" if was != now else "")


def people_panel(L: Layout, run: Run, rect: pygame.Rect, y: int, *, show_meters: bool, compact: bool) -> int:
    """Each person the meters describe: face, name, how they seem, then (practice) their meters.

    Faces are named ``face:KEY`` and bars ``meter:KEY`` in ``L.extras``; returns the bottom.
    """
    t = L.theme
    x, w = rect.x + L.pad, rect.width - 2 * L.pad
    size = round((44 if compact else 60) * L.u)
    values = run.session.values
    for who, keys in groups(run):
        if who is None or who == feelings.YOU:
            heading = "You" if who == feelings.YOU else "Around you"
            if not show_meters:
                continue
            y = L.add_text(x, y, w, heading, rect, bold=True, color=t.accent, role="person").rect.bottom + 4
        else:
            person = run.scenario.people[who]
            face = pygame.Rect(x, y, size, size)
            L.extras[f"face:{who}"] = face
            tx, tw = face.right + L.gap, w - size - L.gap
            ty = L.add_text(tx, y, tw, person.name, rect, bold=True, role="person").rect.bottom
            mood = feelings.feeling(run.scenario, who, {k: int(v) for k, v in values.items()})
            ty = L.add_text(tx, ty, tw, f"Seems {mood.expression}", rect, kind="small", color=t.muted,
                            role="expression").rect.bottom
            y = max(face.bottom, ty) + round(6 * L.u)
        if not show_meters:
            y += L.gap
            continue
        for key in keys:
            meter = run.scenario.meters[key]
            value = int(values[key])
            label = feelings.short_label(run.scenario, key)
            good = meters.is_good(key, meter, value)
            word = meters.level_word(key, meter, value)
            label_w = min(L.text.width(label, L.px("small"), True) + 2, w // 2)
            head = L.add_text(x, y, label_w, label, rect, kind="small", bold=True, role="meter")
            word_box = L.add_text(x + label_w + L.gap, y, w - label_w - L.gap, word.capitalize(), rect, kind="small",
                                  color=t.good if good else t.bad, role="meter-word")
            y = max(head.rect.bottom, word_box.rect.bottom) + round(3 * L.u)
            bar = pygame.Rect(x, y, w, max(6, round(9 * L.u)))
            L.extras[f"meter:{key}"] = bar
            y = bar.bottom + round(3 * L.u)
            better = "lower is better" if meters.good_end(key, meter) == "low" else "higher is better"
            change = change_words(run, key)
            note = f"{change}  ·  {better}" if change else better
            if change or not compact:
                y = L.add_text(x, y, w, note, rect, kind="small", color=t.text if change else t.muted,
                               role="meter-change" if change else "meter-hint").rect.bottom
            y += round(6 * L.u)
        y += L.gap
    return y


def draw_faces(surface: pygame.Surface, L: Layout, run: Run) -> None:
    """Each face at the expression its person's meters call for (drawn with the layout, not per frame)."""
    values = {k: int(v) for k, v in run.session.values.items()}
    for name, rect in L.extras.items():
        if name.startswith("face:"):
            who = name[5:]
            mood = feelings.feeling(run.scenario, who, values)
            draw_face(surface, rect, run.scenario.people[who], mood.expression, L)


def draw_face(surface: pygame.Surface, rect: pygame.Rect, person, expression: str, L: Layout) -> None:
    from game.ui.screens.portrait import draw_portrait

    radius = max(4, rect.width // 8)
    pygame.draw.rect(surface, L.theme.panel_alt, rect, border_radius=radius)
    image = None if person.portrait else portraits.render(person, expression, rect.width)
    if image is not None:
        clip = surface.get_clip()
        surface.set_clip(rect.clip(clip) if clip else rect)
        surface.blit(image, rect)
        surface.set_clip(clip)
        pygame.draw.rect(surface, L.theme.border, rect, width=max(1, round(L.u)), border_radius=radius)
    else:
        draw_portrait(surface, rect, person, L.theme, L.theme.name == "High contrast")


def draw_meters(surface: pygame.Surface, L: Layout, run: Run) -> list[pygame.Rect]:
    """The meter bars at their shown (easing) values; returns the rects drawn."""
    t = L.theme
    drawn = []
    for key, _label, _word, frac, good, _better in run.meter_rows():
        bar = L.extras.get(f"meter:{key}")
        if bar is None:
            continue
        radius = bar.height // 2
        surface.fill(L.theme.panel, bar)
        pygame.draw.rect(surface, t.track, bar, border_radius=radius)
        fill = bar.copy()
        fill.width = max(bar.height, round(bar.width * frac))
        pygame.draw.rect(surface, t.good if good else t.bad, fill, border_radius=radius)
        drawn.append(bar)
    return drawn


def percent_text(p: float | None) -> str:
    return "-" if p is None else f"{p:g}%"
