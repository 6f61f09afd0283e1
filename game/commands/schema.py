"""``commonground schema``: the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse
import json

from game.content.format import Rubric, Scenario


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format",
                       description="Print the JSON Schema of scenario files (or of topics.yaml with --rubric). "
                                   "Save it and point yaml-language-server at it for completion in editors.")
    p.add_argument("--rubric", action="store_true", help="the schema of topics.yaml instead")
    p.set_defaults(func=run)


def schema(model: type = Scenario) -> dict:
    data = model.model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return data


def run(args: argparse.Namespace) -> int:
    print(json.dumps(schema(Rubric if args.rubric else Scenario), indent=2))
    return 0
