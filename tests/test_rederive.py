"""The engine plays every logged session again and agrees with what the game wrote: no honest log is flagged.

Cohort, debrief, verify and xAPI compare each summary with the ending and score card the engine reaches
by playing the logged choices again (:mod:`game.records.rederive`). A false alarm would call a trainee's
honest record forged, so every library scenario is played here along random paths (time-outs, restarts,
abandoned sessions, every variant, test runs from a late node) through the real log writer, and each
log must be played again to the same result; then one figure is changed and it must not be.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from game.content.library import load_library
from game.engine.session import Session
from game.engine.variants import choose
from game.records import rederive
from game.records.cohort import Aggregator, Filters, Judge, log_files, scan
from game.records.logread import read_log
from game.records.scorelog import ScoreLog
from tests.logplay import Clock

LIBRARY = load_library()
SESSIONS, TEST_RUNS = 10, 2
"""Random sessions and test runs played per library scenario."""


def _random_session(scenario, rubric, folder: Path, rng: random.Random, *, test_run: bool) -> Path:
    draw = choose(scenario, None, rng.randrange(1 << 30))
    node = rng.choice(sorted(scenario.nodes)) if test_run else None
    log = ScoreLog.create(scenario, rubric, trainee=f"cadet-{rng.randrange(100)}", log_dir=folder,
                          variant=draw.variant, seed=draw.seed, test_run={"at": node, "set": {}} if node else None)
    how = {"observers": [log.observe], "clock": Clock(), "variant": draw.variant, "seed": draw.seed}
    session = Session.begin_at(scenario, rubric, node, {}, **how) if node else Session(scenario, rubric, **how)
    restarted = False
    for _ in range(80):
        if session.finished:
            break
        roll = rng.random()
        offers = [o for o in session.offers() if o.available]
        if roll < 0.03:
            session.abandon()
        elif roll < 0.08 and not restarted and not test_run:
            session.restart()
            restarted = True
        elif (roll < 0.2 or not offers) and session.node is not None and session.node.time_limit is not None:
            session.time_out()
        elif offers:
            session.choose(rng.choice(offers).choice.id)
        else:
            session.abandon()
    if not session.finished:
        session.abandon()
    return log.path


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("played")
    rng = random.Random(20261206)
    for scenario in LIBRARY.scenarios.values():
        for i in range(SESSIONS + TEST_RUNS):
            _random_session(scenario, LIBRARY.rubric, folder, rng, test_run=i >= SESSIONS)
    return folder


def test_every_honest_log_is_played_again_to_what_it_says(played: Path) -> None:
    memo = rederive.Memo()
    files = log_files([played])
    assert len(files) == (SESSIONS + TEST_RUNS) * len(LIBRARY.scenarios)
    for path in files:
        log = read_log(path)
        scenario = LIBRARY.scenarios[log.start["scenario"]]
        assert rederive.played_here(log.events, scenario)
        assert rederive.disagreement(log.events, scenario, LIBRARY.rubric, memo) is None, path
        derived = memo.last
        assert derived is not None and derived.problem is None
        assert derived.ending == log.summary.get("ending"), path


def test_cohort_plays_every_log_again_and_counts_every_honest_session(played: Path) -> None:
    agg = Aggregator()
    for item in scan(log_files([played]), None, Filters(), workers=1, judge=Judge(LIBRARY.scenarios,
                                                                                   LIBRARY.rubric)):
        agg.add(item, keep_rows=True)
    c = agg.finish()
    assert not c.unverified and not c.errors, [r.issue for r in c.unverified][:3]
    assert c.sessions == SESSIONS * len(LIBRARY.scenarios)  # the test runs are listed, never counted
    assert c.not_rederived == 0 and all(r.rederived for r in agg.rows)


def test_one_changed_figure_is_caught(played: Path, tmp_path: Path) -> None:
    """Each summary made to say its trainee earned one point more, its percentage made to add up."""
    caught = 0
    for path in log_files([played])[:40]:
        log = read_log(path)
        score = (log.summary or {}).get("score")
        if not score or not score["overall"]["stake"] or score["overall"]["earned"] >= score["overall"]["stake"]:
            continue
        summary = json.loads(json.dumps(log.summary))
        overall = summary["score"]["overall"]
        overall["earned"] += 1
        overall["percent"] = round(100 * overall["earned"] / overall["stake"], 1)
        events = [*log.events[:-1], summary]
        scenario = LIBRARY.scenarios[log.start["scenario"]]
        why = rederive.disagreement(events, scenario, LIBRARY.rubric)
        assert why is not None and "overall earned" in why, (path, why)
        caught += 1
    assert caught >= 10
