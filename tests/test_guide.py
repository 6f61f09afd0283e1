"""``guide``: the instructor's guide to a scenario, in the terminal and as a printable HTML page."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.content.library import load_library
from game.reports.guide import build_guide, markdown, reading_order
from tests.browser import CHROMIUM, external_references, open_page
from tests.conftest import LIB
from tests.helpers import cli

EXTRA = """
instructor:
  notes: ["Run it twice: once fast, once slow."]
  review_questions:
    - {phase: information, question: "What did you see before you got out?", nodes: [arrival]}
    - {phase: act, question: "When did you change course <b>and why</b>?", nodes: [hot]}
  jurisdiction:
    - {topic: "Stop and identify", note: "Varies by state."}
"""


@pytest.fixture
def library_with_guide(tmp_path: Path) -> Path:
    """The test library, with an instructor's layer and a critical error added to the mini scenario."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "topics.yaml").write_text((LIB / "topics.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (LIB / "mini.yaml").read_text(encoding="utf-8")
    assert "\n      - id: rush\n" in text
    critical = "        critical: Closing in on a man who <i>asked</i> for space.\n"
    text = text.replace("\n      - id: rush\n", "\n      - id: rush\n" + critical)
    (folder / "mini.yaml").write_text(text + EXTRA, encoding="utf-8")
    return folder


def test_every_library_scenario_has_a_guide_listing_every_decision() -> None:
    lib = load_library([])
    assert lib.scenarios
    for scenario in lib.scenarios.values():
        guide = build_guide(scenario, lib.rubric)
        assert [d.node for d in guide.decisions] == reading_order(scenario)
        assert sorted(d.node for d in guide.decisions) == sorted(scenario.nodes)
        assert guide.best_paths and all(p.complete for p in guide.best_paths), scenario.id
        for d in guide.decisions:
            scored = [o for o in d.options if o.best]
            assert all(o.total == max(x.total for x in d.options) for o in scored)
            assert all(o.total > 0 for o in scored)  # never recommends a choice that loses points
        text = markdown(guide)
        assert text.startswith(f"# Instructor's guide: {scenario.title}")


def test_terminal_guide_shows_objectives_critical_errors_and_review_questions(library_with_guide: Path) -> None:
    result = cli("guide", "mini", "--library", str(library_with_guide))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "## Critical errors" in out and "Closing in on a man who <i>asked</i> for space." in out
    assert "## After-action review" in out and "What did you see before you got out?" in out
    assert "**Stop and identify**: Varies by state." in out
    assert "Run it twice" in out and "## The best path" in out


def test_html_guide_is_escaped_self_contained_and_opens_cleanly(library_with_guide: Path, tmp_path: Path) -> None:
    out = tmp_path / "guide" / "mini.html"
    result = cli("guide", "mini", "--library", str(library_with_guide), "--html", str(out), "--no-graphviz")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "&lt;i&gt;asked&lt;/i&gt;" in html and "<i>asked</i>" not in html
    assert "&lt;b&gt;and why&lt;/b&gt;" in html
    assert "<svg" in html and external_references(html) == []
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    opened = open_page(out)
    assert opened.console == [] and opened.requests == []
    assert "Critical errors" in opened.dom


def test_unknown_scenario_is_a_clear_error() -> None:
    result = cli("guide", "no-such-scenario")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "no-such-scenario" in result.stderr
