"""Every diagnostic code has its own page in docs/diagnostics/ with a bad and a fixed example, and vice versa."""

from __future__ import annotations

import re

from game.content.codes import CODES
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "diagnostics"


def test_every_code_is_documented_and_every_page_is_a_code() -> None:
    pages = {p.stem for p in DOCS.glob("*.md")}
    assert pages == set(CODES)


def test_each_page_names_its_code_and_shows_bad_and_fixed() -> None:
    for code, c in CODES.items():
        text = (DOCS / f"{code}.md").read_text(encoding="utf-8")
        assert text.startswith(f"# {code} {c.name}\n"), code
        bad = re.search(r"^## Bad\n\n```\w+\n(.+?)```", text, re.S | re.M)
        fixed = re.search(r"^## Fixed\n\n```\w+\n(.+?)```", text, re.S | re.M)
        assert bad and fixed and bad.group(1).strip() != fixed.group(1).strip(), code
