"""The translation functions for trainee-facing text, and the languages the kit speaks.

Every string the package shows a trainee (widget labels, check verdicts, hints, trainee-facing errors) goes
through :func:`_` (or :func:`_n` when it holds a count). Text that comes from the content files (role remits,
glossary definitions, the metric catalog) goes through :func:`content_text`, which :mod:`mopskit.content`
applies when it reads a file. English is the source; a language is a gettext catalog:

- ``mopskit/locale/<lang>/LC_MESSAGES/mopskit.po``: the package's own messages;
- ``mopskit/locale/<lang>/LC_MESSAGES/content.po``: the translatable fields of the content files.

The ``.mo`` files are compiled from the ``.po`` files when the wheel is built (``hatch_build.py``); in a
checkout they are compiled on first use and again whenever a ``.po`` is newer. A language is chosen with
``MOPSKIT_LANG`` (``mopskit start --lang th`` sets it for the kernels) or :func:`set_language`; a message
without a translation stays in English.

``en_XA`` is a pseudo-language made from the English on the fly: every message comes out accented and
bracketed (``⟦Çóññéçt!⟧``), so a page shown in it reveals at a glance any English that did not go through a
catalog. The tests run every lesson in it.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from ._session import SESSION

__all__ = [
    "LANGUAGES",
    "PSEUDO",
    "_",
    "_n",
    "content_text",
    "content_with_english",
    "date_text",
    "font_families",
    "get_language",
    "language",
    "locale_dir",
    "normalize_language",
    "per_language",
    "plot_settings",
    "pseudo",
    "set_language",
    "translator",
]

DOMAIN = "mopskit"  # the package's own messages
CONTENT_DOMAIN = "content"  # the translatable fields of mopskit/content/*.yaml
DOMAINS = (DOMAIN, CONTENT_DOMAIN)

# The languages the kit ships, by their catalog name, with their own name for themselves.
LANGUAGES: dict[str, str] = {"en": "English", "ro": "Română", "th": "ไทย", "zh_TW": "繁體中文"}
PSEUDO = "en_XA"  # the pseudo-language of the tests (see the module's docstring)
_ALIASES = {"zh": "zh_TW", "zh_hant": "zh_TW", "zh_hant_tw": "zh_TW", "zh_tw": "zh_TW", "en_xa": PSEUDO}

# Fonts that draw each language's script in charts: DejaVu Sans (matplotlib's own) first for Latin letters and
# digits, then the script's font; matplotlib falls back glyph by glyph along the list. Debian packages:
# fonts-thai-tlwg (Loma, Garuda, Waree...) and fonts-noto-cjk (Noto Sans CJK TC).
_SCRIPT_FONTS: dict[str, tuple[str, ...]] = {
    "th": ("Loma", "Garuda", "Waree", "Umpush", "Noto Sans Thai", "Tahoma"),
    "zh_TW": ("Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK SC"),
}


def normalize_language(lang: str | None) -> str | None:
    """The catalog name of a language as people write it (``zh-TW``, ``ro-RO``, ``th_TH.UTF-8``, ``EN``).

    A language the kit does not ship comes back as written, lower-cased (its messages then stay in English).

    >>> [normalize_language(x) for x in ["zh-TW", "ro-RO", "th_TH.UTF-8", "EN", "en-XA", None, "fr"]]
    ['zh_TW', 'ro', 'th', 'en', 'en_XA', None, 'fr']
    """
    if not lang or not lang.strip():
        return None
    code = lang.strip().split(".")[0].replace("-", "_")
    lowered = code.lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    for known in LANGUAGES:
        if lowered == known.lower():
            return known
    base = lowered.split("_")[0]
    return base if base in LANGUAGES and base != "zh" else lowered


def locale_dir() -> Path:
    """The folder of the package's catalogs (``<lang>/LC_MESSAGES/<domain>.po`` and ``.mo``)."""
    return Path(__file__).resolve().parent / "locale"  # beside this module: in a wheel, a checkout, a build


def _compiled(po: Path, mo: Path) -> Path | None:
    """The ``.mo`` of a ``.po``, compiled now if it is missing or older; ``None`` when neither can be had."""
    try:
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
            return mo
    except OSError:
        return None
    if not po.is_file():
        return None
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    partial = mo.with_name(f".{mo.name}-{os.getpid()}.partial")  # no other process reads half a file
    try:
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(partial, mo)
    except OSError:  # a read-only install: compile into the user's cache instead
        partial.unlink(missing_ok=True)
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mopskit" / "locale"
        target = cache / po.parent.parent.name / po.name.replace(".po", ".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        return target
    return mo


class _Pseudo(gettext.NullTranslations):
    """The pseudo-language: every message made from its English by :func:`pseudo`.

    With ``known``, only those messages (the template's): a text no catalog could translate stays English, so a
    page in the pseudo-language shows what a real language would leave in English, a ``_()`` the extraction
    missed included.
    """

    def __init__(self, known: frozenset[str] | None = None) -> None:
        super().__init__()
        self.known = known

    def gettext(self, message: str) -> str:
        return pseudo(message) if self.known is None or message in self.known else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        chosen = msgid1 if n == 1 else msgid2
        return pseudo(chosen) if self.known is None or msgid1 in self.known else chosen


def _template_ids(domain: str) -> frozenset[str]:
    """The messages of a domain's template (``mopskit/locale/<domain>.pot``)."""
    from babel.messages.pofile import read_po

    pot = locale_dir() / f"{domain}.pot"
    if not pot.is_file():
        return frozenset()
    with pot.open("rb") as handle:
        return frozenset(str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in read_po(handle) if m.id)


def _load(lang: str | None, domain: str = DOMAIN) -> gettext.NullTranslations:
    if lang == PSEUDO:  # only what a catalog holds: a message missing from the template stays English
        return _Pseudo(_template_ids(domain))
    if not lang or lang.startswith("en"):
        return gettext.NullTranslations()
    folder = locale_dir() / lang / "LC_MESSAGES"
    mo = _compiled(folder / f"{domain}.po", folder / f"{domain}.mo")
    if mo is None:
        return gettext.NullTranslations()
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def translator(lang: str | None, domain: str = DOMAIN) -> Callable[[str], str]:
    """The ``gettext`` of one language, whatever the session's language (for a page written for someone else).

    >>> translator("en")("Correct!")
    'Correct!'
    """
    return _load(normalize_language(lang), domain).gettext


def set_language(lang: str | None) -> None:
    """Choose the language of trainee-facing messages (``"en"``, ``"ro"``, ``"th"``, ``"zh_TW"``; ``"zh-TW"`` too).

    A language without a catalog falls back to English.

    >>> set_language("en"); _("Correct!")
    'Correct!'
    """
    code = normalize_language(lang)
    SESSION.language = code
    SESSION.translations = {domain: _load(code, domain) for domain in DOMAINS}


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Use a language inside the block (a page written for one trainee), then go back to the one before.

    >>> with language("ro"):
    ...     get_language()
    'ro'
    """
    saved = SESSION.language, SESSION.translations
    set_language(lang)
    try:
        yield
    finally:
        SESSION.language, SESSION.translations = saved


def get_language() -> str:
    """Return the language in use, ``"en"`` unless one was set (or ``MOPSKIT_LANG`` names one)."""
    _translations()
    return str(SESSION.language or "en")


def date_text(day: date, lang: str | None = None) -> str:
    """A date as a sentence in a language writes it, with the month's name in that language.

    Args:
        day: the date.
        lang: the language; default the one in use. English (and a language the kit does not ship, as its
            messages are English) writes the kit's "31 March 2027" (what a goal's text says and the goal parser
            reads); the kit's other languages take their long date from Babel's locale data.

    >>> from datetime import date
    >>> date_text(date(2027, 3, 31)), date_text(date(2027, 3, 31), "ro")
    ('31 March 2027', '31 martie 2027')

    """
    lang = normalize_language(lang) or get_language()
    if lang == "en" or lang not in LANGUAGES:  # the pseudo-language, and any the kit does not ship, write English
        return f"{day.day} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=lang))


# not calendar.month_name, which follows the process's C locale
_ENGLISH_MONTHS = "January February March April May June July August September October November December".split()

_R = TypeVar("_R")


def per_language(read: Callable[[], _R]) -> Callable[[], _R]:
    """Cache what ``read`` returns once per language in use, for content read translated (roles, metrics, ...).

    A plain cache would keep the first language's texts for the whole process: grading writes each trainee's
    feedback in their own language, one after the other. ``cache_clear()`` empties every language's copy.

    >>> calls = []
    >>> texts = per_language(lambda: calls.append(get_language()) or len(calls))
    >>> texts(), texts()
    (1, 1)
    >>> with language("th"):
    ...     texts()
    2
    >>> calls
    ['en', 'th']
    """
    in_language = cache(lambda lang: read())

    @wraps(read)
    def wrapper() -> _R:
        return in_language(get_language())

    wrapper.cache_clear = in_language.cache_clear  # type: ignore[attr-defined]
    return wrapper


def _translations(domain: str = DOMAIN) -> gettext.NullTranslations:
    if not isinstance(SESSION.translations, dict):
        set_language(os.environ.get("MOPSKIT_LANG"))
    found = SESSION.translations[domain]
    assert isinstance(found, gettext.NullTranslations)
    return found


def _(message: str) -> str:
    """Translate one trainee-facing message into the chosen language.

    >>> _("Not answered yet.")
    'Not answered yet.'
    """
    return _translations().gettext(message)


def _n(singular: str, plural: str, n: int) -> str:
    """Translate a message that holds a count, in the form the language uses for ``n`` (gettext's ``ngettext``).

    Pass the count to ``format`` as well: ``_n("{n} check", "{n} checks", n).format(n=n)``.

    >>> _n("{n} check runs", "{n} checks run", 1).format(n=1), _n("{n} check runs", "{n} checks run", 3).format(n=3)
    ('1 check runs', '3 checks run')
    """
    return _translations().ngettext(singular, plural, n)


def content_text(text: str) -> str:
    """Translate a text of the content files (a remit, a definition, a metric's description).

    :mod:`mopskit.content` calls it on the translatable fields as it reads a file; the content catalog
    (``content.po``) holds the translations, keyed by the English.

    >>> content_text("The software marketing uses.")
    'The software marketing uses.'
    """
    if not text or not isinstance(text, str):
        return text
    return _translations(CONTENT_DOMAIN).gettext(text)


def content_with_english(text: str) -> str:
    """A content text translated, then in brackets its English when that differs: a value a file or a checker reads.

    >>> content_with_english("done")
    'done'
    >>> with language("th"):
    ...     content_with_english("not started")
    'ยังไม่เริ่ม (not started)'
    """
    translated = content_text(text)
    return text if translated == text else f"{translated} ({text})"


# ------------------------------------------------------------------------------------------------- pseudo-language
_ACCENTED = str.maketrans(
    "abcdefghiklnoprstuwyzABCDEFGHIKLNOPRSTUWYZ",
    "áƀçđéƒğĥíķĺñóþŕšţúŵýžÁƁÇĐÉƑĞĤÍĶĹÑÓÞŔŠŢÚŴÝŽ",
)
# What pseudo() leaves as it is: format fields, printf fields, HTML tags and entities, code spans, links' targets
_KEEP = re.compile(
    r"\{\{[^{}]*\}\}|\{\{|\}\}|\{[^{}]*\}"  # str.format fields ({name}, {x:.0%}), {{n}} for a second format
    r"|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]"  # %s, %(name)s, %.1f
    r"|<[^<>]+>|&[a-zA-Z#0-9]+;"  # HTML tags and entities
    r"|```.*?```|`[^`]*`"  # Markdown code
    r"|\]\([^)]*\)"  # a Markdown link's target
    r"|https?://\S+"
    r"|\$[^$\n]+\$",  # LaTeX
    re.S,
)
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"


def pseudo(text: str) -> str:
    """The pseudo-language's version of an English message: accented and bracketed, fields kept as they are.

    >>> pseudo("Correct! ({earned:g}/{possible:g} points)")
    '⟦Çóŕŕéçţ! ({earned:g}/{possible:g} þóíñţš)⟧'
    >>> pseudo("Type `q1 = 5` or see <b>%s</b>")
    '⟦Ţýþé `q1 = 5` óŕ šéé <b>%s</b>⟧'
    >>> pseudo("{what} left out: {{n}}.")
    '⟦{what} ĺéƒţ óúţ: {{n}}.⟧'
    >>> pseudo("")
    ''
    """
    if not text or not text.strip():
        return text
    out, last = [], 0
    for found in _KEEP.finditer(text):
        out.append(text[last : found.start()].translate(_ACCENTED))
        out.append(found.group(0))
        last = found.end()
    out.append(text[last:].translate(_ACCENTED))
    return PSEUDO_OPEN + "".join(out) + PSEUDO_CLOSE


# ------------------------------------------------------------------------------------------------------ chart fonts
def font_families(lang: str | None = None) -> list[str]:
    """The font list for charts in a language (default: the language in use), matplotlib's fallback order.

    >>> font_families("th")[:2], font_families("en")
    (['DejaVu Sans', 'Loma'], ['DejaVu Sans'])
    """
    code = normalize_language(lang) if lang else get_language()
    return ["DejaVu Sans", *_SCRIPT_FONTS.get(code or "en", ())]


def plot_settings(lang: str | None = None) -> dict[str, Any]:
    """Matplotlib settings that draw the language's text: the fonts of :func:`font_families`, those installed.

    Use them as ``matplotlib.rc_context(plot_settings())`` around drawing (the kit's plotting helpers do), or
    let :func:`mopskit.setup_notebook` apply them to a whole notebook.
    """
    from matplotlib import font_manager

    wanted = font_families(lang)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    if len(wanted) > 1 and not installed & set(wanted[1:]):  # fonts installed after matplotlib cached its list
        keys = [family.replace(" ", "") for family in wanted[1:]]
        keys += [key[:-2] for key in keys if key.endswith(("TC", "SC"))]  # NotoSansCJK-Regular.ttc holds TC
        for path in font_manager.findSystemFonts():
            if any(key in Path(path).name.replace(" ", "") for key in keys):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in wanted if f in installed] or ["DejaVu Sans"]
    return {"font.family": families}  # a list: matplotlib falls back along it glyph by glyph
