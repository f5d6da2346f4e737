"""Start Ralph's LRS (its real FastAPI app under uvicorn) on the file-system backend, for the tests.

    python ralph_server.py PORT [--append]

Ralph 5.1's file backend writes with the CREATE operation by default: the first write creates its statements
file and every later write is refused ("already exists and overwrite is not allowed"), so as shipped it stores
one batch in its lifetime. ``--append`` makes the backend's default write an APPEND (a file LRS's natural mode);
nothing else of Ralph is changed: its HTTP API, xAPI validation, authentication and duplicate detection are
the ones shipped. The configuration comes from the environment (RALPH_* variables, set by the test fixture).
"""

import sys

import uvicorn

if "--append" in sys.argv:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.data.fs import FSDataBackend

    FSDataBackend.default_operation_type = BaseOperationType.APPEND

uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
