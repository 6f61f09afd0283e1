"""``python -m game`` runs the ``commonground`` command."""

from game.cli import run

run()
