"""Content: what instructors write, and how it is read and checked.

The scenario and rubric format (pydantic models), located YAML reading, the condition language, the
loader with its reference checks, the library folders, diagnostics and their codes, limits and the
``new`` template. The bottom layer: it imports nothing else of the game (only the shared helpers
``game.content.gcpause`` and ``game.userdirs``) and never pygame.
"""
