"""Translation catalogs, for translators and for the kit: extract, merge, report, render a lesson in a language.

Two kinds of catalog, all ordinary gettext ``.po`` files that any PO editor opens:

- **the package's** (:mod:`._package`): ``mopskit/locale/<lang>/LC_MESSAGES/mopskit.po`` (every ``_()`` of
  the code) and ``content.po`` (the prose of the content files);
- **the lessons'** (:mod:`._lessons`): ``notebooks/locale/<lang>/<lesson>.po``, one entry per Markdown cell and
  per string a trainee reads in code, keyed by cell id; the reports' alike, in ``notebooks/locale/<lang>/reports/``.

:func:`update_catalogs` (``mopskit translations update``) extracts everything from the sources and merges it
into every language's catalogs; :func:`catalog_status` (``mopskit translations status``) counts what is left to
translate; :func:`render_lesson` (``mopskit translations render``) writes a lesson in a language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MopskitError
from ..i18n import LANGUAGES, PSEUDO, normalize_language, pseudo, translator
from . import _lessons, _package
from ._lessons import Rendered, lesson_texts
from ._package import compile_all, extract_content_yaml

__all__ = [
    "TRANSLATED",
    "CatalogStatus",
    "Rendered",
    "catalog_status",
    "compile_all",
    "extract_content_yaml",
    "lesson_catalog",
    "lesson_texts",
    "render_lesson",
    "stale_note",
    "update_catalogs",
]

TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")  # the languages with catalogs: ro, th, zh_TW
DOMAINS = ("mopskit", "content")


@dataclass(frozen=True)
class CatalogStatus:
    """How far one catalog of one language is translated.

    Attributes:
        lang: the language (``"th"``).
        catalog: ``mopskit`` or ``content`` (the package's), or a lesson's name.
        path: the ``.po`` file.
        translated: entries translated and current.
        fuzzy: entries whose English changed since they were translated (stale), or marked for review.
        untranslated: entries with no translation yet.

    """

    lang: str
    catalog: str
    path: Path
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def complete(self) -> bool:
        """Every entry translated, none fuzzy."""
        return self.fuzzy == 0 and self.untranslated == 0

    def __str__(self) -> str:
        total = self.translated + self.fuzzy + self.untranslated
        stale = f", {self.fuzzy} stale" if self.fuzzy else ""
        left = f", {self.untranslated} to do" if self.untranslated else ""
        return f"{self.lang:<6} {self.catalog:<24} {self.translated:>4}/{total:<4} translated{stale}{left}"


def _root(root: str | Path | None) -> Path:
    from .._resources import sources_dir

    if root is not None:
        return Path(root)
    sources = sources_dir()
    if sources is None:
        raise MopskitError(
            "the translation catalogs are edited in a checkout of the kit's repository (git clone, then "
            "pip install -e .); an installed kit carries them compiled only"
        )
    return sources.parent


def _languages(languages: list[str] | tuple[str, ...] | None) -> list[str]:
    if not languages:
        return list(TRANSLATED)
    chosen = [normalize_language(lang) or "" for lang in languages]
    unknown = [lang for lang in chosen if lang not in TRANSLATED]
    if unknown:
        raise MopskitError(
            f"unknown language {', '.join(unknown)}; valid: {', '.join(TRANSLATED)} (a new language: add it to "
            "mopskit.i18n.LANGUAGES first)"
        )
    return chosen


def lesson_catalog(lesson: str, lang: str, *, root: str | Path | None = None) -> Path:
    """The path of a lesson's catalog for a language: ``notebooks/locale/<lang>/<lesson>.po``."""
    return _root(root) / "notebooks" / "locale" / lang / f"{lesson}.po"


def update_catalogs(
    *, root: str | Path | None = None, languages: list[str] | None = None, lessons: bool = True, package: bool = True
) -> list[CatalogStatus]:
    """Extract the English from the sources and merge it into every language's catalogs (what a translator runs).

    New texts come in empty, texts whose English changed keep their old translation marked fuzzy (with the old
    English beside it), texts gone are kept as obsolete at the end of each file. Translations are never lost.

    Args:
        root: the checkout (default: the one the kit is imported from).
        languages: which languages (default: all the kit ships).
        lessons: update the lessons' catalogs.
        package: update the package's catalogs (and write the templates ``mopskit/locale/*.pot``).

    Returns:
        The status of every catalog updated.

    """
    from ._lessons import counts

    base, chosen = _root(root), _languages(languages)
    found: list[CatalogStatus] = []
    if package:
        locale = base / "mopskit" / "locale"
        for domain in DOMAINS:
            pot = _package.extract_package(base, domain)
            _package.write(pot, locale / f"{domain}.pot", template=True)
            for lang in chosen:
                path = locale / lang / "LC_MESSAGES" / f"{domain}.po"
                catalog = _package.update(pot, path, lang)
                _package.write(catalog, path)
                found.append(CatalogStatus(lang, domain, path, **_counts(counts(catalog))))
    if lessons:
        sources = sorted((base / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        for source in sources:
            for lang in chosen:
                path = lesson_catalog(source.stem, lang, root=base)
                found.append(
                    CatalogStatus(lang, source.stem, path, **_counts(_lessons.update_catalog(source, path, lang)))
                )
        for report in sorted((base / "notebooks" / "reports").glob("*.ipynb")):
            for lang in chosen:
                path = base / "notebooks" / "locale" / lang / "reports" / f"{report.stem}.po"
                found.append(
                    CatalogStatus(lang, report.stem, path, **_counts(_lessons.update_catalog(report, path, lang)))
                )
        for lang in chosen:  # a lesson renamed or removed: its catalog goes too, unless it holds translations
            for orphan in sorted((base / "notebooks" / "locale" / lang).glob("*.po")):
                gone = orphan.stem not in {s.stem for s in sources}
                if gone and not any(m.id and m.string for m in _lessons.read_catalog(orphan)):
                    orphan.unlink()
    return found


def _counts(found: dict[str, int]) -> dict[str, int]:
    return {key: found[key] for key in ("translated", "fuzzy", "untranslated")}


def catalog_status(*, root: str | Path | None = None, languages: list[str] | None = None) -> list[CatalogStatus]:
    """Count, for every catalog of every language, what is translated, stale and left to do, against the sources.

    The sources are read afresh, so a catalog nobody updated since the English changed shows its new texts as
    left to do and its changed ones as stale.
    """
    import nbformat

    from ._lessons import counts, merge

    base, chosen = _root(root), _languages(languages)
    found = []
    for domain in DOMAINS:
        pot = _package.extract_package(base, domain)
        for lang in chosen:
            path = base / "mopskit" / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
            found.append(CatalogStatus(lang, domain, path, **_counts(counts(_package.update(pot, path, lang)))))
    reports = sorted((base / "notebooks" / "reports").glob("*.ipynb"))
    for source in sorted((base / "notebooks").glob("[0-9][0-9]_*.ipynb")) + reports:
        nb = nbformat.read(str(source), as_version=4)
        current = _lessons.template(nb, source.stem)
        for lang in chosen:
            path = lesson_catalog(source.stem, lang, root=base)
            if source in reports:
                path = base / "notebooks" / "locale" / lang / "reports" / f"{source.stem}.po"
            merged = merge(_lessons.read_catalog(path, lang), current)
            found.append(CatalogStatus(lang, source.stem, path, **_counts(counts(merged))))
    return found


def stale_note(lang: str) -> str:
    """The note above a Markdown cell shown in English because its translation is out of date, in ``lang``."""
    gettext = translator(lang)
    return gettext(
        "This part changed in English after it was translated; it is shown in English until the translation is updated."
    )


def _pseudo_catalog(nb: Any, name: str) -> Any:
    catalog = _lessons.template(nb, name)
    for message in catalog:
        if message.id:
            message.string = pseudo(str(message.id))
    return catalog


def render_lesson(
    source: str | Path,
    lang: str,
    *,
    target: str | Path | None = None,
    catalogs: str | Path | None = None,
    kind: str = "",
) -> tuple[Any, Rendered]:
    """A lesson in a language: the English source with its catalog's translations (see :mod:`._lessons`).

    Args:
        source: the lesson (an instructor source or a released copy: cell ids are the same).
        lang: ``ro``, ``th``, ``zh_TW`` (``zh-TW`` too), or ``en_XA``, the pseudo-language of the tests.
        target: where to write the rendered notebook (default: nowhere; it is returned).
        catalogs: the folder of lesson catalogs, ``<lang>/<lesson>.po`` (default: ``notebooks/locale`` of the
            checkout, beside the sources).
        kind: ``"reports"`` for a report, whose catalog is ``<lang>/reports/<report>.po`` in that folder.

    Returns:
        The notebook (``nbformat``) and what was translated.

    Raises:
        MopskitError: an unknown language.

    """
    import nbformat

    code = normalize_language(lang) or "en"
    if code not in TRANSLATED and code != PSEUDO:
        raise MopskitError(f"unknown language '{lang}'; valid: {', '.join((*TRANSLATED, PSEUDO))}")
    source = Path(source)
    nb = nbformat.read(str(source), as_version=4)
    name = source.stem
    if code == PSEUDO:
        catalog = _pseudo_catalog(nb, name)
    else:
        folder = Path(catalogs) if catalogs is not None else source.parent / "locale"
        catalog = _lessons.read_catalog(folder / code / kind / f"{name}.po", code)
    note = pseudo(stale_note("en")) if code == PSEUDO else stale_note(code)
    rendered = _lessons.render_notebook(nb, catalog, code, name=name, note=note)
    if target is not None:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))
    return nb, rendered
