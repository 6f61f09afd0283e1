"""``commonground play [SCENARIO]``: the game (pygame), or terminal play with ``--text``.

``--at NODE [--set NAME=VALUE ...]`` is the authors' test run, in either view: it starts at NODE with
those values, is logged as a test run (never counted as training), and in terminal play ``back`` takes
the last step back (in the window, Backspace). The node and values are checked here, before any window
or log is opened, so a typo is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.common import add_library_option, find_scenario, open_library
from game.content.library import Library


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play a scenario (the game, or --text in the terminal)",
                       description="Open the game, or play in the terminal with --text. With --text and no "
                                   "terminal on standard input, choices are read from it one per line; type ? "
                                   "for the state and why each choice is offered. Authors: --at NODE starts a "
                                   "test run at NODE (with --set values), in the window or with --text; it is "
                                   "logged as a test run, never counted as training, and 'back' (Backspace in "
                                   "the window) takes the last step back.")
    p.add_argument("scenario", nargs="?", help="scenario id or file (default: choose from a list)")
    p.add_argument("--text", action="store_true", help="play in the terminal")
    p.add_argument("--trainee", help="trainee name or id recorded in the log")
    p.add_argument("--log-dir", type=Path, help="where to write the score log (default: your data folder)")
    p.add_argument("--mode", choices=["practice", "exam"], default="practice",
                   help="practice: feedback after each choice; exam: feedback only at the end")
    p.add_argument("--timers", choices=["on", "slower", "off"], default=None,
                   help="time limits: on, slower (double time) or off")
    p.add_argument("--variant", metavar="NAME",
                   help="play this variant of the scenario instead of drawing one by weight")
    p.add_argument("--at", metavar="NODE", help="authors: a test run that starts at NODE, in the window (with a "
                                                 "TEST RUN banner) or with --text; not counted as training")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="with --at: set a meter, flag or counter first (repeatable)")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded: list[Library] = []

    def library() -> Library:
        """The library, loaded once whichever check asks first."""
        if not loaded:
            loaded.append(open_library(args, quiet=True))
        return loaded[0]

    if args.variant is not None:  # a wrong name is an error before any window opens
        from game.engine.variants import UnknownVariant, check

        if not args.scenario:
            print("commonground play: --variant needs a scenario", file=sys.stderr)
            return 2
        try:
            check(find_scenario(library(), args.scenario), args.variant)
        except UnknownVariant as exc:
            print(f"commonground: {exc}", file=sys.stderr)
            return 2
    if args.set and not args.at:
        print("commonground play: --set needs --at NODE", file=sys.stderr)
        return 2
    if args.at and not args.scenario:
        print("commonground play: --at needs a scenario (play SCENARIO --at NODE)", file=sys.stderr)
        return 2
    settings: dict[str, str] = {}
    if args.at:  # checked before a window or a log opens: a typo is a message, not an empty test log
        from game.engine.startpoint import StartError, parse_settings, test_record

        try:
            settings = parse_settings(args.set)
            test_record(find_scenario(library(), args.scenario), args.at, settings)
        except StartError as exc:
            print(f"commonground play: {exc}", file=sys.stderr)
            return 2
    if not args.text:
        try:
            from game.ui.app import run_game
        except ImportError as exc:
            print(f"commonground: the game window is not available ({exc}); use --text", file=sys.stderr)
            return 2
        return run_game(args)
    from game.textplay import TextPlay

    lib = library()
    if args.scenario:
        scenario = find_scenario(lib, args.scenario)
    else:
        scenario = TextPlay.pick(lib)
        if scenario is None:
            return 1
    return TextPlay(lib, scenario, trainee=args.trainee, log_dir=args.log_dir, mode=args.mode,
                    timers=args.timers or "on", variant=args.variant, at=args.at, settings=settings).run()
