"""Ralph's LRS app for the tests, with its filesystem backend set to append.

Ralph 5.1.0's filesystem LRS backend writes with the ``index`` operation, which refuses to touch a
file that exists, so every POST after the first fails with HTTP 500 ("Statements bulk indexation
failed"). Appending is what a statement store means; everything else (auth, validation, the
duplicate-id check, reads) is Ralph's own. Served with ``uvicorn tests.ralph_app:app``.
"""

from __future__ import annotations

from ralph.api import app
from ralph.api.routers import statements
from ralph.backends.data.base import BaseOperationType

statements.BACKEND_CLIENT.default_operation_type = BaseOperationType.APPEND

__all__ = ["app"]
