"""The kit's version, in one place: the build reads it from here, and so do the modules that report it."""

from __future__ import annotations

__version__ = "0.1.0"
