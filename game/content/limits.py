"""How much text the game can show in one place, in characters: one definition for lint and the views.

The game lays text out in fixed panels (a choice button, the speaker's line, the narration box, the
feedback and debrief panels). Past these lengths text no longer fits at the largest text size without
scrolling, so ``commonground lint`` warns (CG112) and the views may rely on them when laying out.
"""

from __future__ import annotations

CHOICE_TEXT = 220
"""A choice as the trainee reads it on a button (and a time-out's text)."""
LINE = 400
"""What the speaker says at a node."""
NARRATION = 900
"""What the trainee sees happen at a node or an ending."""
FEEDBACK = 600
"""The feedback after a choice."""
DEBRIEF = 1500
"""An ending's debrief."""
TITLE = 80
"""An ending's title."""

TEXT_LIMITS: dict[str, int] = {
    "choice": CHOICE_TEXT,
    "line": LINE,
    "narration": NARRATION,
    "feedback": FEEDBACK,
    "debrief": DEBRIEF,
    "title": TITLE,
}
"""Limit by kind of text, as lint reports them."""

COUNTER_MIN = -1000
COUNTER_MAX = 1000
"""Bounds every counter is kept within, as meters are kept within theirs: a counter that grows in a loop
stops at the bound, so the states a scenario can reach stay finite and a session can always be scored."""

PORTRAIT_PATH = 255
"""Longest portrait path, in characters (longer ones fail to open on common file systems)."""

NODE_ID = 64
"""Longest node or ending id: ids are written in logs and in xAPI activity IRIs."""
