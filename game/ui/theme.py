"""Colours and sizes for the two themes, with the WCAG contrast check the tests hold them to.

Colour never carries meaning alone: every colour that says "good" or "harmful" is paired with a word
or a sign where it is used; this module only makes sure each text colour reads on its background.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

Color = tuple[int, int, int]

TEXT_SIZES: tuple[tuple[str, float], ...] = (("Small", 0.85), ("Medium", 1.0), ("Large", 1.2), ("Extra large", 1.4))
BASE_PX = 21
"""Body text height in pixels at 1280x720 and the Medium text size; everything scales from it."""


@dataclass(frozen=True)
class Theme:
    name: str
    bg: Color
    panel: Color
    panel_alt: Color
    border: Color
    text: Color
    muted: Color
    accent: Color
    """Headings that need a touch of colour, and the timer bar."""
    button: Color
    button_text: Color
    focus: Color
    """The focused or hovered control: a filled background plus an outline."""
    focus_text: Color
    good: Color
    bad: Color
    track: Color
    overlay: tuple[int, int, int, int]
    disabled_text: Color

    def text_pairs(self) -> dict[str, tuple[Color, Color]]:
        """Every (text colour, background) pair the screens draw, for the contrast check."""
        return {
            "text on bg": (self.text, self.bg),
            "text on panel": (self.text, self.panel),
            "text on panel_alt": (self.text, self.panel_alt),
            "muted on bg": (self.muted, self.bg),
            "muted on panel": (self.muted, self.panel),
            "muted on panel_alt": (self.muted, self.panel_alt),
            "accent on panel": (self.accent, self.panel),
            "accent on bg": (self.accent, self.bg),
            "button text": (self.button_text, self.button),
            "focused button text": (self.focus_text, self.focus),
            "good on panel": (self.good, self.panel),
            "bad on panel": (self.bad, self.panel),
            "good on panel_alt": (self.good, self.panel_alt),
            "bad on panel_alt": (self.bad, self.panel_alt),
            "disabled on panel": (self.disabled_text, self.panel),
        }


STANDARD = Theme(
    name="Standard",
    bg=(24, 29, 36),
    panel=(34, 41, 50),
    panel_alt=(42, 50, 61),
    border=(64, 75, 89),
    text=(233, 237, 241),
    muted=(170, 181, 194),
    accent=(120, 190, 220),
    button=(48, 57, 69),
    button_text=(233, 237, 241),
    focus=(205, 226, 240),
    focus_text=(20, 26, 33),
    good=(118, 200, 160),
    bad=(236, 170, 100),
    track=(58, 68, 81),
    overlay=(10, 13, 17, 200),
    disabled_text=(150, 160, 172),
)

HIGH_CONTRAST = Theme(
    name="High contrast",
    bg=(0, 0, 0),
    panel=(0, 0, 0),
    panel_alt=(18, 18, 18),
    border=(255, 255, 255),
    text=(255, 255, 255),
    muted=(235, 235, 235),
    accent=(255, 230, 0),
    button=(0, 0, 0),
    button_text=(255, 255, 255),
    focus=(255, 230, 0),
    focus_text=(0, 0, 0),
    good=(120, 255, 170),
    bad=(255, 190, 90),
    track=(90, 90, 90),
    overlay=(0, 0, 0, 230),
    disabled_text=(200, 200, 200),
)

THEMES = {False: STANDARD, True: HIGH_CONTRAST}


def luminance(c: Color) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def chan(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (chan(v) for v in c[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colour_fields() -> list[str]:
    return [f.name for f in fields(Theme) if f.name != "name"]
