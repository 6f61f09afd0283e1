"""Engine: playing a loaded scenario.

The pure rules of a step, the versioned ``State``, meters and their words, and the ``Session`` facade
that views drive. May import ``game.content`` only (and the shared helpers); never pygame.
"""
