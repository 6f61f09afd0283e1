"""Portraits: each person drawn from their :class:`~game.ui.appearance.Look` in the calm "avataaars" style of
DiceBear, one image per expression, rendered by resvg (pygame's own SVG loader drops most of the shapes).

Rendering takes about 15 ms, so an image is made the first time a (person, expression, size) is shown
and kept; the cache is bounded. Every option the style has is pinned here: nothing is left to the
style's random pick, so no one gets sunglasses, an eyepatch or a slogan T-shirt by chance. Licence:
``assets/licences/avataaars.txt``. When the packages are missing (a platform without a wheel), a plain
silhouette stands in and ``commonground doctor`` says why.
"""

from __future__ import annotations

import importlib.resources
import io
import json
from collections import OrderedDict
from functools import cache
from typing import Any

import pygame

from game.content.format import Person
from game.ui.appearance import Look, look, stable_pick
from game.ui.feelings import EXPRESSIONS

STYLE = "avataaars"
MAX_IMAGES = 400

SKIN = {"light": "ffdbb4", "light-medium": "edb98a", "medium": "d08b5b", "medium-dark": "ae5d29",
        "dark": "7a4a2e", "deep": "5a3a2c"}
HAIR_COLOUR = {"black": "2c1b18", "dark-brown": "4a312c", "brown": "724133", "auburn": "a55728", "red": "b5482a",
               "blond": "d6b370", "grey": "9e9a96", "white": "e4e0dc"}
CLOTHES_COLOUR = {"navy": "1f3a5f", "blue": "3f78c4", "light-blue": "8ab8e6", "green": "3f7d5a", "olive": "6b7344",
                  "grey": "8a8d90", "black": "262e33", "white": "e6e6e6", "red": "b23b3b", "maroon": "7a2e3a",
                  "brown": "7a5236", "yellow": "d9b44a"}
CLOTHES = {"uniform": "collarAndSweater", "suit": "blazerAndShirt", "shirt": "collarAndSweater",
           "sweater": "blazerAndSweater", "hoodie": "hoodie", "t-shirt": "shirtCrewNeck", "scrubs": "shirtVNeck",
           "overalls": "overall", "nightwear": "shirtScoopNeck"}
HAIR: dict[tuple[str, str], tuple[str, ...]] = {
    ("short", "man"): ("shortFlat", "shortRound", "theCaesarAndSidePart", "shortWaved"),
    ("short", "woman"): ("bob", "frizzle"),
    ("short", "neutral"): ("shortWaved", "shortRound"),
    ("long", "man"): ("shaggy", "longButNotTooLong"),
    ("long", "woman"): ("longButNotTooLong", "straight01", "straight02", "bigHair"),
    ("curly", "man"): ("shortCurly",), ("curly", "woman"): ("curly", "curvy"), ("curly", "neutral"): ("shortCurly",),
    ("afro", "man"): ("fro",), ("afro", "woman"): ("fro", "froBand"),
    ("locs", "man"): ("dreads01", "dreads02"), ("locs", "woman"): ("dreads",),
    ("braids", "man"): ("dreads01",), ("braids", "woman"): ("dreads",),
    ("bun", "any"): ("bun",), ("bob", "any"): ("bob",), ("balding", "any"): ("sides",),
    ("shaved", "any"): ("theCaesar",),
}
HEAD = {"hijab": "hijab", "turban": "turban", "beanie": "winterHat02", "cap": "hat"}
FACIAL = {"stubble": "beardLight", "beard": "beardMedium", "moustache": "moustacheMagnum"}
FACES: dict[str, tuple[str, str, str]] = {
    # expression: (eyebrows, eyes, mouth), the quietest parts that still read at 64 px
    "calm": ("defaultNatural", "default", "twinkle"),
    "guarded": ("flatNatural", "default", "serious"),
    "uneasy": ("frownNatural", "default", "serious"),
    "agitated": ("angryNatural", "default", "serious"),
    "very agitated": ("angryNatural", "squint", "sad"),
    "distressed": ("sadConcernedNatural", "default", "sad"),
    "unresponsive": ("defaultNatural", "closed", "serious"),
}
assert set(FACES) == set(EXPRESSIONS)

_images: OrderedDict[tuple, pygame.Surface | None] = OrderedDict()
renders = 0
"""How many portraits were rendered (cache misses); the tests and the benchmark read it."""


def available() -> str | None:
    """None when portraits can be drawn, else what is missing (for ``commonground doctor``)."""
    try:
        _style()
        import resvg_py  # noqa: F401
    except (ImportError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@cache
def _style() -> Any:
    from dicebear import Style

    text = importlib.resources.files("dicebear_styles").joinpath(f"{STYLE}.json").read_text(encoding="utf-8")
    return Style(json.loads(text))


def hair_variant(lk: Look, seed: str) -> str | None:
    if lk.hair == "bald":
        return None
    options = HAIR.get((lk.hair, lk.presents)) or HAIR.get((lk.hair, "any")) or HAIR.get((lk.hair, "man"))
    return stable_pick(seed, options or ("shortWaved",), "hair-style")


def options(person: Person, expression: str) -> dict[str, Any]:
    """The DiceBear options for one person at one expression, every part pinned."""
    lk = look(person)
    brows, eyes, mouth = FACES[expression]
    top = HEAD.get(lk.head_covering) or hair_variant(lk, f"{person.name}|{person.description}")
    hair = HAIR_COLOUR[lk.hair_colour]
    opts: dict[str, Any] = {
        "seed": person.name,
        "skinColor": [SKIN[lk.skin]],
        "hairColor": [hair],
        "hatColor": ["3c4f5c" if lk.head_covering in ("hijab", "turban") else "25557c"],
        "clothesVariant": [CLOTHES[lk.clothing]],
        "clothesColor": [CLOTHES_COLOUR[lk.clothing_colour]],
        "eyebrowsVariant": [brows], "eyesVariant": [eyes], "mouthVariant": [mouth],
        "noseVariant": ["default"],
        "topProbability": 0 if top is None else 100,
        "facialHairProbability": 100 if lk.facial_hair in FACIAL else 0,
        "accessoriesProbability": 100 if lk.glasses else 0,
        "accessoriesVariant": ["prescription02"], "accessoriesColor": ["262e33"],
        "clothesGraphicVariant": ["diamond"],
    }
    if top is not None:
        opts["topVariant"] = [top]
    if lk.facial_hair in FACIAL:
        opts["facialHairVariant"] = [FACIAL[lk.facial_hair]]
        opts["facialHairColor"] = [hair]
    return opts


def svg(person: Person, expression: str) -> str:
    from dicebear import Avatar

    return Avatar(_style(), options(person, expression)).to_string()


def render(person: Person, expression: str, size: int) -> pygame.Surface | None:
    """The portrait as a surface ``size`` pixels square, or None when it cannot be drawn here."""
    global renders
    key = (person.name, person.description, person.appearance and person.appearance.model_dump_json(),
           expression, size)
    if key in _images:
        _images.move_to_end(key)
        return _images[key]
    image: pygame.Surface | None
    try:
        import resvg_py

        png = resvg_py.svg_to_bytes(svg_string=svg(person, expression), width=size, height=size)
        image = pygame.image.load(io.BytesIO(bytes(png)), "portrait.png")
        if pygame.display.get_surface() is not None:
            image = image.convert_alpha()
        renders += 1
    except (ImportError, OSError, ValueError, pygame.error):
        image = None
    _images[key] = image
    if len(_images) > MAX_IMAGES:
        _images.popitem(last=False)
    return image
