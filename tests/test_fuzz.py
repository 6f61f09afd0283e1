"""Fuzzing: mutated library scenarios and mutated score logs through everything that reads them.

Scenarios: a library scenario (the smaller ones, so a run stays short; the fixture scenario too) is
mutated as data (keys dropped, values of another type, gotos re-aimed, branches and conditions added,
choices removed, ids mangled, counters and meters widened, the start routed round a loop with no choice)
or as text (core tags, tabs, a cut, huge numbers, an alias), then loaded. One that loads goes through
validate's play check, is played in terminal play (random answers, half the time followed by a patient
trainee's) to an ending, or until the input runs out, or until the engine stops it (an unvalidated file
can be played too), and its log is verified, debriefed and replayed, and the scenario explored. The
state space is explored only up to twice the unmutated scenario's size: a mutant past that takes the
path a scenario too big to explore takes in the command line (validate's CG034, explore's message),
which is tested too. No example may raise anything the command line does not turn into a
message: no traceback.

Logs: real logs of the fixture scenario get a field of another type, a field dropped or added, a line
cut, swapped, doubled or deleted, a byte flipped, then sometimes a rechained hash (what a forger
does, with or without the academy key), and go through every reader: read_log, verify, cohort (read,
aggregate, CSV), debrief, xAPI, replay, the game's picker; some through the HTML reports (matplotlib
charts; a few with Graphviz). None may crash.

The examples are derandomized, so CI runs the same ones every time: 500 scenarios, 2,000 logs through
the readers and 25 through the HTML reports. Each test then checks that every mutation kind and every
outcome it means to reach (load error, validate refusing, play to an ending, the engine stopping play,
explore past its bound, a log each reader refuses or reads, a log verified despite its edits) was
reached at least once, so a change that quietly stops the fuzzing from getting anywhere fails the suite;
``--hypothesis-show-statistics`` shows how often each was reached.

Measured on the shared 2-core machine: 48 s with ``-n0`` when it was quiet (47 s of CPU), up to 75 s
at a load of 3; ``-n 2`` the same (the file runs on one worker), 54-75 s. The scenario test is about two
thirds of it. It was 7 min 51 s (8 min 40 s with ``-n 2``) for 200 scenarios: each example parsed and
wrote its YAML with the pure-Python loader and emitter (now parsed once, copied with pickle, written by
libyaml), and explored mutants up to 30,000 states (now twice the unmutated scenario's states, with no
second exploration past the bound).
"""

from __future__ import annotations

import contextlib
import io
import json
import pickle
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

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
from game.records.cohort import Aggregator, Filters, ReadError, _read, csv_rows
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

SCENARIO_EXAMPLES = 500
LOG_EXAMPLES = 2000
HTML_EXAMPLES = 25
SMALL = 2000
"""States a library scenario may have to be fuzzed."""
BOUND_FACTOR, MIN_BOUND = 2, 300
"""A mutant is explored up to this many times its unmutated scenario's states (at least MIN_BOUND)."""
EXPLORE_PAST_BOUND = 50
"""The bound explore runs with on a mutant validate already found past its bound."""

FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

try:  # libyaml reads and writes the same as the pure-Python loader and emitter, ten times faster
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class Base(NamedTuple):
    """A scenario to mutate: its data (parsed once, pickled: a fresh copy per example costs microseconds), the
    folder whose topics.yaml scores it, and how far a mutant of it is explored."""

    name: str
    data: bytes
    folder: str
    bound: int


class Case(NamedTuple):
    name: str
    text: str
    folder: str
    bound: int
    kinds: tuple[str, ...]
    """The mutations applied, for the coverage check."""


def _base(name: str, text: str, folder: Path, states: int) -> Base:
    data = pickle.dumps(yaml.load(text, Loader=_Loader))
    return Base(name, data, str(folder), max(MIN_BOUND, BOUND_FACTOR * states))


@cache
def _pool() -> tuple[Base, ...]:
    """The fixture scenario and the library scenarios with at most SMALL states, parsed once per run."""
    rubric = _rubric(str(LIB))
    mini = load_scenario(LIB / "mini.yaml", rubric)
    out = [_base("mini", (LIB / "mini.yaml").read_text(encoding="utf-8"), LIB, len(statespace.build(mini).states))]
    lib = load_library()
    folder = builtin_dir("scenarios")
    for path in scenario_files(folder):
        scenario = next((s for s in lib.scenarios.values() if Path(s.source_path) == path), None)
        if scenario is None:
            continue
        try:
            states = len(statespace.build(scenario, max_states=SMALL).states)
        except (statespace.ExplorationLimit, EngineError):
            continue
        out.append(_base(scenario.id, path.read_text(encoding="utf-8"), folder, states))
    return tuple(out)


@cache
def _rubric(folder: str) -> Rubric:
    return load_rubric(Path(folder) / "topics.yaml")


WANTED: dict[str, list[str]] = {}
"""Per fuzz test, the labels its derandomized examples must each reach at least once (a label is reached when
some example's label starts with it)."""
FAILED = "an example failed"


class Reached:
    """Labels counted over a test's examples (hypothesis prints it beside a failing example: so, briefly)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __repr__(self) -> str:
        return f"<{len(self.counts)} labels reached>"


@pytest.fixture
def reached(request: pytest.FixtureRequest) -> Iterator[Reached]:
    """What a fuzz test's examples reached. After its last example, every label the test wants must be there:
    a change (in the product or the strategies) that stops the fuzzing from getting anywhere fails the suite
    instead of passing on examples that test nothing."""
    seen = Reached()
    yield seen
    if seen.counts[FAILED]:
        return  # the failing example is the report
    missing = [w for w in WANTED[request.function.__name__] if not any(s.startswith(w) for s in seen.counts)]
    assert not missing, f"no example reached {missing}; they reached {dict(sorted(seen.counts.items()))}"


@contextlib.contextmanager
def _example(seen: Reached) -> Iterator[list[str]]:
    """One example: the labels it adds to the list become hypothesis events (--hypothesis-show-statistics) and
    count towards ``seen``."""
    labels: list[str] = []
    try:
        yield labels
    except Exception:
        seen.counts[FAILED] += 1
        raise
    for label in labels:
        event(label)
    seen.counts.update(set(labels))


# --- scenario mutations --------------------------------------------------------------------------------

WEIRD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.sampled_from([2**60, -2**60, 10**20]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.sampled_from(["", "\x1b[8m", "$\\frac{$",
                                                                                            "a b<c", "../../x"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
MUTATIONS = ["goto"] * 3 + ["branch"] * 3 + ["condition"] * 3 + ["counter-loop"] * 2 + ["effect"] * 2 + [
    "no-choices", "rename", "drop", "retype", "meter-bounds", "start-loop"]
"""Mostly changes that keep a scenario loadable, so most examples reach play; some that break it outright."""
TEXT_PIECES = {"core tag": ["!!int ten", "!!bool maybe", "!!float x", '!!int ""'],
               "object tag": ["!!python/object:os.system ls"], "tab": ["\t"], "cut": [""],
               "huge number": ["0x" + "f" * 30, "9" * 5000], "alias": ["&a [*a, *a]"]}
"""What a text mutation inserts (or where it cuts the text), by kind."""
CONDITIONS = st.sampled_from(["trust >= 50", "agitation < 30", "not asked", "asked and trust > 90", "false",
                              "pushes > 3", 'visited("talk")', "trust >= 0"])
SCENARIO_OUTCOMES = ["load error", "validate passes", "validate refuses: CG032", "validate refuses: CG034",
                     "play: ending", "play: input ran out", "play: engine stopped", "explore: report",
                     "explore: past its bound"]
"""What the derandomized scenario examples must each reach at least once."""


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


def _mutate(draw: st.DrawFn, data: dict[str, Any], kind: str, nodes: list[str], targets: list[str]) -> bool:
    """Apply one mutation of ``kind`` to ``data`` in place; False when it does not apply to this document."""
    if kind == "drop":
        path = draw(st.sampled_from([p for p in _paths(data) if p]))
        del _get(data, path[:-1])[path[-1]]
        return True
    if kind == "retype":
        path = draw(st.sampled_from([p for p in _paths(data) if p]))
        _get(data, path[:-1])[path[-1]] = draw(WEIRD_VALUES)
        return True
    if kind == "meter-bounds":
        meters = data.get("meters")
        if not isinstance(meters, dict) or not meters:
            return False
        for meter in meters.values():
            if isinstance(meter, dict):
                meter["max"] = draw(st.sampled_from([100, 1000, 2**40]))
        return True
    if not nodes:
        return False
    node_id = draw(st.sampled_from(nodes))
    if kind == "start-loop":  # the start and another node route to each other with no choice: play stops at once
        start = data["nodes"].get(data.get("start"))
        if not isinstance(start, dict) or not isinstance(data["nodes"][node_id], dict):
            return False
        start["branches"] = [{"goto": node_id}]
        data["nodes"][node_id]["branches"] = [{"goto": data["start"]}]
        return True
    node = data["nodes"].get(node_id)
    if not isinstance(node, dict):
        return False
    choices = node.get("choices") if isinstance(node.get("choices"), list) else []
    choice = draw(st.sampled_from(choices)) if choices else None
    if kind == "branch":
        branch: dict[str, Any] = {"goto": draw(st.sampled_from(nodes))}
        if draw(st.booleans()):
            branch["if"] = draw(CONDITIONS)
        node.setdefault("branches", [])
        if not isinstance(node["branches"], list):
            return False
        node["branches"].insert(0, branch)
    elif kind == "no-choices":
        node["choices"] = []
        node.pop("time_limit", None)
    elif kind == "rename":
        new = draw(st.sampled_from(["has space", "a<b", "ok_id", "x" * 70, "ünï"]))
        data["nodes"][new] = data["nodes"].pop(node_id)
    elif not isinstance(choice, dict):
        return False
    elif kind == "goto":
        choice["goto"] = draw(st.sampled_from([*targets, node_id, "nowhere"]))
    elif kind == "condition":
        choice["if"] = draw(CONDITIONS)
    elif kind == "effect":
        counters = data.get("counters") if isinstance(data.get("counters"), dict) else {}
        var = draw(st.sampled_from(["agitation", "trust", *counters]))
        choice.setdefault("effects", {})
        if not isinstance(choice["effects"], dict):
            return False
        choice["effects"][var] = draw(st.sampled_from([1, -1, 10**12, {"set": 5}, {"set": -10**9}]))
    elif kind == "counter-loop":
        data.setdefault("counters", {})
        if not isinstance(data["counters"], dict):
            return False
        data["counters"]["laps"] = 0
        choices.append({"text": "Once more.", "goto": node_id, "effects": {"laps": 1}})
    return True


@st.composite
def mutated_scenario(draw: st.DrawFn) -> Case:
    base = draw(st.sampled_from(_pool()))
    data = pickle.loads(base.data)
    nodes = list(data.get("nodes", {}))
    targets = nodes + list(data.get("endings", {}))
    kinds = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(MUTATIONS))
        if _mutate(draw, data, kind, nodes, targets):
            kinds.append(kind)
    out = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    if draw(st.integers(0, 3)) == 0:  # as text: what no data mutation makes
        where = draw(st.integers(0, max(0, len(out) - 1)))
        cut = out.find("\n", where)
        kind = draw(st.sampled_from(list(TEXT_PIECES)))
        piece = draw(st.sampled_from(TEXT_PIECES[kind]))
        out = out[:where] + (f" {piece}" if cut < 0 else piece) + out[where:] if piece else out[:where]
        kinds.append(f"text: {kind}")
    return Case(base.name, out, base.folder, base.bound, tuple(kinds))


ANSWERS = st.tuples(st.lists(st.sampled_from(["1", "2", "3", "w", "9", "x"]), max_size=40), st.booleans()).map(
    lambda drawn: drawn[0] + (["1", "2"] * 30 if drawn[1] else []))
"""A trainee's answers: some at random, then half the time a patient one who keeps answering until the end."""


def _play_to_the_end(scenario: Scenario, rubric: Rubric, answers: str, folder: Path) -> int:
    """Terminal play, as ``play --text`` runs it: the return code, with stderr captured."""
    lib = Library(rubric=rubric, scenarios={scenario.id: scenario})
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        return TextPlay(lib, scenario, trainee="fuzz", log_dir=folder, stdin=io.StringIO(answers),
                        stdout=io.StringIO()).run()


def _scenario_example(case: Case, answers: list[str], tmp: Path) -> list[str]:
    """Load, validate, play, verify, debrief, replay and explore one mutant; what it reached, as labels.

    ``tmp`` is the test's folder, shared by its examples: each writes over the last one's files."""
    shutil.rmtree(tmp / "logs", ignore_errors=True)
    path = tmp / "scenario.yaml"
    path.write_text(case.text, encoding="utf-8")
    rubric = _rubric(case.folder)
    try:
        scenario = load_scenario(path, rubric)
    except LoadError as exc:
        assert exc.diagnostics and all(d.line >= 1 for d in exc.diagnostics)
        return [f"load error {exc.diagnostics[0].code}"]
    # validate may refuse it (a branch loop, a node that can offer nothing, too many states): play it anyway, as
    # an unvalidated file can be played; the view must then end the session cleanly, with the log closed
    refused = play_errors(scenario, read_yaml(path), max_states=case.bound)
    reached = [f"validate refuses: {refused[0].code}" if refused else "validate passes"]
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
    assert (code == 0) == (log.summary.get("status") == "completed"), (code, log.summary)
    reached.append("play: engine stopped" if stopped else "play: ending" if code == 0 else "play: input ran out")
    if unscored:
        reached.append("play: unscored")
    # past the bound for validate, past it for explore: the first states are the same ones, so a small bound
    # takes explore down the same path without exploring them all again
    bound = EXPLORE_PAST_BOUND if refused and refused[0].code == "CG034" else case.bound
    try:
        report(explore(scenario, max_states=bound))
        reached.append("explore: report")
    except statespace.ExplorationLimit as exc:  # the command line says these in a message
        assert str(exc)
        reached.append("explore: past its bound" if not isinstance(exc, statespace.NoEnding) else "explore: no ending")
    except EngineError as exc:
        assert str(exc)
        reached.append("explore: engine error")
    return reached


@settings(FUZZ, max_examples=SCENARIO_EXAMPLES)
@given(case=mutated_scenario(), answers=ANSWERS)
def test_mutated_scenarios_load_validate_play_verify_debrief_replay_and_explore(
        case: Case, answers: list[str], tmp_path: Path, reached: Reached) -> None:
    with _example(reached) as labels:
        labels += [f"scenario {case.name}", *(f"mutation {k}" for k in case.kinds)]
        labels += _scenario_example(case, answers, tmp_path)


WANTED[test_mutated_scenarios_load_validate_play_verify_debrief_replay_and_explore.__name__] = [
    *(f"mutation {k}" for k in sorted(set(MUTATIONS))),
    *(f"mutation text: {k}" for k in TEXT_PIECES), *SCENARIO_OUTCOMES]


# --- log mutations ---------------------------------------------------------------------------------------

LOG_MUTATIONS = ["field", "field", "field", "drop", "add", "lines", "bytes", "type"]
LOG_OUTCOMES = ["rechained", "key False: refused by read_log", "key False: read, failed",
                "key False: read, unsigned", "key True: refused by read_log", "key True: read, failed",
                "key True: read, verified", "cohort: record", "cohort: error"]
"""What the derandomized log examples must each reach at least once (every mutation kind is added to these)."""


@cache
def _real_logs() -> tuple[bytes, ...]:
    """Real logs of the fixture scenario: completed, keyed, failed, restarted, abandoned."""
    mini, rubric = _mini()
    plays = [(["distance", "ask", "help"], None), (["wait", "ask", "leave"], b"k"), (["rush", "grab"], None),
             (["distance", "restart", "rush", "back-off", "talk_again.1", "leave"], None), (["distance", "quit"], None)]
    with tempfile.TemporaryDirectory() as folder:
        return tuple(play(mini, rubric, Path(folder), steps, key=key, trainee=f"t{i}").read_bytes()
                     for i, (steps, key) in enumerate(plays))


@st.composite
def mutated_log(draw: st.DrawFn) -> tuple[bytes, tuple[str, ...]]:
    """A mutated log, and the mutations it went through."""
    lines = draw(st.sampled_from(_real_logs())).splitlines()
    kinds = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(LOG_MUTATIONS))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "lines":
            op = draw(st.sampled_from(["delete", "double", "swap", "cut", "blank"]))
            if op == "delete" and len(lines) > 1:
                del lines[i]
            elif op == "double":
                lines.insert(i, lines[i])
            elif op == "swap" and i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            elif op == "cut":
                lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            elif op == "blank":
                lines.insert(i, b"")
            else:
                continue
            kind = f"lines {op}"
        elif kind == "bytes":
            raw = bytearray(lines[i])
            if not raw:
                continue
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
            lines[i] = bytes(raw)
        else:
            try:
                ev = json.loads(lines[i])
            except ValueError:
                continue
            if not isinstance(ev, dict):
                continue
            places = [p for p in _paths(ev) if p]
            if kind == "field" and places:
                path = draw(st.sampled_from(places))
                _get(ev, path[:-1])[path[-1]] = draw(WEIRD_VALUES)
            elif kind == "drop" and places:
                path = draw(st.sampled_from(places))
                del _get(ev, path[:-1])[path[-1]]
            elif kind == "add":
                ev[draw(st.sampled_from(["x", "state", "score", "scores", "node"]))] = draw(WEIRD_VALUES)
            elif kind == "type":
                ev["type"] = draw(st.sampled_from(["choice", "summary", "node", "ending", "restart", "reload",
                                                   "session_start", "abandoned", "nope"]))
            try:
                lines[i] = json.dumps(ev, allow_nan=True).encode()
            except (ValueError, TypeError):
                continue
        kinds.append(kind)
    out = b"\n".join(lines) + (b"\n" if draw(st.booleans()) else b"")
    if draw(st.integers(0, 3)) == 0:  # a forger who also recomputes the chain: without the key (as it was, or
        # downgraded to unkeyed), or an insider with the academy key, who marks it keyed
        key, keyed = draw(st.sampled_from([(None, None), (None, False), (b"k", True)]))
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            out = rechain([ln for ln in out.splitlines() if ln.strip()], key, keyed=keyed)
            kinds.append("rechained")
    return out, tuple(kinds)


@cache
def _mini() -> tuple[Scenario, Rubric]:
    rubric = _rubric(str(LIB))
    return load_scenario(LIB / "mini.yaml", rubric), rubric


def _every_reader(path: Path, key: bytes | None) -> list[str]:
    """Every reader over one log file; what happened, as labels."""
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
    reached = ["cohort: error" if isinstance(item, ReadError) else "cohort: record"]
    try:
        log = read_log(path)
    except LogError as exc:
        assert str(exc).startswith(f"{path}:")
        return [*reached, f"key {key is not None}: refused by read_log"]
    for scenario in (mini, None):
        d = build(log, scenario, rubric if scenario else None, verdict)
        terminal(d)
        Builder(log, scenario, verified=verdict.status == "verified", integrity=verdict.status).statements()
        integrity.summary_disagreement(log.events, scenario, rubric)
    replay(log, mini, rubric)
    return [*reached, f"key {key is not None}: read, {verdict.status}"]


def test_the_real_logs_go_through_every_reader_whole(tmp_path: Path) -> None:
    """The baseline the mutants are measured against: unmutated, each log is read, and the keyed one verified."""
    reached = []
    for i, raw in enumerate(_real_logs()):
        path = tmp_path / str(i) / "x.jsonl"
        path.parent.mkdir()
        path.write_bytes(raw)
        reached += _every_reader(path, b"k" if b'"keyed":true' in raw else None)
    assert set(reached) == {"cohort: record", "key False: read, unsigned", "key True: read, verified"}, reached


@settings(FUZZ, max_examples=LOG_EXAMPLES)
@given(case=mutated_log())
def test_mutated_logs_never_crash_a_reader(case: tuple[bytes, tuple[str, ...]],
                                           tmp_path: Path, reached: Reached) -> None:
    raw, kinds = case
    with _example(reached) as labels:
        path = tmp_path / "x.jsonl"  # the same file for every example: the picker reads the folder
        path.write_bytes(raw)
        labels += [k if k == "rechained" else f"mutation {k}" for k in kinds]
        labels += [*_every_reader(path, None), *_every_reader(path, b"k")]


WANTED[test_mutated_logs_never_crash_a_reader.__name__] = [
    *(f"mutation {k}" for k in sorted(set(LOG_MUTATIONS) - {"lines"})),
    *(f"mutation lines {op}" for op in ("delete", "double", "swap", "cut", "blank")), *LOG_OUTCOMES]


@settings(FUZZ, max_examples=HTML_EXAMPLES)
@given(case=mutated_log(), graphviz=st.integers(0, 9).map(lambda n: n == 0))
def test_mutated_logs_never_crash_the_html_reports(case: tuple[bytes, tuple[str, ...]], graphviz: bool,
                                                   tmp_path: Path, reached: Reached) -> None:
    from game.reports.html import cohort_html, debrief_html

    mini, rubric = _mini()
    with _example(reached) as labels:
        path = tmp_path / "x.jsonl"
        path.write_bytes(case[0])
        shutil.copy(LIB / "mini.yaml", tmp_path / "ignored.txt")
        agg = Aggregator(include_unverified=True)
        item = _read(path, None, Filters())
        if item is not None:
            agg.add(item)
        cohort_html(agg.finish(), filters=Filters(), pseudonymized=False, files=1)
        try:
            log = read_log(path)
        except LogError:
            labels.append("cohort only")
            return
        debrief_html(build(log, mini, rubric, verify_file(path, None)), prefer_graphviz=graphviz)
        labels.append("debrief with graphviz" if graphviz else "debrief")


WANTED[test_mutated_logs_never_crash_the_html_reports.__name__] = [
    "cohort only", "debrief", *(["debrief with graphviz"] if shutil.which("dot") else [])]


def test_the_pool_holds_the_fixture_and_library_scenarios() -> None:
    names = [base.name for base in _pool()]
    assert names[0] == "mini" and len(names) >= 2, names
    assert sys.getrecursionlimit() >= 1000
