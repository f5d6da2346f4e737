"""ipywidgets front-ends: thin shells over the modules, holding no logic of their own."""

from __future__ import annotations

from .exercises import (
    WidgetExercise,
    choice,
    exercise_class,
    grid,
    leaf_class,
    match,
    number,
    option_class,
    text,
    widget_for,
)
from .setup import setup_notebook

__all__ = [
    "WidgetExercise",
    "choice",
    "exercise_class",
    "grid",
    "leaf_class",
    "match",
    "number",
    "option_class",
    "setup_notebook",
    "text",
    "widget_for",
]
