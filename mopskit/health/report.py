"""The health check's HTML report: one self-contained page (inline style, PNG plots, no script).

The page opens offline and can be mailed; every value from the exports is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._html import card, escape, page
from ..errors import ParameterError
from ..i18n import _
from ._findings import SECTIONS, section_name, settings_of
from .plots import plot_email, plot_funnel, plot_parts, plot_tracking, png
from .result import TONES, HealthCheck, score_text, severity_badge, summary_html

if TYPE_CHECKING:
    import pandas as pd

    from ._findings import Finding

__all__ = ["EXAMPLE", "render", "section_html", "validate_parameters", "write_report"]

EXAMPLE = "example"  # the health report's ``exports`` for the bundled example exports

# the kit's page style (mopskit._html.STYLE) plus what this report adds
_STYLE = """
body { max-width: 72rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #d9e2ec; padding-bottom: 0.2rem; }
h3 { font-size: 1rem; margin: 0 0 0.3rem 0; } table { font-size: 0.85rem; width: auto; }
.fix { background: #e3f9e5; border-radius: 4px; padding: 0.4rem 0.6rem; }
.flagged td { background: #fff5f5; } img { max-width: 100%; } .scroll { overflow-x: auto; }
"""


def _cell(value: Any, *, plain: bool = False) -> str:
    """One table cell; ``plain`` writes a whole number without a thousands separator (a row number)."""
    import pandas as pd

    if plain and isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return f'<td class="num">{int(value)}</td>'

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return '<td class="num"></td>' if not isinstance(value, str) else "<td></td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:,}" if isinstance(value, int) or float(value).is_integer() else f"{value:,.2f}".rstrip("0")
        return f'<td class="num">{escape(text)}</td>'
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        text = stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
        return f"<td>{escape(text)}</td>"
    return f"<td>{escape(str(value))}</td>"


def _table(frame: pd.DataFrame, *, flag: str | None = None, limit: int | None = None) -> str:
    if frame is None or frame.empty:
        return "<p><em>" + escape(_("nothing to show")) + "</em></p>"
    from ..present import shown as for_people

    shown = frame if limit is None else frame.head(limit)
    people = for_people(shown)  # headed, and named, in the reader's language where the table is marked so
    head = "".join(f"<th>{escape(str(c))}</th>" for c in people.columns)
    numbered = [str(c) == "row" or str(c).endswith("_row") for c in shown.columns]  # row numbers, as a sheet shows
    rows = []
    for record, words in zip(shown.itertuples(index=False), people.itertuples(index=False), strict=True):
        values = list(record)
        marked = flag is not None and bool(values[list(shown.columns).index(flag)])
        cells = "".join(_cell(v, plain=plain) for v, plain in zip(list(words), numbered, strict=True))
        rows.append(f'<tr class="flagged">{cells}</tr>' if marked else f"<tr>{cells}</tr>")
    more = ""
    if limit is not None and len(frame) > limit:
        more = f"<p><em>{escape(_('... and {n} more rows').format(n=f'{len(frame) - limit:,}'))}</em></p>"
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>{more}'


def _image(fig: Any, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{png(fig)}">'


def _finding_card(finding: Finding, *, links: bool = True) -> str:
    out_of = f" / {finding.out_of:,}" if finding.out_of else ""
    link = ""
    if finding.csv and links:
        link = (
            f"<p>{escape(_('Every affected row ({n}), with its file and row:').format(n=f'{finding.rows:,}'))} "
            f'<a href="{escape(finding.csv)}">{escape(finding.csv)}</a></p>'
        )
    body = (
        f"<h3>{severity_badge(finding.severity)} {escape(finding.title)} "
        f"<small>({finding.count:,}{out_of} {escape(finding.unit)})</small></h3>"
        f"<p>{escape(finding.summary)}</p>"
        f'<p class="fix"><strong>{escape(_("What to do:"))}</strong> {escape(finding.fix)}</p>'
        f"<p><strong>{escape(_('Evidence, first rows:'))}</strong></p>{_table(finding.evidence)}{link}"
    )
    anchor = f'<a id="{escape(finding.id)}"></a>'
    return anchor + card(body, tone=TONES.get(finding.severity, "muted"), css_class="card")


def _section_tables(result: HealthCheck, section: str) -> str:
    tables = result.tables
    parts = []
    if section == "email" and "email_by_campaign" in tables and not tables["email_by_campaign"].empty:
        table = tables["email_by_campaign"]
        parts.append(_image(plot_email(table), _("bounce and unsubscribe rate of every send")))
        columns = [
            c
            for c in (
                "system",
                "campaign_id",
                "first_day",
                "sent",
                "delivered",
                "bounce_rate",
                "open_rate",
                "click_through_rate",
                "unsubscribe_rate",
                "flags",
            )
            if c in table.columns
        ]
        parts.append("<p>" + escape(_("Every send, flagged ones highlighted (rates in %):")) + "</p>")
        parts.append(_table(table[columns], flag="flags" if "flags" in table.columns else None))
    if section == "funnel" and "funnel" in tables:
        parts.append(_image(plot_funnel(tables["funnel"]), _("funnel")))
        parts.append(_table(tables["funnel"]))
        if "sla_by_owner" in tables:
            parts.append("<p>" + escape(_("The SLA by owner:")) + "</p>" + _table(tables["sla_by_owner"]))
    if section == "tracking" and "tracking_by_day" in tables and not tables["tracking_by_day"].empty:
        parts.append(_image(plot_tracking(tables["tracking_by_day"]), _("sign-ups and web events per day")))
    return "".join(parts)


def _imports_html(result: HealthCheck) -> str:
    table = result.imports_table()
    parts = [_table(table)]
    if result.inventory:
        parts.append(f"<p>{escape(_('Stack inventory:'))} {escape(result.inventory)}</p>")
    if result.skipped:
        items = "".join(f"<li>{escape(label)}: {escape(why)}</li>" for label, why in result.skipped)
        parts.append(f"<p>{escape(_('Not read:'))}</p><ul>{items}</ul>")
    parts += [f"<p>{escape(note)}</p>" for note in result.notes]
    return "".join(parts)


def _settings_html(result: HealthCheck) -> str:
    s = result.settings
    rows = [
        (
            _("SLA"),
            _("sales follows up a new MQL within {h:g} business hours ({schedule}, {zone})").format(
                h=s.sla_hours, schedule=s.business_hours, zone=s.time_zone
            ),
        ),
        (_("Sends judged"), _("{n}+ emails sent").format(n=s.min_sends)),
        (
            _("Outlier"),
            _("robust z-score above {z:g} and beyond chance, or bounce rate {b:g}%+ / unsubscribe rate {u:g}%+").format(
                z=s.outlier_z, b=s.bounce_alarm_pct, u=s.unsubscribe_alarm_pct
            ),
        ),
        (_("Consent grace"), _("{h:g} hours after an unsubscribe").format(h=s.consent_grace_hours)),
        (_("Tracking gap"), _("{d} days in a row with sign-ups and no web events").format(d=s.tracking_gap_days)),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def section_html(result: HealthCheck, section: str, *, links: bool = True) -> str:
    """One section of the report as HTML: what its score says, its findings with their evidence, its tables.

    Args:
        result: the health check.
        section: a key of :data:`~mopskit.health.SECTIONS` (``consent``, ``quality``, ``email``...).
        links: link each finding to its evidence CSV (leave out where the CSVs are not beside the page).

    """
    from .._validate import choice

    choice(section, "section", list(SECTIONS), function="section_html")
    explanation = result.health.parts.set_index("part").loc[section, "explanation"]
    cards = [_finding_card(f, links=links) for f in result.findings if f.section == section]
    parts = [f"<p>{escape(str(explanation))}.</p>"]
    parts += cards or ["<p>" + escape(_("No finding in this part.")) + "</p>"]
    parts.append(_section_tables(result, section))
    return "".join(parts)


def validate_parameters(values: Mapping[str, Any]) -> None:
    """Refuse health report parameters that are well typed but wrong, before any kernel starts.

    Checks that the exports folder (or ``example``) and the mapping file exist, the as-of day, and the thresholds
    as :func:`~mopskit.health.health_check` checks them.

    Raises:
        ParameterError: saying what is wrong and how to write it.

    """
    from .._validate import day

    exports = str(values.get("exports") or EXAMPLE)
    if exports != EXAMPLE and not Path(exports).is_dir():
        raise ParameterError(
            _(
                "'exports' must be '{example}' or the folder holding the exports (got {folder!r}; working folder {cwd})"
            ).format(example=EXAMPLE, folder=exports, cwd=Path.cwd())
        )
    mapping = str(values.get("mapping") or "")
    if mapping and not Path(mapping).is_file():
        raise ParameterError(
            _("'mapping' must be an existing mapping file (got {path!r}; working folder {cwd})").format(
                path=mapping, cwd=Path.cwd()
            )
        )
    if values.get("as_of"):
        day(values["as_of"], "as_of", function="health_report")
    settings_of({k: v for k, v in values.items() if k in ("sla_hours", "business_hours", "time_zone", "min_sends")})


def render(result: HealthCheck) -> str:
    """The whole report as one HTML page."""
    title = _("MOps health check: {folder}").format(folder=result.folder.name or str(result.folder))
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(_("As of {day}; written {made}.").format(day=f"{result.as_of:%Y-%m-%d}", made=made))}'
        "</p>",
        summary_html(result),
        f"<h2>{escape(_('The health score'))}</h2>",
        "<p>"
        + escape(
            _(
                "Each part is the share of things that are fine, from 0 to 100; the score is their mean. A part "
                "the exports say nothing about is not scored."
            )
        )
        + "</p>",
        _image(plot_parts(result.health.parts), _("health score by part")),
        _table(result.health.parts[["name", "score", "weight", "explanation"]].round({"score": 1})),
        f"<h2>{escape(_('All findings'))}</h2>",
        _table(result.findings_table()[["severity", "section", "title", "count", "unit", "summary"]])
        if result.findings
        else "<p>" + escape(_("Nothing to fix was found.")) + "</p>",
    ]
    for section in SECTIONS:
        score = result.health.parts.set_index("part").loc[section, "score"]
        parts.append(f"<h2>{escape(section_name(section))} <small>({escape(score_text(score))})</small></h2>")
        parts.append(section_html(result, section))
    parts += [
        f"<h2>{escape(_('What was read'))}</h2>",
        _imports_html(result),
        f"<h2>{escape(_('Thresholds'))}</h2>",
        _settings_html(result),
    ]
    return page(title, "\n".join(parts), style=_STYLE)


def write_report(result: HealthCheck, path: str | Path) -> Path:
    """Write the report page and return its path."""
    target = Path(path)
    target.write_text(render(result), encoding="utf-8")
    return target
