"""Common Ground: a scenario-based de-escalation training game for police academies.

The package's core (format, loader, engine, scoring, score logs) imports no pygame; the game, the
terminal mode and the command-line tools are views over it.
"""

__version__ = "0.1.0"
