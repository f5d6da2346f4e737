"""Any catalog metric as a channel × month table, for exploring (the explorer widget is a shell over this).

Email metrics come from :func:`~mopskit.metrics.email_metrics` (by campaign channel and month of send),
funnel metrics from :func:`~mopskit.metrics.funnel` (by source channel and the month contacts were created),
money metrics from :func:`~mopskit.metrics.channel_economics` (each figure dated its own way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import ParameterError
from ..i18n import _, content_text
from .catalog import metric
from .email import COLUMNS as EMAIL_COLUMNS

__all__ = ["EXPLORABLE", "Explorer"]

# metric name -> family table it is a column of
EXPLORABLE: dict[str, str] = {
    **dict.fromkeys([c for c in EMAIL_COLUMNS if c != "campaigns"], "email"),
    **dict.fromkeys(["leads", "mqls", "lead_to_mql", "mql_to_sql", "lead_to_customer"], "funnel"),
    **dict.fromkeys(["cost_per_lead", "customer_acquisition_cost", "romi", "pipeline_generated"], "money"),
}


@dataclass
class Explorer:
    """Channel × month tables of the kit's metrics over one dataset; each family is computed once, on first use.

    >>> from mopskit.data import load
    >>> explorer = Explorer(load("email_events"), load("campaigns"), load("contacts"))
    >>> table = explorer.table("leads")
    >>> table.index.name, table.columns.is_monotonic_increasing
    ('channel', True)
    """

    events: pd.DataFrame
    campaigns: pd.DataFrame
    contacts: pd.DataFrame
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def long(self, family: str) -> pd.DataFrame:
        """The family's result by channel and month (one row per pair)."""
        if family not in self._cache:
            from .email import email_metrics
            from .funnel import funnel
            from .money import channel_economics

            if family == "email":
                frame = email_metrics(self.events, by=["channel", "month"], campaigns=self.campaigns)
            elif family == "funnel":
                frame = funnel(self.contacts, by=["channel", "cohort_month"]).rename(columns={"cohort_month": "month"})
            else:
                frame = channel_economics(self.campaigns, self.contacts, by=["channel", "month"])
            self._cache[family] = frame
        return self._cache[family]

    def table(self, name: str, *, channels: list[str] | None = None) -> pd.DataFrame:
        """One metric as a table: a row per channel, a column per month (empty where there is nothing to divide)."""
        if name not in EXPLORABLE:
            raise ParameterError(
                _("cannot explore '{name}'; valid: {valid}").format(name=name, valid=", ".join(EXPLORABLE))
            )
        frame = self.long(EXPLORABLE[name])
        if channels:
            frame = frame[frame["channel"].isin(channels)]
        table = frame.dropna(subset=["month"]).pivot(index="channel", columns="month", values=name)
        table = table.reindex(columns=sorted(table.columns))
        return table.rename_axis(index="channel", columns="month")

    def channels(self) -> list[str]:
        """Every channel that appears in any family."""
        found: set[str] = set(self.campaigns["channel"].dropna().astype(str))
        found |= set(self.contacts["source_channel"].dropna().astype(str))
        return sorted(found)

    @staticmethod
    def label(name: str) -> str:
        """The metric's label from the catalog, e.g. ``Open rate (%)``."""
        entry = metric(name)
        return content_text(entry.label) + (" (%)" if entry.unit == "percent" else "")  # shown in the language
