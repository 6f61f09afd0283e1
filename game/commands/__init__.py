"""Commands: one module per ``commonground`` subcommand; each exposes ``register(subparsers)``.

The command line is a view over every layer: it may import anything, but never pygame at import time
(``play`` opens the game window through ``game.ui`` only when asked to).
"""
