"""Fuzzing: mutated library scenarios and mutated score logs through everything that reads them.

Scenarios: a library scenario (the smaller ones, so a run stays short; the fixture scenario too) is
mutated as data (keys dropped, values of another type, gotos re-aimed, branches and conditions added,
choices removed, ids mangled) or as text (core tags, tabs, a cut), then loaded. One that loads goes
through validate's play check; one that validate accepts is played in terminal play to an ending (or
until the input runs out), and its log is verified, debriefed and replayed, and the scenario explored.
No example may raise anything the command line does not turn into a message: no traceback.

Logs: real logs of the fixture scenario get a field of another type, a field dropped or added, a line
cut, swapped, doubled or deleted, a byte flipped, then sometimes a rechained hash (what a forger
does), and go through every reader: read_log, verify, cohort (scan, aggregate, CSV), debrief, xAPI,
replay, the game's picker. None may crash.

The examples are derandomized, so CI runs the same ones every time: 200 scenarios, 2,000 logs through the
readers and 30 through the HTML reports, about a minute and a half in all on one core.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from game.analysis import statespace
from game.analysis.exploration import explore
from game.analysis.playable import play_errors
from game.commands.explore import report
from game.content.diagnostics import LoadError
from game.content.format import Rubric, Scenario
from game.content.library import Library, builtin_dir, load_library, scenario_files
from game.content.loader import load_rubric, load_scenario
from game.content.yamlsrc import read_yaml
from game.engine.rules import EngineError
from game.records import integrity
from game.records.cohort import Aggregator, Filters, _read, csv_rows
from game.records.logread import LogError, read_log
from game.records.replay import replay
from game.records.verify import verify_file
from game.records.xapi import Builder
from game.reports.debrief import build, terminal
from game.textplay import TextPlay
from game.ui.records import best_results
from tests.conftest import LIB
from tests.logplay import play
from tests.test_records_trust import rechain

SCENARIO_EXAMPLES = 200
LOG_EXAMPLES = 2000
HTML_EXAMPLES = 30
SMALL = 3000
"""States a library scenario may have to be fuzzed (a mutated one may have up to ten times as many)."""

FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@cache
def _pool() -> tuple[tuple[str, str, str], ...]:
    """(name, YAML text, the folder whose topics.yaml scores it): the fixture and the small library scenarios."""
    out = [("mini", (LIB / "mini.yaml").read_text(), str(LIB))]
    lib = load_library()
    folder = builtin_dir("scenarios")
    for path in scenario_files(folder):
        scenario = next((s for s in lib.scenarios.values() if Path(s.source_path) == path), None)
        if scenario is None:
            continue
        try:
            statespace.build(scenario, max_states=SMALL)
        except (statespace.ExplorationLimit, EngineError):
            continue
        out.append((scenario.id, path.read_text(encoding="utf-8"), str(folder)))
    return tuple(out)


@cache
def _rubric(folder: str) -> Rubric:
    return load_rubric(Path(folder) / "topics.yaml")


# --- scenario mutations --------------------------------------------------------------------------------

WEIRD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.sampled_from([2**60, -2**60, 10**20]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.sampled_from(["", "\x1b[8m", "$\\frac{$",
                                                                                            "a b<c", "../../x"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
MUTATIONS = ["goto"] * 3 + ["branch"] * 3 + ["condition"] * 3 + ["counter-loop"] * 2 + ["effect"] * 2 + [
    "no-choices", "rename", "drop", "retype", "meter-bounds"]
"""Mostly changes that keep a scenario loadable, so most examples reach play; some that break it outright."""
CONDITIONS = st.sampled_from(["trust >= 50", "agitation < 30", "not asked", "asked and trust > 90", "false",
                              "pushes > 3", 'visited("talk")', "trust >= 0"])


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the document, as a path of keys and indexes."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutated_scenario(draw: st.DrawFn) -> tuple[str, str, str]:
    name, text, folder = draw(st.sampled_from(_pool()))
    data = yaml.safe_load(text)
    nodes = list(data.get("nodes", {}))
    targets = nodes + list(data.get("endings", {}))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(MUTATIONS))
        places = [p for p in _paths(data) if p]
        if kind == "drop":
            path = draw(st.sampled_from(places))
            parent = _get(data, path[:-1])
            del parent[path[-1]]
        elif kind == "retype":
            path = draw(st.sampled_from(places))
            _get(data, path[:-1])[path[-1]] = draw(WEIRD_VALUES)
        elif nodes and kind in ("goto", "branch", "condition", "no-choices", "rename", "effect", "counter-loop"):
            node_id = draw(st.sampled_from(nodes))
            node = data["nodes"].get(node_id)
            if not isinstance(node, dict):
                continue
            choices = node.get("choices") if isinstance(node.get("choices"), list) else []
            if kind == "goto" and choices:
                choice = draw(st.sampled_from(choices))
                if isinstance(choice, dict):
                    choice["goto"] = draw(st.sampled_from([*targets, node_id, "nowhere"]))
            elif kind == "branch":
                branch: dict[str, Any] = {"goto": draw(st.sampled_from(nodes))}
                if draw(st.booleans()):
                    branch["if"] = draw(CONDITIONS)
                node.setdefault("branches", [])
                if isinstance(node["branches"], list):
                    node["branches"].insert(0, branch)
            elif kind == "condition" and choices:
                choice = draw(st.sampled_from(choices))
                if isinstance(choice, dict):
                    choice["if"] = draw(CONDITIONS)
            elif kind == "no-choices":
                node["choices"] = []
                node.pop("time_limit", None)
            elif kind == "rename":
                new = draw(st.sampled_from(["has space", "a<b", "ok_id", "x" * 70, "ünï"]))
                data["nodes"][new] = data["nodes"].pop(node_id)
            elif kind == "effect" and choices:
                choice = draw(st.sampled_from(choices))
                if isinstance(choice, dict):
                    counters = data.get("counters") if isinstance(data.get("counters"), dict) else {}
                    var = draw(st.sampled_from(["agitation", "trust", *counters]))
                    choice.setdefault("effects", {})
                    if isinstance(choice["effects"], dict):
                        choice["effects"][var] = draw(st.sampled_from([1, -1, 10**12, {"set": 5}, {"set": -10**9}]))
            elif kind == "counter-loop" and choices:
                data.setdefault("counters", {})
                if isinstance(data["counters"], dict):
                    data["counters"]["laps"] = 0
                    choices.append({"text": "Once more.", "goto": node_id, "effects": {"laps": 1}})
        elif kind == "meter-bounds" and isinstance(data.get("meters"), dict):
            for meter in data["meters"].values():
                if isinstance(meter, dict):
                    meter["max"] = draw(st.sampled_from([100, 1000, 2**40]))
    out = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.integers(0, 7)) == 0:  # as text: what no data mutation makes
        where = draw(st.integers(0, max(0, len(out) - 1)))
        cut = out.find("\n", where)
        piece = draw(st.sampled_from(["!!int ten", "!!bool maybe", "!!float x", "!!python/object:os.system ls",
                                      "\t", "", "0x" + "f" * 30, "9" * 5000, "&a [*a, *a]"]))
        out = out[:where] + (f" {piece}" if cut < 0 else piece) + out[where:] if piece else out[:where]
    return name, out, folder


def _play_to_the_end(scenario: Scenario, rubric: Rubric, answers: str, folder: Path) -> int:
    """Terminal play, as ``play --text`` runs it: the return code, with stderr captured."""
    lib = Library(rubric=rubric, scenarios={scenario.id: scenario})
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        return TextPlay(lib, scenario, trainee="fuzz", log_dir=folder, stdin=io.StringIO(answers),
                        stdout=io.StringIO()).run()


@settings(FUZZ, max_examples=SCENARIO_EXAMPLES)
@given(case=mutated_scenario(), answers=st.lists(st.sampled_from(["1", "2", "3", "w", "9", "x"]), max_size=40))
def test_mutated_scenarios_load_validate_play_verify_debrief_replay_and_explore(case, answers, tmp_path_factory
                                                                               ) -> None:
    _, text, folder = case
    tmp = tmp_path_factory.mktemp("fz")
    path = tmp / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    rubric = _rubric(folder)
    try:
        scenario = load_scenario(path, rubric)
    except LoadError as exc:
        assert exc.diagnostics and all(d.line >= 1 for d in exc.diagnostics)
        event(f"load error {exc.diagnostics[0].code}")
        return
    refused = play_errors(scenario, read_yaml(path), max_states=10 * SMALL)
    if any(d.code == "CG034" for d in refused):
        event("validate refuses: too many states to fuzz")
        return  # too slow to score here (a real validate explores further, and refuses or passes it)
    # validate may refuse it (a branch loop, a node that can offer nothing): play it anyway, as an unvalidated
    # file can be played; the view must then end the session cleanly, with the log closed
    event(f"played{', though validate refuses: ' + refused[0].code if refused else ''}")
    code = _play_to_the_end(scenario, rubric, "".join(a + "\n" for a in answers), tmp / "logs")
    assert code in (0, 1)
    (log_path,) = (tmp / "logs").glob("*.jsonl")
    verdict = verify_file(log_path, None)
    assert verdict.ok, verdict.lines()  # a log this program wrote always verifies
    log = read_log(log_path)
    assert log.summary is not None and integrity.summary_disagreement(log.events, scenario, rubric) is None
    terminal(build(log, scenario, rubric, verdict))
    result = replay(log, scenario, rubric)
    stopped = any("engine error" in str(e.get("reason")) for e in log.of_type("abandoned"))
    unscored = log.summary.get("score") is None  # a loop elsewhere: the summary says why it has no score
    assert result.matches or stopped or unscored, result.differences
    if stopped or unscored:
        event("the engine stopped play, or scoring could not: the session ended cleanly")
    with contextlib.suppress(statespace.ExplorationLimit, EngineError):  # explore says these in a message
        report(explore(scenario, max_states=10 * SMALL))


# --- log mutations ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_logs(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    rubric = load_rubric(LIB / "topics.yaml")
    mini = load_scenario(LIB / "mini.yaml", rubric)
    folder = tmp_path_factory.mktemp("real")
    plays = [(["distance", "ask", "help"], None), (["wait", "ask", "leave"], b"k"), (["rush", "grab"], None),
             (["distance", "restart", "rush", "back-off", "talk_again.1", "leave"], None), (["distance", "quit"], None)]
    return [play(mini, rubric, folder, steps, key=key, trainee=f"t{i}").read_bytes()
            for i, (steps, key) in enumerate(plays)]


@st.composite
def mutated_log(draw: st.DrawFn, logs: list[bytes]) -> bytes:
    lines = draw(st.sampled_from(logs)).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["field", "field", "field", "drop", "add", "lines", "bytes", "type"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind in ("field", "drop", "add", "type"):
            try:
                event = json.loads(lines[i])
            except ValueError:
                continue
            if not isinstance(event, dict):
                continue
            places = [p for p in _paths(event) if p]
            if kind == "field" and places:
                path = draw(st.sampled_from(places))
                _get(event, path[:-1])[path[-1]] = draw(WEIRD_VALUES)
            elif kind == "drop" and places:
                path = draw(st.sampled_from(places))
                del _get(event, path[:-1])[path[-1]]
            elif kind == "add":
                event[draw(st.sampled_from(["x", "state", "score", "scores", "node"]))] = draw(WEIRD_VALUES)
            elif kind == "type":
                event["type"] = draw(st.sampled_from(["choice", "summary", "node", "ending", "restart", "reload",
                                                      "session_start", "abandoned", "nope"]))
            try:
                lines[i] = json.dumps(event, allow_nan=True).encode()
            except (ValueError, TypeError):
                continue
        elif kind == "lines":
            op = draw(st.sampled_from(["delete", "double", "swap", "cut", "blank"]))
            if op == "delete" and len(lines) > 1:
                del lines[i]
            elif op == "double":
                lines.insert(i, lines[i])
            elif op == "swap" and i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            elif op == "cut":
                lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            else:
                lines.insert(i, b"")
        else:
            raw = bytearray(lines[i])
            if raw:
                raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
            lines[i] = bytes(raw)
    out = b"\n".join(lines) + (b"\n" if draw(st.booleans()) else b"")
    if draw(st.integers(0, 3)) == 0:  # a forger who also recomputes the chain
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            out = rechain([ln for ln in out.splitlines() if ln.strip()])
    return out


@cache
def _mini() -> tuple[Scenario, Rubric]:
    rubric = load_rubric(LIB / "topics.yaml")
    return load_scenario(LIB / "mini.yaml", rubric), rubric


def _every_reader(path: Path, key: bytes | None) -> None:
    mini, rubric = _mini()
    verdict = verify_file(path, key)
    verdict.lines()
    item = _read(path, key, Filters())
    agg = Aggregator(include_unverified=True)
    if item is not None:
        agg.add(item, keep_rows=True)
    list(csv_rows(agg.rows, sorted({k for r in agg.rows for k in r.principles})))
    agg.finish()
    best_results(path.parent, "t0")
    try:
        log = read_log(path)
    except LogError as exc:
        assert str(exc).startswith(f"{path}:")
        event(f"key {key is not None}: refused by read_log")
        return
    event(f"key {key is not None}: read, {verdict.status}")
    for scenario in (mini, None):
        d = build(log, scenario, rubric if scenario else None, verdict)
        terminal(d)
        Builder(log, scenario, verified=verdict.status == "verified", integrity=verdict.status).statements()
        integrity.summary_disagreement(log.events, scenario, rubric)
    replay(log, mini, rubric)


@settings(FUZZ, max_examples=LOG_EXAMPLES)
@given(data=st.data())
def test_mutated_logs_never_crash_a_reader(real_logs: list[bytes], data: st.DataObject, tmp_path_factory) -> None:
    raw = data.draw(mutated_log(real_logs))
    folder = tmp_path_factory.mktemp("log")
    path = folder / "x.jsonl"
    path.write_bytes(raw)
    for key in (None, b"k"):
        _every_reader(path, key)


@settings(FUZZ, max_examples=HTML_EXAMPLES)
@given(data=st.data())
def test_mutated_logs_never_crash_the_html_reports(real_logs: list[bytes], data: st.DataObject,
                                                   tmp_path_factory) -> None:
    from game.reports.html import cohort_html, debrief_html

    raw = data.draw(mutated_log(real_logs))
    folder = tmp_path_factory.mktemp("html")
    path = folder / "x.jsonl"
    path.write_bytes(raw)
    shutil.copy(LIB / "mini.yaml", folder / "ignored.txt")
    mini, rubric = _mini()
    agg = Aggregator(include_unverified=True)
    item = _read(path, None, Filters())
    if item is not None:
        agg.add(item)
    cohort_html(agg.finish(), filters=Filters(), pseudonymized=False, files=1)
    try:
        log = read_log(path)
    except LogError:
        return
    debrief_html(build(log, mini, rubric, verify_file(path, None)), prefer_graphviz=False)


def test_the_pool_holds_the_fixture_and_library_scenarios() -> None:
    names = [name for name, _, _ in _pool()]
    assert names[0] == "mini" and len(names) >= 2, names
    assert sys.getrecursionlimit() >= 1000
