"""What a health check found: the findings in the order to fix them, the score, the tables behind the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._html import COLOURS, escape, tile
from ..data.exports import ImportedFile
from ..errors import ParameterError
from ..i18n import _
from ._findings import SEVERITIES, Finding, Settings
from .score import HealthScore

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT", "TONES", "HealthCheck", "score_text", "severity_badge", "summary_html"]

REPORT = "health_report.html"


@dataclass
class HealthCheck:
    """What :func:`health_check` found.

    Attributes:
        folder: the exports folder.
        as_of: the day the check was made for.
        settings: the thresholds used.
        files: what was read from each file.
        skipped: files that were not data files, with the reason.
        inventory: the stack inventory read, if any (its file name).
        findings: every finding, the one to fix first first.
        health: the health score and its parts.
        tables: the tables behind the report (``email_by_campaign``, ``funnel``, ``sla_by_owner``,
            ``tracking_by_day``, ``stack_findings``), where the exports allowed them.
        out_dir: where the report and evidence were written.
        notes: remarks on the folder as a whole.

    """

    folder: Path
    as_of: pd.Timestamp
    settings: Settings
    files: list[ImportedFile]
    skipped: list[tuple[str, str]]
    inventory: str | None
    findings: list[Finding]
    health: HealthScore
    tables: dict[str, pd.DataFrame]
    out_dir: Path
    notes: list[str] = field(default_factory=list)

    @property
    def report(self) -> Path:
        """The HTML report."""
        return self.out_dir / REPORT

    @property
    def score(self) -> float:
        """The health score, 0-100."""
        return self.health.score

    def finding(self, finding_id: str) -> Finding:
        """One finding by its id; an id with no finding lists those there are."""
        for item in self.findings:
            if item.id == finding_id:
                return item
        raise ParameterError(
            _("no finding '{id}' in this health check; found: {found}").format(
                id=finding_id, found=", ".join(f.id for f in self.findings) or _("none")
            )
        )

    def findings_table(self) -> pd.DataFrame:
        """Every finding as a row, in the order to fix them (headed in the trainee's language when shown)."""
        import pandas as pd

        from ..present import for_people, result_headers
        from ._findings import SECTIONS, section_name

        columns = ["id", "section", "severity", "title", "count", "unit", "out_of", "summary", "fix", "evidence_csv"]
        table = pd.DataFrame([f.as_row() for f in self.findings], columns=columns)
        headers = {c: text for c, text in result_headers().items() if c in columns}
        words = {  # shown in the trainee's language; the data keeps the English (``table["severity"] == "high"``)
            "section": {english: section_name(key) for key, english in SECTIONS.items()},
            "severity": {"high": _("high"), "medium": _("medium"), "low": _("low"), "info": _("info")},
        }
        return for_people(table, headers, values=words)

    def fix_first(self, n: int = 3) -> list[Finding]:
        """The ``n`` findings to fix first: most severe, then by the priority of their kind (see ``PRIORITY``)."""
        return self.findings[:n]

    def imports_table(self) -> pd.DataFrame:
        """One row per file read: the export recognised, its system and table, rows, columns read and ignored.

        Headed in the trainee's language when shown; the column names stay as they are for code.
        """
        import pandas as pd

        from ..present import with_result_headers

        return with_result_headers(pd.DataFrame([f.as_row() for f in self.files]))

    def summary(self) -> str:
        """The check in a few sentences."""
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}
        weakest = self.health.weakest()
        text = [
            _("Health score {score} as of {day}, from {files} files.").format(
                score="-" if self.score != self.score else f"{self.score:.0f}/100",
                day=f"{self.as_of:%Y-%m-%d}",
                files=len(self.files) + (1 if self.inventory else 0),
            )
        ]
        if self.findings:
            text.append(
                _("{n} findings: {counts}.").format(
                    n=len(self.findings), counts=", ".join(f"{v} {k}" for k, v in counts.items() if v)
                )
            )
            text.append(_("Fix first: {items}.").format(items="; ".join(f.title.lower() for f in self.fix_first())))
        else:
            text.append(_("Nothing to fix was found."))
        if weakest and self.health.parts.set_index("part").loc[weakest, "score"] < 100:
            text.append(
                _("Weakest part: {part}.").format(part=self.health.parts.set_index("part").loc[weakest, "name"])
            )
        return " ".join(text)

    def _repr_html_(self) -> str:
        return summary_html(self)


def score_text(value: float) -> str:
    """A score as the report writes it: a whole number, or a dash when not scored.

    >>> score_text(86.3), score_text(float("nan"))
    ('86', '-')
    """
    return "-" if value != value else f"{value:.0f}"


def summary_html(result: HealthCheck) -> str:
    """The score, its parts and the first fixes, as HTML (a notebook shows a health check this way)."""
    tiles = [(_("Health score"), score_text(result.score))]
    tiles += [(r.name, score_text(r.score)) for r in result.health.parts.itertuples()]
    tiles_html = "".join(tile(label, value) for label, value in tiles)
    first = "".join(
        f'<li>{severity_badge(f.severity)} <a href="#{escape(f.id)}">{escape(f.title)}</a>: {escape(f.summary)}</li>'
        for f in result.fix_first()
    )
    fix = f"<h2>{escape(_('Fix first'))}</h2><ol>{first}</ol>" if first else ""
    return f'<div style="display:flex;flex-wrap:wrap;gap:8px">{tiles_html}</div><p>{escape(result.summary())}</p>{fix}'


# a severity's tone in the kit's colours
TONES = {"high": "bad", "medium": "partial", "low": "info", "info": "muted"}


def severity_badge(severity: str) -> str:
    """A finding's severity as a small coloured label, styled inline (it reads the same in a notebook).

    >>> "high" in severity_badge("high")
    True
    """
    colour = COLOURS[TONES.get(severity, "muted")]
    label = {"high": _("high"), "medium": _("medium"), "low": _("low"), "info": _("info")}.get(severity, severity)
    return (
        f'<span style="font-weight:600;font-size:0.8em;padding:1px 7px;border-radius:8px;color:#fff;'
        f'background:{colour}">{escape(label)}</span>'
    )
