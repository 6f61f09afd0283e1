"""``commonground list``: the scenarios of the library with topics, difficulty and length."""

from __future__ import annotations

import argparse
import json

from game.commands.common import add_library_option, open_library


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the scenarios in the library",
                       description="List the library's scenarios with topics, difficulty and length.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--topic", help="only scenarios of this topic")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lib = open_library(args)
    scenarios = sorted(lib.scenarios.values(), key=lambda s: (s.topics[0], s.title))
    if args.topic:
        scenarios = [s for s in scenarios if args.topic in s.topics]
    if args.json:
        print(json.dumps([{"id": s.id, "title": s.title, "topics": s.topics, "difficulty": s.difficulty,
                           "minutes": s.minutes, "nodes": len(s.nodes), "endings": len(s.endings),
                           "file": s.source_path} for s in scenarios], indent=2))
        return 0
    if not scenarios:
        print("no scenarios found")
        return 0
    width = max(len(s.id) for s in scenarios)
    twidth = max(len(s.title) for s in scenarios)
    print(f"{'ID':<{width}}  {'TITLE':<{twidth}}  {'DIFFICULTY':<12}  {'MIN':>3}  TOPICS")
    for s in scenarios:
        print(f"{s.id:<{width}}  {s.title:<{twidth}}  {s.difficulty:<12}  {s.minutes:>3}  {', '.join(s.topics)}")
    topics = sorted({t for s in scenarios for t in s.topics})
    print(f"\n{len(scenarios)} scenarios, {len(topics)} topics")
    return 0
