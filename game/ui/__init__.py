"""The pygame game: a thin view over :class:`~game.session.Session` (no scoring or branching here)."""
