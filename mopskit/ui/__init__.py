"""ipywidgets front-ends: thin shells over the modules, holding no logic of their own."""

from __future__ import annotations

from .exercises import WidgetExercise, choice, number, widget_for
from .setup import setup_notebook

__all__ = ["WidgetExercise", "choice", "number", "setup_notebook", "widget_for"]
