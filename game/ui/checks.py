"""The game's own checks for ``commonground doctor``: window, fonts, faces, sound, read aloud.

Kept in the view that imports pygame; each returns (status, what, detail) and never raises, so the
doctor can report a broken part instead of crashing on it.
"""

from __future__ import annotations

Check = tuple[str, str, str]


def pygame_version() -> Check:
    try:
        import pygame
    except ImportError:
        return "FAIL", "pygame-ce", "not installed: pip install pygame-ce (or reinstall commonground)"
    return "ok", "pygame-ce", pygame.version.ver


def display() -> Check:
    from game.ui.app import _no_display

    try:
        if _no_display():
            return ("warn", "display", "no screen to open a window on (a remote login?): the game needs a desktop "
                                       "session; 'commonground play --text' works in a terminal")
        import pygame

        pygame.display.init()
        return "ok", "display", f"SDL video driver {pygame.display.get_driver()}"
    except Exception as exc:  # SDL errors vary by platform; report them, never crash the doctor
        return "warn", "display", f"cannot open the video system ({exc})"


def fonts() -> Check:
    from game.ui.text import FONT_FILES, font_dir

    missing = [f for f in FONT_FILES.values() if not (font_dir() / f).is_file()]
    if missing:
        return "FAIL", "fonts", f"missing {', '.join(missing)} in {font_dir()}: reinstall commonground"
    return "ok", "fonts", "Atkinson Hyperlegible"


def portraits() -> Check:
    from game.content.format import Person
    from game.ui import portraits

    why = portraits.available()
    if why is None and portraits.render(Person(name="Test", description="A test."), "calm", 32) is None:
        why = "a test face could not be drawn"
    if why is not None:
        return ("warn", "faces", f"{why}; people show as plain silhouettes. Install the game's dependencies: "
                                 "pip install dicebear-core dicebear-styles resvg-py")
    return "ok", "faces", "avataaars style via DiceBear, drawn by resvg"


def sound() -> Check:
    from game.ui import sound

    why = sound.available()
    if why is not None:
        return "warn", "countdown sound", f"no audio output ({why}); the optional tick stays silent"
    return "ok", "countdown sound", "audio output available"


def speech() -> Check:
    from game.ui import speech

    if not speech.available():
        return ("warn", "read aloud", "not installed, so the setting shows 'Not available on this computer': "
                                      "pip install 'commonground[speech]' and, on Linux, apt-get install espeak-ng")
    try:
        import pyttsx3

        pyttsx3.init()
    except Exception as exc:  # pyttsx3 raises whatever its driver raises
        return "warn", "read aloud", f"pyttsx3 is installed but has no speech engine ({exc}); on Linux: " \
                                     "apt-get install espeak-ng"
    return "ok", "read aloud", "pyttsx3 with a speech engine"
