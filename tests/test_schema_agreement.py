"""One truth: the loader and the JSON Schema (checked by ``check-jsonschema``, a real client, as editors use)
give the same verdict on every library scenario, every example in docs/, the ``new`` template, and a
corpus of files with structural faults. References (gotos, principles, variables) are the loader's
alone: a schema cannot know them, so the bad corpus plants only faults of shape and type."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LIB, ROOT
from tests.helpers import cli

CHECKER = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")

MINI = (LIB / "mini.yaml").read_text(encoding="utf-8")

# (name, text in mini.yaml, what it becomes): each plants one fault of shape or type
BAD = [
    ("unknown-key", "minutes: 2", "minutes: 2\nestimated_minutes: 2"),
    ("when-for-if", "if: asked", "when: asked"),
    ("yes-for-true", "flags: {asked: false}", "flags: {asked: yes}"),
    ("version-number", 'version: "1.0"', "version: 1.10"),
    ("missing-title", "title: Mini Test Scene\n", ""),
    ("meter-text", "agitation: 60", "agitation: high"),
    ("score-too-high", "scores: {calm.distance: 2}", "scores: {calm.distance: 9}"),
    ("score-not-dotted", "scores: {calm.distance: 2}", "scores: {distance: 2}"),
    ("effect-text", "effects: {agitation: +50, pushes: +1}", "effects: {agitation: lots, pushes: +1}"),
    ("bad-difficulty", "difficulty: introductory", "difficulty: easy"),
    ("choice-without-text", "        text: Stop and introduce yourself.\n", ""),
    ("list-for-mapping", "people:\n", "people: []\nunused:\n"),
    ("bad-id", "id: mini", "id: Mini Scene"),
    ("minutes-zero", "minutes: 2", "minutes: 0"),
    ("critical-empty", "        text: Stop and introduce yourself.\n",
     "        text: Stop and introduce yourself.\n        critical: ''\n"),
]


def _doc_examples(tmp: Path) -> list[Path]:
    """Every complete scenario shown in docs/*.md (a ```yaml block with an id and nodes)."""
    out = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)):
            if re.search(r"^id: ", block, re.M) and re.search(r"^nodes:", block, re.M):
                path = tmp / f"{doc.stem}-{i}.yaml"
                path.write_text(block, encoding="utf-8")
                out.append(path)
    return out


def _library() -> list[Path]:
    return sorted(p for p in (ROOT / "scenarios").glob("*.yaml")
                  if p.name != "topics.yaml" and not p.name.endswith(".plan.yaml"))


def schema_verdicts(schema: Path, files: list[Path]) -> dict[Path, bool]:
    """Whether check-jsonschema accepts each file (one run for all, as a CI job would)."""
    done = subprocess.run([CHECKER, "--output-format", "json", "--schemafile", str(schema), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    failed = {Path(e["filename"]).resolve() for e in report.get("errors", [])}
    failed |= {Path(e["filename"]).resolve() for e in report.get("parse_errors", [])}
    return {f: f.resolve() not in failed for f in files}


def loader_verdict(path: Path, library: Path | None) -> bool:
    args = ["validate", str(path)] + (["--library", str(library)] if library else [])
    return cli(*args).returncode == 0


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "scenario.schema.json"
    result = cli("schema")
    assert result.returncode == 0, result.stderr
    path.write_text(result.stdout, encoding="utf-8")
    assert json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8")) == json.loads(
        result.stdout), "docs/scenario.schema.json is stale: commonground schema > docs/scenario.schema.json"
    return path


def test_library_docs_examples_and_template_pass_both(schema: Path, tmp_path: Path) -> None:
    made = cli("new", "shop-door", "--topic", "calm", "--library", str(LIB), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    template = tmp_path / "shop-door.yaml"
    docs = _doc_examples(tmp_path)
    assert docs, "docs/scenario-format.md shows a complete example"
    verdicts = schema_verdicts(schema, [*_library(), template, *docs])
    rejected = [str(f) for f, ok in verdicts.items() if not ok]
    assert rejected == [], f"check-jsonschema rejects: {rejected}"
    for path in _library():
        assert loader_verdict(path, None), path
    assert loader_verdict(template, LIB)
    for path in docs:
        assert loader_verdict(path, None), path


def test_structural_faults_are_refused_by_both(schema: Path, tmp_path: Path) -> None:
    files = []
    for name, old, new in BAD:
        assert old in MINI, name
        path = tmp_path / f"{name}.yaml"
        path.write_text(MINI.replace(old, new, 1), encoding="utf-8")
        files.append(path)
    verdicts = schema_verdicts(schema, files)
    differ = []
    for path in files:
        by_loader = loader_verdict(path, LIB)
        if by_loader or verdicts[path]:
            differ.append(f"{path.stem}: loader {'accepts' if by_loader else 'refuses'}, "
                          f"schema {'accepts' if verdicts[path] else 'refuses'}")
    assert differ == []


def test_the_hints_name_the_cause(tmp_path: Path) -> None:
    for name, expected in [("when-for-if", "did you mean 'if'?"), ("yes-for-true", "write true or false"),
                           ("version-number", 'quote it, as in version: "1.1"'),
                           ("unknown-key", "did you mean 'minutes'?")]:
        old, new = next((o, n) for nm, o, n in BAD if nm == name)
        path = tmp_path / f"{name}.yaml"
        path.write_text(MINI.replace(old, new, 1), encoding="utf-8")
        result = cli("validate", str(path), "--library", str(LIB))
        assert result.returncode == 1 and expected in result.stderr, (name, result.stderr)
