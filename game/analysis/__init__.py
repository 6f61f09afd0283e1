"""Analysis: what can be known about a scenario and a session without playing it by hand.

Scoring, the reachable state space and its exploration, the exemplar (best) path, test plans and
lint. May import ``game.content`` and ``game.engine``; never records, reports, views or pygame.
"""
