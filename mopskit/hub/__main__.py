"""``python -m mopskit.hub``: the start command of a user's server on the hub (see :mod:`mopskit.hub._spawn`)."""

from __future__ import annotations

import sys

from mopskit.hub._spawn import main

sys.exit(main())
