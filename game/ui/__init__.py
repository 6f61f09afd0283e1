"""Views: the pygame game, a thin view over :class:`~game.engine.session.Session`.

No scoring or branching here: screens show what the engine and the analysis decide. May import any
layer below; the only package of the game that imports pygame.
"""
