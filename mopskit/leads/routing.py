"""Lead routing: who gets each lead, by rules kept as data, with the reason for every assignment.

The rules (``mopskit/content/lead_routing.yaml``, :class:`RoutingRules`) are tried in order and the first that
applies assigns the lead:

1. **named account**: a company with an account owner goes to that owner (if they are still in the team);
2. **territory**: the lead's country picks a territory, and the territory's reps of one role take turns (round
   robin) in the order the leads arrived; two leads of the same second go by contact id, so the turns never
   depend on how the file happens to be sorted;
3. **fallback**: everything else (no country, a country in no territory, a territory with nobody active)
   goes to the queue.

Who is in the team is read from the ``sales_team`` table as of a moment: someone who left before it is not
routed to. :func:`routing_problems` finds where the CRM routed otherwise (a lead given to someone who had left,
an owner nobody knows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .._validate import checked, choice
from ..errors import ParameterError
from ..i18n import _
from ._frames import Table, finish, frame_columns, is_path, moment, none_for_missing, to_utc

__all__ = ["RoutingRules", "active_owners", "route_leads", "routing_problems", "routing_rules"]

KINDS = ("named_account", "territory", "fallback")
TEAM_TABLE = "the sales_team table"


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class RoutingRules:
    """Routing rules: named accounts, territories and the queue, tried in ``order``.

    >>> rules = routing_rules()
    >>> rules.order, rules.territory_of("ro"), rules.queue
    (('named_account', 'territory', 'fallback'), 'emea', 'Lead queue')
    """

    name: str
    accounts: Mapping[str, str] = field(default_factory=dict)
    territories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    role: str = "sdr"
    queue: str = "Lead queue"
    order: tuple[str, ...] = KINDS

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, name: str = "custom") -> RoutingRules:
        """Build rules from plain data (the shape of ``lead_routing.yaml``), checking each rule."""
        raw = data.get("rules") if isinstance(data, Mapping) else None
        if not isinstance(raw, list) or not raw:
            raise ParameterError(_("routing rules need a list of rules (named_account, territory, fallback)"))
        found: dict[str, Any] = {}
        order = []
        for i, rule in enumerate(raw, start=1):
            kind = choice(
                rule.get("kind") if isinstance(rule, Mapping) else rule,
                f"rules[{i}].kind",
                KINDS,
                function="RoutingRules",
            )
            if kind in found:
                raise ParameterError(_("routing rules name the kind '{kind}' twice").format(kind=kind))
            found[kind] = rule
            order.append(kind)
        if order[-1] != "fallback":
            raise ParameterError(_("the last routing rule must be the fallback queue, so every lead gets an owner"))
        territories: dict[str, tuple[str, ...]] = {}
        countries: dict[str, str] = {}
        for territory, listed in dict(found.get("territory", {}).get("territories") or {}).items():
            codes = tuple(str(c).strip().upper() for c in listed)
            for code in codes:
                if code in countries:
                    raise ParameterError(
                        _("country {code} is in two territories ({a} and {b})").format(
                            code=code, a=countries[code], b=territory
                        )
                    )
                countries[code] = str(territory)
            territories[str(territory)] = codes
        accounts = {str(k): str(v) for k, v in dict(found.get("named_account", {}).get("accounts") or {}).items()}
        return cls(
            name=str(data.get("name", name)),
            accounts=accounts,
            territories=territories,
            role=str(found.get("territory", {}).get("role", "sdr")),
            queue=str(found["fallback"].get("queue", "Lead queue")),
            order=tuple(order),
        )

    def table(self) -> pd.DataFrame:
        """The rules as a table people read, in the order they are tried: ``rule``, ``applies to``, ``goes to``.

        >>> routing_rules().table().iloc[0].tolist()
        ['named account', 'Globex', 'Nadia Haddad']
        """
        from ..present import with_result_headers

        rows = {
            "named_account": [
                {"rule": _("named account"), "applies to": company, "goes to": owner}
                for company, owner in self.accounts.items()
            ],
            "territory": [
                {
                    "rule": _("territory"),
                    "applies to": ", ".join(codes),
                    "goes to": _("the {name} SDRs, in turn").format(name=name),
                }
                for name, codes in self.territories.items()
            ],
            "fallback": [{"rule": _("fallback"), "applies to": _("everything else"), "goes to": self.queue}],
        }
        return with_result_headers(pd.DataFrame([row for kind in self.order for row in rows[kind]]))

    @cached_property
    def _account_keys(self) -> dict[str, str]:
        return {_key(k): v for k, v in self.accounts.items()}

    def account_owners(self, companies: pd.Series) -> pd.Series:
        """:meth:`account_owner` for a whole column at once (None where a company is no named account)."""
        keys = companies.astype("string").str.split().str.join(" ").str.casefold()
        return keys.map(self._account_keys).astype(object).where(lambda s: s.notna(), None)

    def account_owner(self, company: Any) -> str | None:
        """The owner of a named account, whatever the company name's case and spacing, or None.

        >>> routing_rules().account_owner("  GLOBEX ")
        'Nadia Haddad'
        """
        return self._account_keys.get(_key(company)) if isinstance(company, str) else None

    def territory_of(self, country: Any) -> str | None:
        """The territory of a country code, or None."""
        code = str(country).strip().upper() if country is not None and not pd.isna(country) else ""
        return next((t for t, codes in self.territories.items() if code in codes), None)


@checked
def routing_rules(name: str = "lead_routing") -> RoutingRules:
    """Load routing rules from the kit's content (``lead_routing`` is the sample company's).

    >>> routing_rules().accounts["Globex"]
    'Nadia Haddad'
    """
    from ..content import load_yaml

    return RoutingRules.from_dict(load_yaml(name), name=name)


def _team(team: Table) -> pd.DataFrame:
    if is_path(team):
        from ..data import read

        team = read(team, table="sales_team")
    frame = frame_columns(
        team,
        table="sales_team",
        needed=["owner"],
        optional=["role", "territory", "time_zone", "started_on", "left_on", "active"],
    ).copy()
    frame["owner"] = frame["owner"].astype(str).str.strip()
    return frame


@checked
def active_owners(team: Table, *, as_of: Any = None) -> pd.DataFrame:
    """The members of the team who can take leads at a moment: started, not left, and marked active.

    Without ``as_of`` the ``active`` column decides; with it, the dates do (someone who left on 31 July is
    active until then).

    >>> from mopskit.data import load
    >>> sorted(active_owners(load("sales_team"), as_of="2026-06-01")["owner"])[-1]
    'Wei Chen'
    """
    frame = _team(team)
    keep = pd.Series(True, index=frame.index)
    if as_of is None:
        if "active" in frame.columns:
            keep &= frame["active"].astype("boolean").fillna(True).astype(bool)
    else:
        stamp = moment(as_of, name="as_of", function="active_owners")
        if "started_on" in frame.columns:
            keep &= ~(
                to_utc(frame["started_on"], column="started_on", function="active_owners", table=TEAM_TABLE) > stamp
            )
        if "left_on" in frame.columns:
            left = to_utc(frame["left_on"], column="left_on", function="active_owners", table=TEAM_TABLE)
            keep &= ~(left + pd.Timedelta(days=1) <= stamp)
    return frame[keep].reset_index(drop=True)


@checked
def route_leads(
    leads: Table,
    team: Table,
    *,
    rules: RoutingRules | None = None,
    as_of: Any = None,
    order_by: str = "mql_at",
    only_with: str | None = None,
    explain: bool = True,
) -> pd.DataFrame:
    """Route every lead by the rules: one owner each, with the rule that decided and the reason in words.

    Args:
        leads: the leads (``contacts`` rows), or the path of a CSV/Parquet file; needs ``contact_id``, and uses
            ``company``, ``country`` and the ``order_by`` column when present.
        team: the ``sales_team`` table (or its path).
        rules: the routing rules (default: :func:`routing_rules`).
        as_of: who is in the team at this moment (default: the ``active`` column).
        order_by: the moment leads arrived, for the round robin's turns (empty moments go last).
        only_with: route only rows where this column is filled (e.g. ``"mql_at"``: only MQLs).
        explain: add the reason for each assignment in words (leave it out for speed on a big file).

    Returns:
        contact_id, owner, rule (named_account, territory or fallback), territory, turn (the lead's place in its
        territory's round robin, from 1) and reason; one row per lead, in the leads' order.

    >>> leads = pd.DataFrame({"contact_id": ["c1", "c2", "c3", "c4"], "country": ["RO", "RO", "BR", "US"],
    ...                       "company": ["Alder Labs", "Globex", "Birch Bank", "Umber Group"],
    ...                       "mql_at": ["2026-03-02T10:00:00"] * 4})
    >>> from mopskit.data import load
    >>> routed = route_leads(leads, load("sales_team"), as_of="2026-09-01")
    >>> routed["owner"].tolist()
    ['Mihai Ionescu', 'Nadia Haddad', 'Lead queue', 'Grace Kim']

    """
    rules = rules or routing_rules()
    members = active_owners(team, as_of=as_of)
    if is_path(leads):
        from ._duckdb import route_sql

        decided = route_sql(
            leads, members, rules=rules, reps=_reps(members, rules), order_by=order_by, only_with=only_with
        )
    else:
        frame = frame_columns(
            leads,
            table="contacts",
            needed=["contact_id"],
            optional=["company", "country", order_by, *([only_with] if only_with else [])],
        )
        if only_with:
            if only_with not in frame.columns:
                raise ParameterError(_("the leads have no column {c!r} to route by").format(c=only_with))
            frame = frame[frame[only_with].notna() & (frame[only_with].astype(str).str.strip() != "")]
        decided = _route_frame(frame, members, rules=rules, order_by=order_by)
    none_for_missing(decided, ["territory"])
    columns = ["contact_id", "owner", "rule", "territory", "turn"]
    if explain:
        decided["reason"] = _reasons(decided, members, rules)
        columns.append("reason")
    return finish(decided[columns], notes=_notes(decided, rules))


def _route_frame(frame: pd.DataFrame, members: pd.DataFrame, *, rules: RoutingRules, order_by: str) -> pd.DataFrame:
    n = len(frame)
    ids = frame["contact_id"].astype(str).to_numpy()
    company = frame["company"] if "company" in frame.columns else pd.Series([None] * n, index=frame.index)
    country = frame["country"] if "country" in frame.columns else pd.Series([None] * n, index=frame.index)
    active = set(members["owner"])
    named = rules.account_owners(company).to_numpy(dtype=object)
    named_ok = np.array([o is not None and o in active for o in named])
    codes = country.astype("string").str.strip().str.upper()
    territory = codes.map({c: t for t, cs in rules.territories.items() for c in cs}).to_numpy(dtype=object)
    territory = np.where(pd.isna(territory), None, territory)
    reps = _reps(members, rules)
    owner = np.full(n, rules.queue, dtype=object)
    rule = np.full(n, "fallback", dtype=object)
    turn = np.zeros(n, dtype=np.int64)
    when = (
        to_utc(frame[order_by], column=order_by, function="route_leads")
        if order_by in frame.columns
        else pd.Series(pd.NaT, index=frame.index)
    )
    for kind in rules.order:
        if kind == "named_account":
            chosen = named_ok & (rule == "fallback")
            owner[chosen], rule[chosen] = named[chosen], "named_account"
        elif kind == "territory":
            for name, people in reps.items():
                rows = np.flatnonzero((territory == name) & (rule == "fallback"))
                if not len(rows):
                    continue
                stamps = when.to_numpy()[rows]
                order = rows[np.lexsort((ids[rows], np.isnat(stamps), stamps))]
                owner[order] = np.array(people, dtype=object)[np.arange(len(order)) % len(people)]
                rule[order], turn[order] = "territory", np.arange(1, len(order) + 1)
    return pd.DataFrame(
        {
            "contact_id": ids,
            "owner": owner,
            "rule": rule,
            "territory": territory,
            "turn": turn,
            "company": company.to_numpy(dtype=object),
            "country": codes.to_numpy(dtype=object),
            "named_owner": named,
        }
    )


def _reps(members: pd.DataFrame, rules: RoutingRules) -> dict[str, list[str]]:
    """Per territory, the active reps of the rules' role, in name order (the round robin's order)."""
    if "territory" not in members.columns:
        return {}
    role = (
        members["role"].astype(str).str.strip().str.lower()
        if "role" in members.columns
        else pd.Series(rules.role, index=members.index)
    )
    chosen = members[role == rules.role.lower()]
    return {
        str(t): sorted(group["owner"].tolist())
        for t, group in chosen.groupby(chosen["territory"].astype(str).str.strip())
        if t in rules.territories
    }


def _fill(template: str, index: pd.Index, **values: Any) -> pd.Series:
    """A translated sentence with ``{placeholders}`` filled per row from columns (or one value for all), at once."""
    text = pd.Series("", index=index, dtype=object)
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            value = values[part[1:-1]]
            text = text + (value.astype(str) if isinstance(value, pd.Series) else str(value))
        elif part:
            text = text + part
    return text


def _reasons(decided: pd.DataFrame, members: pd.DataFrame, rules: RoutingRules) -> list[str]:
    """Say why each lead went where it did (the same words whichever engine routed it), for all rows at once."""
    reps = {t: len(people) for t, people in _reps(members, rules).items()}
    index = decided.index
    named = decided["named_owner"].astype(object).where(decided["named_owner"].notna(), None)
    gone = named.notna() & ~named.isin(set(members["owner"]))
    note = _fill(_(" (its account owner {owner} is not in the team now)"), index, owner=named).where(gone, "")
    country = decided["country"].astype(object).where(decided["country"].notna() & (decided["country"] != ""), None)
    territory = decided["territory"].astype(object).where(decided["territory"].notna(), None)
    sentences = [
        (
            decided["rule"] == "named_account",
            _fill(_("named account {company}: its owner"), index, company=decided["company"]),
        ),
        (
            decided["rule"] == "territory",
            _fill(
                _("territory {territory} (country {country}): round robin among {n} reps, lead {turn} in turn"),
                index,
                territory=territory,
                country=country,
                n=territory.map(reps).fillna(0).astype(int),
                turn=decided["turn"],
            )
            + note,
        ),
        (country.isna(), _("no country: the fallback queue") + note),
        (
            territory.isna(),
            _fill(_("country {country} is in no territory: the fallback queue"), index, country=country) + note,
        ),
    ]
    fallback = (
        _fill(
            _("territory {territory} has no active {role}: the fallback queue"),
            index,
            territory=territory,
            role=rules.role,
        )
        + note
    )
    reason = fallback.copy()
    for mask, text in reversed(sentences):  # the first that applies wins
        reason = text.where(mask, reason)
    return reason.tolist()


def _notes(decided: pd.DataFrame, rules: RoutingRules) -> list[str]:
    queued = int((decided["rule"] == "fallback").sum())
    if not queued:
        return []
    return [
        _(
            "{n} of {total} leads went to the fallback queue ({queue}): give their countries a territory or "
            "their territories a rep."
        ).format(n=queued, total=len(decided), queue=rules.queue)
    ]


@checked
def routing_problems(contacts: pd.DataFrame, team: Table) -> pd.DataFrame:
    """Leads the CRM routed where no rule would: to someone who had left, or to an owner the team does not know.

    Returns:
        contact_id, owner, routed_at, first_sales_touch_at, problem (``owner had left``, ``unknown owner``,
        ``MQL with no owner``) and detail; the leads ordered by when they were routed.

    >>> from mopskit.data import load
    >>> problems = routing_problems(load("contacts"), load("sales_team"))
    >>> problems["problem"].value_counts().index[0]
    'owner had left'

    """
    frame = frame_columns(
        contacts,
        table="contacts",
        needed=["contact_id", "owner"],
        optional=["mql_at", "routed_at", "first_sales_touch_at"],
    ).copy()
    members = _team(team)
    left = (
        dict(
            zip(
                members["owner"],
                to_utc(members["left_on"], column="left_on", function="routing_problems", table=TEAM_TABLE),
                strict=True,
            )
        )
        if "left_on" in members.columns
        else {}
    )
    owner = frame["owner"].astype("string").str.strip()
    routed = (
        to_utc(frame["routed_at"], column="routed_at", function="routing_problems")
        if "routed_at" in frame.columns
        else pd.Series(pd.NaT, index=frame.index)
    )
    mql = (
        to_utc(frame["mql_at"], column="mql_at", function="routing_problems")
        if "mql_at" in frame.columns
        else pd.Series(pd.NaT, index=frame.index)
    )
    when = routed.fillna(mql)
    gone_on = owner.map(left).astype("datetime64[ns]")
    problem = pd.Series("", index=frame.index, dtype=object)
    detail = pd.Series("", index=frame.index, dtype=object)
    had_left = gone_on.notna() & (when > gone_on + pd.Timedelta(days=1))
    problem[had_left] = "owner had left"
    detail[had_left] = [
        _("{owner} left on {left:%Y-%m-%d}; routed on {when:%Y-%m-%d}").format(owner=o, left=g, when=w)
        for o, g, w in zip(owner[had_left], gone_on[had_left], when[had_left], strict=True)
    ]
    unknown = owner.notna() & (owner != "") & ~owner.isin(set(members["owner"]))
    problem[unknown] = "unknown owner"
    detail[unknown] = [_("{owner} is not in the sales team").format(owner=o) for o in owner[unknown]]
    orphan = mql.notna() & (owner.isna() | (owner == ""))
    problem[orphan] = "MQL with no owner"
    detail[orphan] = _("an MQL nobody was given")
    found = frame.assign(routed_at=routed, problem=problem, detail=detail)[problem != ""]
    columns = ["contact_id", "owner", "routed_at", "problem", "detail"]
    if "first_sales_touch_at" in frame.columns:
        found = found.assign(
            first_sales_touch_at=to_utc(
                found["first_sales_touch_at"], column="first_sales_touch_at", function="routing_problems"
            )
        )
        columns.insert(3, "first_sales_touch_at")
    return finish(found.sort_values("routed_at", kind="stable")[columns], notes=[])
