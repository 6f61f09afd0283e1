"""How a person looks, read from what the author wrote: the ``appearance:`` block first, then the description.

A portrait may only show what the scenario says about the person. Age, hair, glasses, head covering and
clothing come from the description's own words (``A 46-year-old ... in a soaked work jacket``,
``in flannel pyjamas``, ``in blue hospital scrubs``); whatever the text leaves open is picked from calm,
ordinary choices by a stable hash of the person's name, so the same person always looks the same.
Skin tone is read only from an explicit word in the description or ``appearance.skin``; authors should
declare it (docs/scenario-format.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from game.content.format import Appearance, Person

AGE_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
DECADES = {"teens": 15, "twenties": 25, "thirties": 35, "forties": 45, "fifties": 55, "sixties": 65,
           "seventies": 75, "eighties": 84, "nineties": 93}

_NUMBER = (r"(\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|"
           r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
           r"fifteen|sixteen|seventeen|eighteen|nineteen)")
_AGE_PATTERNS = [
    re.compile(rf"\b{_NUMBER}[- ]years?[- ]old\b", re.I),
    re.compile(rf"\b(?:turning|aged|age) {_NUMBER}\b", re.I),
    re.compile(rf"(?:^|[,;:] )(?:a |an )?{_NUMBER}(?=,|;|\.|$)", re.I),
]
_DECADE = re.compile(r"\bin (?:his|her|their) (?:early |mid-|late )?(teens|twenties|thirties|forties|fifties|"
                     r"sixties|seventies|eighties|nineties)\b", re.I)

MAN_WORDS = r"\b(he|his|him|himself|man|father|dad|son|husband|brother|grandfather|grandson|boy|uncle|nephew)\b"
WOMAN_WORDS = (r"\b(she|her|hers|herself|woman|mother|mom|mum|daughter|wife|sister|grandmother|granddaughter|girl|"
               r"aunt|niece)\b")

_PERSON_NOUN = r"(man|woman|person|teen|teenager|boy|girl|mother|father|veteran|officer|nurse|student)"
SKIN_WORDS = [  # only what a description states outright; "Black" is matched capitalised, never a clothing colour
    (rf"(?-i:\bBlack {_PERSON_NOUN}\b)|\bAfrican[- ]American\b|\bdark-skinned\b|\bdark skin\b", "dark"),
    (r"\bbrown-skinned\b|\bbrown skin\b", "medium-dark"),
    (rf"\bfair-skinned\b|\bfair skin\b|(?-i:\bwhite {_PERSON_NOUN}\b)", "light"),
]
HAIR_COLOUR_WORDS = [  # said of the hair: "a grey hoodie" is not grey hair
    (r"\b(white-haired|white hair|snow-white hair)\b", "white"),
    (r"\b(grey hair|gray hair|grey-haired|gray-haired|greying|graying|silver hair|silver-haired|"
     r"salt-and-pepper)\b", "grey"),
    (r"\b(red-haired|red hair|redhead|ginger hair)\b", "red"),
    (r"\b(blond|blonde|fair-haired)\b", "blond"),
]
HAIR_WORDS = [
    (r"\b(bald)\b", "bald"), (r"\b(balding|receding)\b", "balding"), (r"\b(shaved head|buzz cut|buzzcut)\b", "shaved"),
    (r"\b(locs|dreadlocks|dreads)\b", "locs"), (r"\b(braids|braided|cornrows)\b", "braids"),
    (r"\b(afro)\b", "afro"), (r"\b(curly|curls)\b", "curly"), (r"\b(bun)\b", "bun"), (r"\b(bob)\b", "bob"),
    (r"\b(long hair|ponytail)\b", "long"), (r"\b(short hair|crew cut)\b", "short"),
]
FACIAL_HAIR_WORDS = [
    (r"\b(freshly shaved|clean-shaven|clean shaven)\b", "none"),
    (r"\b(beard|bearded)\b", "beard"), (r"\b(moustache|mustache)\b", "moustache"), (r"\b(stubble)\b", "stubble"),
]
HEAD_WORDS = [
    (r"\b(hijab|headscarf|head scarf)\b", "hijab"), (r"\b(turban|dastar)\b", "turban"),
    (r"\b(beanie|woolly hat|knit cap|knit hat)\b", "beanie"), (r"\b(baseball cap|ball cap|cap)\b", "cap"),
]
CLOTHING_WORDS = [
    (r"\b(scrubs)\b", "scrubs"), (r"\b(hoodie|sweatshirt|windbreaker)\b", "hoodie"),
    (r"\b(pyjamas|pajamas|robe|nightgown|dressing gown)\b", "nightwear"),
    (r"\b(overalls|coveralls)\b", "overalls"), (r"\b(suit|blazer)\b", "suit"),
    (r"\b(cardigan|sweater|jumper)\b", "sweater"),
    (r"\b(jacket|coat|parka)\b", "hoodie"),
    (r"\b(uniform)\b", "uniform"), (r"\b(guayabera|shirt|blouse)\b", "shirt"), (r"\b(t-shirt|tee)\b", "t-shirt"),
]
COLOUR_WORDS = ["navy", "light-blue", "blue", "green", "olive", "grey", "gray", "black", "white", "red", "maroon",
                "brown", "yellow"]

UNIFORMED_TITLES = ("officer", "sergeant", "deputy", "lieutenant", "captain", "trooper", "corporal", "paramedic")


@dataclass(frozen=True)
class Look:
    """Every appearance field decided: what the portrait renderer needs."""

    age: int
    skin: str
    hair: str
    hair_colour: str
    facial_hair: str
    glasses: bool
    head_covering: str
    clothing: str
    clothing_colour: str
    presents: str


def stable_pick(seed: str, options: list[str] | tuple[str, ...], salt: str) -> str:
    """The same person always gets the same choice; different people spread over the options."""
    digest = hashlib.sha256(f"{salt}:{seed}".encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def _number(text: str) -> int | None:
    text = text.lower()
    if text.isdigit():
        return int(text)
    if text in AGE_WORDS:
        return AGE_WORDS[text]
    tens, _, unit = text.partition("-")
    if tens in TENS:
        return TENS[tens] + (AGE_WORDS.get(unit, 0) if unit else 0)
    return None


def age_from(description: str) -> int | None:
    """``A 46-year-old``, ``Sixty-seven, retired``, ``81,``, ``in her seventies``, ``turning eighty``."""
    found: list[tuple[int, int]] = []  # (position, age): the first mention is the person's own age
    for pattern in _AGE_PATTERNS:
        for m in pattern.finditer(description):
            n = _number(m.group(1))
            if n is not None and 1 <= n <= 110:
                found.append((m.start(), n))
    for m in _DECADE.finditer(description):
        found.append((m.start(), DECADES[m.group(1).lower()]))
    return min(found)[1] if found else None


def _first(words: list[tuple[str, str]], text: str) -> str | None:
    for pattern, value in words:
        if re.search(pattern, text, re.I):
            return value
    return None


def presents_from(person: Person) -> str:
    text = person.description
    men = len(re.findall(MAN_WORDS, text, re.I))
    women = len(re.findall(WOMAN_WORDS, text, re.I))
    if men > women:
        return "man"
    if women > men:
        return "woman"
    return "neutral"


def _colour_near(text: str, noun_pattern: str) -> str | None:
    """A colour word written just before the clothing word (``blue hospital scrubs``, ``grey hoodie``)."""
    m = re.search(rf"\b({'|'.join(COLOUR_WORDS)})\b(?:\s+\w+){{0,2}}\s+{noun_pattern}", text, re.I)
    if not m:
        return None
    word = m.group(1).lower()
    return "grey" if word == "gray" else word


def uniformed(person: Person) -> bool:
    """Police partners and officers wear the uniform unless the description says otherwise."""
    if person.role in ("partner", "officer"):
        return True
    return person.name.lower().startswith(UNIFORMED_TITLES)


def look(person: Person) -> Look:
    """Decide every field: declared first, then read from the description, then a calm stable default."""
    declared = person.appearance or Appearance()
    text = person.description
    seed = f"{person.name}|{person.description}"
    presents = declared.presents or presents_from(person)
    age = declared.age or age_from(text) or int(stable_pick(seed, ("28", "34", "39", "45", "51"), "age"))
    skin = declared.skin or _first(SKIN_WORDS, text) or stable_pick(
        seed, ("light", "light-medium", "medium", "medium-dark", "dark", "deep"), "skin")
    hair_colour = declared.hair_colour or _first(HAIR_COLOUR_WORDS, text)
    if hair_colour is None:
        if age >= 68:
            hair_colour = "white" if age >= 78 else "grey"
        elif age >= 58:
            hair_colour = "grey"
        elif skin in ("medium-dark", "dark", "deep"):
            hair_colour = stable_pick(seed, ("black", "black", "dark-brown"), "hair-colour")
        else:
            hair_colour = stable_pick(seed, ("black", "black", "dark-brown", "dark-brown", "brown", "auburn", "blond"),
                                      "hair-colour")
    hair = declared.hair or _first(HAIR_WORDS, text)
    if hair is None:
        styles = {"man": ("short", "short", "curly", "shaved") + (("balding",) if age >= 50 else ()),
                  "woman": ("long", "bob", "bun", "curly", "long"),
                  "neutral": ("short", "curly", "short")}[presents]
        hair = stable_pick(seed, styles, "hair")
    facial = declared.facial_hair or _first(FACIAL_HAIR_WORDS, text) or "none"
    if presents != "man" and declared.facial_hair is None and facial != "none" and not re.search(
            r"\b(beard|moustache|mustache|stubble)\b", text, re.I):
        facial = "none"
    glasses = declared.glasses if declared.glasses is not None else bool(
        re.search(r"\b(glasses|spectacles|bifocals)\b", text, re.I) and not re.search(r"\bsunglasses\b", text, re.I))
    head = declared.head_covering or _first(HEAD_WORDS, text) or "none"
    clothing = declared.clothing or _first(CLOTHING_WORDS, text)
    if clothing is None:
        clothing = "uniform" if uniformed(person) else stable_pick(
            seed, ("shirt", "sweater", "t-shirt", "suit") if age >= 18 else ("hoodie", "t-shirt", "shirt"), "clothes")
    colour = declared.clothing_colour
    if colour is None:
        for pattern, value in CLOTHING_WORDS:
            if value == clothing:
                colour = _colour_near(text, pattern.replace(r"\b(", "(").replace(r")\b", ")"))
                if colour:
                    break
    if colour is None:
        colour = {"uniform": "navy", "scrubs": "light-blue"}.get(clothing) or stable_pick(
            seed, ("navy", "grey", "olive", "blue", "maroon", "brown", "green"), "clothes-colour")
    return Look(age=age, skin=skin, hair=hair, hair_colour=hair_colour, facial_hair=facial, glasses=glasses,
                head_covering=head, clothing=clothing, clothing_colour=colour, presents=presents)
