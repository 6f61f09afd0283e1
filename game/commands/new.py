"""``commonground new ID --topic TOPIC``: start a scenario from a commented template that plays."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from game.analysis.plans import plan_for
from game.commands.common import add_library_option
from game.content.library import load_library
from game.content.template import render

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="start a new scenario from a template",
                       description="Write ID.yaml (a small commented scenario that validates and plays) and "
                                   "ID.plan.yaml (its test plans) to start from.")
    p.add_argument("id", help="the new scenario's id: lower-case letters, digits, - and _ (e.g. shop-doorway)")
    p.add_argument("--topic", required=True, help="the topic it teaches (a topic id from topics.yaml)")
    p.add_argument("--title", help="the title shown in the picker (default: from the id)")
    p.add_argument("--dir", type=Path, default=Path("."), help="where to write the files (default: here)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not ID_PATTERN.match(args.id):
        print(f"commonground: '{args.id}' is not a valid id; use lower-case letters, digits, '-' and '_', "
              "starting with a letter or digit (for example shop-doorway)", file=sys.stderr)
        return 2
    rubric = load_library(args.library).rubric
    topic = rubric.topics.get(args.topic)
    if topic is None:
        print(f"commonground: no topic '{args.topic}'; the topics are: {', '.join(rubric.topics)}", file=sys.stderr)
        return 2
    principles = [f"{args.topic}.{p}" for p in list(topic.principles)[:2]]
    scenario_text, plan_text = render(args.id, args.topic, principles, args.title)
    path = args.dir / f"{args.id}.yaml"
    plan = plan_for(path)
    existing = [str(p) for p in (path, plan) if p.exists()]
    if existing and not args.force:
        print(f"commonground: {', '.join(existing)} already exists; use --force to overwrite", file=sys.stderr)
        return 2
    args.dir.mkdir(parents=True, exist_ok=True)
    path.write_text(scenario_text, encoding="utf-8")
    plan.write_text(plan_text, encoding="utf-8")
    print(f"wrote {path} and {plan}\nnext:\n"
          f"  commonground schema > {args.dir / 'scenario.schema.json'}   (once, for completion in your editor)\n"
          f"  commonground play {path} --text\n"
          f"  commonground validate {path} && commonground lint {path} && commonground test {path}")
    return 0
