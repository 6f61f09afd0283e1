"""Cohort benchmark: ``commonground cohort`` over many real-format score logs versus two bare baselines.

The logs are made by playing the test scenario through the engine with a :class:`ScoreLog` writing to
memory (real events, real hash chains), then written out; a few path shapes are cycled, with a new
session id, trainee and chain for every log. Two baselines run on the same files in the same run: a
raw read of every file's bytes, and a bare ``json.loads`` of every line (one process). Cohort reads,
validates every event against the log format, walks each hash chain, checks each summary against its
choices, plays each log's choices again through the engine (the paths repeat, as a class's do, so most
are remembered) and reduces; the target is at most 2x the JSON-parse baseline. The ratios are what to compare
across runs (machines here are noisy). Logs in the writer's
layout let cohort check the chain on raw bytes; ``--old-layout`` rewrites them as lines were laid out
before (fields in writing order), which takes the full parse-and-re-encode check.
``--distinct`` plays random paths through every built-in scenario instead, so that nearly every log's path
is new and is played again by the engine: the worst case for cohort's memory of paths.
Run: ``python bench/bench_cohort.py [--logs 100000] [--trainees 2000] [--workers N] [--keep DIR] [--keyed]
[--old-layout] [--distinct] [--repeat 3]`` (``--keep`` reuses a folder made with the same options).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.content.library import load_library
from game.content.loader import load_rubric, load_scenario
from game.engine.session import Session
from game.engine.variants import choose
from game.records.cohort import Aggregator, Filters, Judge, log_files, scan
from game.records.scorelog import ScoreLog

LIB = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lib"
PATHS = [["arrival.distance", "talk.ask", "listen.help"], ["wait", "talk.ask", "listen.leave"],
         ["arrival.rush", "hot.back-off", "talk_again.1", "listen.leave"], ["arrival.rush", "hot.grab"],
         ["arrival.distance", "talk.order"], ["arrival.distance", "talk.ask", "listen.leave"]]


class _Keep(io.StringIO):
    def close(self) -> None:  # ScoreLog closes its stream at the summary; keep the text readable
        pass


KEY = b"bench-academy-key"


def _old_layout(text: str) -> str:
    out = []
    for line in text.splitlines():
        e = json.loads(line)
        first = {k: e[k] for k in ("v", "seq", "ts", "session")}
        rest = {k: v for k, v in e.items() if k not in (*first, "prev", "hash")}
        out.append(json.dumps({**first, **rest, "prev": e["prev"], "hash": e["hash"]}, ensure_ascii=False,
                              separators=(",", ":")) + "\n")
    return "".join(out)


def _random_path(session: Session, rng: random.Random) -> None:
    """Play on to an ending (or 60 moves) with a random available option at each node."""
    for _ in range(60):
        if session.finished:
            return
        offers = [o for o in session.offers() if o.available]
        if offers:
            session.choose(rng.choice(offers).choice.id)
        elif session.node is not None and session.node.time_limit is not None:
            session.time_out()
        else:
            break
    if not session.finished:
        session.abandon()


def _write(args: tuple[Path, int, int, int, bool, bool, bool]) -> int:
    folder, start, stop, trainees, keyed, old, distinct = args
    judge = library(builtin=distinct)
    scenarios, rubric = sorted(judge.scenarios.values(), key=lambda s: s.id), judge.rubric
    assert rubric is not None
    for i in range(start, stop):
        trainee = f"cadet-{i % trainees:05d}"
        scenario = scenarios[i % len(scenarios)]
        buf = _Keep()
        seed = i if scenario.variants else None
        log = ScoreLog(Path("x"), scenario, rubric, trainee=trainee, stream=buf, key=KEY if keyed else None,
                       variant=choose(scenario, None, seed).variant if seed is not None else None, seed=seed)
        session = Session(scenario, rubric, observers=[log.observe], clock=lambda: 0.0, seed=seed)
        if distinct:
            _random_path(session, random.Random(i))
        else:
            for step in PATHS[(i * 7 + i // trainees) % len(PATHS)]:
                session.time_out() if step == "wait" else session.choose(step)
        sub = folder / trainee[-2:]
        sub.mkdir(exist_ok=True)
        (sub / f"{i:07d}-{trainee}-{scenario.id}-{log.session_id[:8]}.jsonl").write_text(
            _old_layout(buf.getvalue()) if old else buf.getvalue(), encoding="utf-8")
    return stop - start


def generate(folder: Path, count: int, trainees: int, workers: int, keyed: bool, old: bool, distinct: bool) -> None:
    step = max(1, count // (workers * 4))
    jobs = [(folder, i, min(i + step, count), trainees, keyed, old, distinct) for i in range(0, count, step)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        sum(pool.map(_write, jobs))


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the cohort's worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def bare_read(files: list[Path]) -> int:
    total = 0
    for p in files:
        with open(p, "rb") as f:
            total += len(f.read())
    return total


def bare_parse(files: list[Path]) -> int:
    """Read every file and ``json.loads`` every line: the least any reader that looks at each event must do."""
    events = 0
    for p in files:
        with open(p, "rb") as f:
            for line in f.read().split(b"\n"):
                if line:
                    json.loads(line)
                    events += 1
    return events


def library(*, builtin: bool = False) -> Judge:
    """The library ``commonground cohort`` judges logs against: each log's choices are played again."""
    if builtin:
        lib = load_library()
        return Judge(dict(lib.scenarios), lib.rubric)
    rubric = load_rubric(LIB / "topics.yaml")
    scenario = load_scenario(LIB / "mini.yaml", rubric)
    return Judge({scenario.id: scenario}, rubric)


def cohort(files: list[Path], workers: int, key: bytes | None = None, judge: Judge | None = None) -> int:
    agg = Aggregator()
    for item in scan(files, key, Filters(), workers=workers, judge=judge or Judge()):
        agg.add(item)
    c = agg.finish()
    assert not c.unverified and not c.errors, (len(c.unverified), c.errors[:3])
    return c.sessions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--logs", type=int, default=100_000)
    ap.add_argument("--trainees", type=int, default=2_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one")
    ap.add_argument("--keyed", action="store_true", help="write and verify the logs with an academy key (HMAC)")
    ap.add_argument("--old-layout", action="store_true", help="lay the lines out as the writer did before")
    ap.add_argument("--distinct", action="store_true",
                    help="random paths through every built-in scenario (few paths repeat, so nearly every log is "
                         "played again by the engine) instead of six repeated paths through the fixture")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time each measurement this many times, interleaved, and keep the fastest (default 3)")
    args = ap.parse_args()
    tmp = None
    folder = args.keep
    if folder is None:
        tmp = tempfile.mkdtemp(prefix="cg-cohort-")
        folder = Path(tmp)
    key = KEY if args.keyed else None
    judge = library(builtin=args.distinct)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if len(log_files([folder])) != args.logs:
            t0 = time.perf_counter()
            generate(folder, args.logs, args.trainees, args.workers, args.keyed, args.old_layout, args.distinct)
            print(f"generated {args.logs:,} logs in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        files = log_files([folder])
        t_list = time.perf_counter() - t0
        wall = {"read": float("inf"), "parse": float("inf"), "pool": float("inf"), "one": float("inf")}
        cpu = dict(wall)
        size = events = sessions = 0

        def timed(name: str, run):  # type: ignore[no-untyped-def]
            t0, c0 = time.perf_counter(), _cpu()
            out = run()
            wall[name] = min(wall[name], time.perf_counter() - t0)
            cpu[name] = min(cpu[name], _cpu() - c0)
            return out

        for _ in range(max(1, args.repeat)):  # interleaved, so a busy moment on the machine hits every one alike
            size = timed("read", lambda: bare_read(files))
            events = timed("parse", lambda: bare_parse(files))
            sessions = timed("pool", lambda: cohort(files, args.workers, key, judge))
            timed("one", lambda: cohort(files, 1, key, judge))
        how = (f"{'keyed' if args.keyed else 'unkeyed'}, {'old' if args.old_layout else 'current'} layout, "
               + ("random paths through every library scenario" if args.distinct else "six paths through the fixture"))
        print(f"{len(files):,} logs ({how}), {size / 1e6:.0f} MB, {events:,} events, {args.workers} worker "
              f"process(es); listing {t_list:.2f} s; fastest of {max(1, args.repeat)} run(s) each")
        print("  (wall time, then CPU time of this process and its workers: on a shared machine the CPU ratio is "
              "the steadier)")
        print(f"  baseline: raw read of every file:       {wall['read']:.2f} s wall, {cpu['read']:.2f} s CPU")
        print(f"  baseline: json.loads of every line:     {wall['parse']:.2f} s wall, {cpu['parse']:.2f} s CPU")
        for name, label in (("pool", f"cohort, {args.workers} process(es):"), ("one", "cohort, one process:")):
            print(f"  {label:<39} {wall[name]:.2f} s wall ({wall[name] / wall['parse']:.2f}x the JSON parse, "
                  f"{wall[name] / wall['read']:.2f}x the raw read); {cpu[name]:.2f} s CPU "
                  f"({cpu[name] / cpu['parse']:.2f}x the JSON parse)   ({sessions:,} sessions)")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
