"""Data quality of a contact list: completeness, duplicates, validity, as a scorecard.

Built for ``contacts_raw`` (the contacts before cleaning) but works on any contacts export: duplicates that
differ only in case or spaces, invalid email addresses, missing values, milestones in an impossible order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from .._validate import checked, finish
from ..data import EMAIL_PATTERN, table_spec
from ..i18n import _
from ._common import CONTACT_DATES, parsed, require_columns

__all__ = [
    "completeness",
    "duplicate_sample",
    "duplicates",
    "invalid_emails",
    "normalize_email",
    "quality_scorecard",
    "stage_order_violations",
]

MILESTONES = ("mql_at", "sql_at", "opportunity_at", "customer_at")
# a contact without these cannot be mailed, routed or reported on: the scorecard expects them filled
EXPECTED_FILLED = ("contact_id", "email", "created_at", "source_channel", "country", "lifecycle_stage")


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | series.astype("string").str.strip().eq("").fillna(False).astype(bool)


@checked
def completeness(df: pd.DataFrame) -> pd.DataFrame:
    """Share of rows where each column is filled in (blank text counts as empty).

    >>> completeness(pd.DataFrame({"a": [1, None], "b": ["x", " "]}))["completeness"].tolist()
    [50.0, 50.0]
    """
    rows = []
    for column in df.columns:
        empty = int(_blank(df[column]).sum())
        filled = len(df) - empty
        rows.append(
            {
                "column": str(column),
                "filled": filled,
                "missing": empty,
                "completeness": 100.0 * filled / len(df) if len(df) else float("nan"),
            }
        )
    notes = [] if len(df) else [_("The table has no rows, so completeness is empty.")]
    return finish(pd.DataFrame(rows), notes=notes)


def normalize_email(values: pd.Series) -> pd.Series:
    """Email addresses as compared for duplicates: spaces removed, lower case.

    >>> normalize_email(pd.Series([" Ana.Pop@Example.COM ", "ana.pop@example.com"])).tolist()
    ['ana.pop@example.com', 'ana.pop@example.com']
    """
    return values.astype("string").str.replace(r"\s+", "", regex=True).str.lower()


@checked
def duplicate_sample(df: pd.DataFrame, *, column: str = "email", groups: int = 3, others: int = 7) -> pd.DataFrame:
    """A short excerpt to find duplicates in by eye: the first ``groups`` duplicate groups and ``others`` other rows.

    Every row of each chosen group is kept (the original and its copies, once normalized), with the first
    ``others`` rows that repeat nothing, in the table's order, so the same excerpt comes back every time.

    Args:
        df: the table, e.g. ``contacts_raw``.
        column: the column that should be unique.
        groups: how many duplicate groups to include.
        others: how many rows that repeat nothing to include.

    >>> df = pd.DataFrame({"email": ["a@x.com", "b@x.com", " A@X.com", "c@x.com", "d@x.com"]})
    >>> duplicate_sample(df, groups=1, others=1)["email"].tolist()
    ['a@x.com', 'b@x.com', ' A@X.com']

    """
    copies = duplicates(df, column=column)
    originals = list(dict.fromkeys(copies["duplicate_of"]))[:groups]
    chosen = set(originals) | set(copies.index[copies["duplicate_of"].isin(originals)])
    involved = set(copies.index) | set(copies["duplicate_of"])
    alone = [i for i in df.index if i not in involved][:others]
    return df.loc[sorted(chosen | set(alone))]


@checked
def duplicates(df: pd.DataFrame, *, column: str = "email", normalize: bool = True) -> pd.DataFrame:
    """Rows whose value in ``column`` repeats an earlier row's, exactly or once normalized (case, spaces).

    Args:
        df: the table, e.g. ``contacts_raw``.
        column: the column that should be unique.
        normalize: compare emails after :func:`normalize_email` (other columns: stripped, lower case).

    Returns:
        The later rows of each duplicate group (the first one is kept as the original), with a ``duplicate_of``
        column holding the row index of the original.

    >>> df = pd.DataFrame({"email": ["a@x.com", " A@X.com", "b@x.com"]})
    >>> len(duplicates(df, normalize=False)), len(duplicates(df))
    (0, 1)

    """
    require_columns(df, [column], table="contacts", function="duplicates")
    values = df[column]
    if normalize:
        values = normalize_email(values) if column == "email" else values.astype("string").str.strip().str.lower()
    present = values.notna() & ~_blank(df[column])
    first = pd.Series(df.index, index=df.index).where(present).groupby(values.where(present)).transform("min")
    repeated = present & values.duplicated(keep="first")
    originals = first[repeated]
    if pd.api.types.is_integer_dtype(df.index):
        originals = originals.astype("int64")
    return df[repeated].assign(duplicate_of=originals)


@checked
def invalid_emails(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose email (spaces trimmed) does not look like an address (``name@domain.tld``) or is empty.

    >>> len(invalid_emails(pd.DataFrame({"email": ["ana@x.com", "ana at x.com", "ana@", None]})))
    3
    """
    require_columns(df, ["email"], table="contacts", function="invalid_emails")
    ok = df["email"].astype("string").str.strip().str.fullmatch(EMAIL_PATTERN[1:-1]).fillna(False).astype(bool)
    return df[~ok]


@checked
def stage_order_violations(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose lifecycle milestones are out of order (e.g. SQL dated before MQL).

    >>> df = pd.DataFrame({"mql_at": ["2026-02-01", "2026-01-01"], "sql_at": ["2026-01-15", "2026-01-20"],
    ...                    "opportunity_at": [None, None], "customer_at": [None, None]})
    >>> stage_order_violations(df).index.tolist()
    [0]
    """
    require_columns(df, MILESTONES, table="contacts", function="stage_order_violations")
    read = parsed(df, function="stage_order_violations", table="contacts", date_columns=CONTACT_DATES)
    stamps = {c: read[c] for c in MILESTONES}
    bad = pd.Series(False, index=df.index)
    for earlier, later in itertools.combinations(MILESTONES, 2):
        bad |= (stamps[earlier] > stamps[later]).fillna(False).astype(bool)
    return df[bad]


def _row(check: str, column: str, checked: int, failing: int, advice: str) -> dict[str, object]:
    return {
        "check": check,
        "column": column,
        "rows_checked": checked,
        "rows_failing": failing,
        "score": 100.0 * (checked - failing) / checked if checked else float("nan"),
        "status": "ok" if failing == 0 else "problem",
        "what_to_do": "" if failing == 0 else advice,
    }


@checked
def quality_scorecard(df: pd.DataFrame, *, expected_filled: Sequence[str] = EXPECTED_FILLED) -> pd.DataFrame:
    """A data-quality scorecard of a contacts table: one row per check, scored 0-100.

    Args:
        df: a contacts table, e.g. ``load("contacts_raw")``.
        expected_filled: the columns every row should fill (others, like milestones, are empty by design).

    Returns:
        check (completeness, duplicates, validity), column, rows_checked, rows_failing, score (percent of rows
        passing), status (``ok`` or ``problem``) and what_to_do. The overall score (the mean of the checks) is
        in ``attrs["overall_score"]``.

    >>> from mopskit.data import load
    >>> card = quality_scorecard(load("contacts"))
    >>> sorted(set(card["status"]))
    ['ok']

    """
    require_columns(df, ["contact_id", "email"], table="contacts", function="quality_scorecard")
    n = len(df)
    rows = []
    filled = completeness(df).set_index("column")
    for column in expected_filled:
        if column in filled.index:
            rows.append(
                _row(
                    "completeness",
                    column,
                    n,
                    int(filled.loc[column, "missing"]),
                    _("Fill in '{column}' at the source (form field or import mapping).").format(column=column),
                )
            )
    exact = len(duplicates(df, normalize=False))
    normalized = len(duplicates(df, normalize=True))
    rows.append(_row("duplicates (exact)", "email", n, exact, _("Merge the contacts that share an email address.")))
    rows.append(
        _row(
            "duplicates (case and spaces ignored)",
            "email",
            n,
            normalized,
            _("Trim spaces and lower-case emails on import, then merge the duplicates."),
        )
    )
    rows.append(
        _row(
            "duplicates (exact)",
            "contact_id",
            n,
            len(duplicates(df, column="contact_id", normalize=False)),
            _("Give every contact its own id."),
        )
    )
    rows.append(
        _row(
            "validity: email format",
            "email",
            n,
            len(invalid_emails(df)),
            _("Fix or remove addresses like 'name at domain' or 'name@'; add format validation to forms."),
        )
    )
    if all(c in df.columns for c in MILESTONES):
        rows.append(
            _row(
                "validity: stage order",
                ", ".join(MILESTONES),
                n,
                len(stage_order_violations(df)),
                _("Correct the milestone dates: a contact becomes an MQL before an SQL, an SQL before an opportunity."),
            )
        )
    for column in ("source_channel", "lifecycle_stage"):
        if column in df.columns:
            valid = set(table_spec("contacts").columns[column].values)
            text = df[column].astype("string").str.strip().str.lower()
            wrong = int((~text.isin(valid) & text.notna()).sum())
            rows.append(
                _row(
                    f"validity: {column} values",
                    column,
                    n,
                    wrong,
                    _("Map the values to the agreed list: {valid}.").format(valid=", ".join(sorted(valid))),
                )
            )
    card = finish(pd.DataFrame(rows), notes=[])
    card.attrs["overall_score"] = float(card["score"].mean()) if len(card) else float("nan")
    return card
