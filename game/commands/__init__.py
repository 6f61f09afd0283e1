"""One module per ``commonground`` subcommand; each exposes ``register(subparsers)``."""
