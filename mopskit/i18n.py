"""The one translation function for trainee-facing text.

Every string the package shows a trainee (widget labels, check verdicts, hints, trainee-facing errors) goes
through :func:`_`. Lessons are written in English first; a new language is a gettext catalog under
``mopskit/locale/<lang>/LC_MESSAGES/mopskit.mo``, chosen with ``MOPSKIT_LANG`` or :func:`set_language`.
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

from ._session import SESSION

__all__ = ["_", "get_language", "set_language"]

_DOMAIN = "mopskit"


def _load(lang: str | None) -> gettext.NullTranslations:
    if not lang or lang.startswith("en"):
        return gettext.NullTranslations()
    localedir = resources.files("mopskit") / "locale"
    return gettext.translation(_DOMAIN, localedir=str(localedir), languages=[lang], fallback=True)


def set_language(lang: str | None) -> None:
    """Choose the language of trainee-facing messages (``"en"``, ``"ro"``, ``"th"``, ``"zh_TW"``).

    A language without a catalog falls back to English.

    >>> set_language("en"); _("Correct!")
    'Correct!'
    """
    SESSION.language = lang
    SESSION.translations = _load(lang)


def get_language() -> str:
    """Return the language in use, ``"en"`` unless one was set."""
    if SESSION.translations is None:
        set_language(os.environ.get("MOPSKIT_LANG"))
    return str(SESSION.language or "en")


def _(message: str) -> str:
    """Translate one trainee-facing message into the chosen language.

    >>> _("Not answered yet.")
    'Not answered yet.'
    """
    if SESSION.translations is None:
        set_language(os.environ.get("MOPSKIT_LANG"))
    translations = SESSION.translations
    assert isinstance(translations, gettext.NullTranslations)
    return translations.gettext(message)
