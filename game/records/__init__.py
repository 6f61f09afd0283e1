"""Records: what a session leaves behind, and what leaves the workstation.

The append-only score log, its verification and replay, hot reload of a running session (which the
log must note), cohort aggregation, xAPI statements and the learning-record-store client. May import
content, engine and analysis; never reports, views or pygame.
"""
