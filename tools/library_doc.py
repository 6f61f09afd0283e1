"""Write docs/library.md, the table of built-in scenarios, from the library itself.

Run ``python tools/library_doc.py`` after changing scenarios; tests/test_library_doc.py fails when the
table is out of date, so the document never drifts from the content.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.analysis.scoring import scored_principles  # noqa: E402
from game.content.library import load_library  # noqa: E402

HEADER = """# The scenario library

The built-in scenarios in `scenarios/`, generated from the files by `python tools/library_doc.py`.
Every scenario has at least 20 nodes, three or more endings with different outcomes, a timed
moment, and automatic branches on the subject's state; every choice is scored against the
principles of its topics (`scenarios/topics.yaml`) with feedback that names the principle.
"""


def render() -> str:
    lib = load_library(env={})
    rubric = lib.rubric
    scenarios = sorted(lib.scenarios.values(), key=lambda s: (s.topics[0], s.difficulty, s.title))
    lines = [HEADER, "| scenario | topics | difficulty | minutes | nodes | endings (outcomes) |",
             "|---|---|---|---|---|---|"]
    for s in scenarios:
        topics = ", ".join(rubric.topics[t].title for t in s.topics)
        outcomes = ", ".join(sorted({e.outcome.replace("_", " ") for e in s.endings.values()}))
        lines.append(f"| **{s.title}** (`{s.id}`) | {topics} | {s.difficulty} | {s.minutes} | {len(s.nodes)} "
                     f"| {len(s.endings)} ({outcomes}) |")
    lines += ["", "## What each scenario teaches", ""]
    for s in scenarios:
        lines.append(f"### {s.title} (`{s.id}`)")
        lines.append("")
        lines.append(s.summary.strip())
        lines.append("")
        principles = s.principles or scored_principles(s)
        for ref in principles:
            p = rubric.principle(ref)
            topic = rubric.topics[ref.split(".", 1)[0]].title
            lines.append(f"- {topic}: **{p.title if p else ref}**")
        lines.append("")
    topics = {t: [s.id for s in scenarios if t in s.topics] for t in rubric.topics}
    lines += ["## Coverage by topic", "", "| topic | scenarios |", "|---|---|"]
    lines += [f"| {rubric.topics[t].title} | {len(ids)} |" for t, ids in topics.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "library.md").write_text(render(), encoding="utf-8")
    print("wrote docs/library.md")
