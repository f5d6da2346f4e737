"""The one validation module: its message shape and each rule (dates, money, counts, percents, choices, notes)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from mopskit._validate import (
    Notes,
    amounts,
    choice,
    count,
    dates,
    day,
    is_missing,
    missing_keys,
    money,
    notes_of,
    number,
    parse_amount,
    percent,
    period,
    problem,
    row_label,
)
from mopskit.errors import DataError, MopskitError, ParameterError

SHAPE = re.compile(
    r"^(?P<function>\w+): '(?P<name>[^']+)' must be (?P<rule>.+?) \(got (?P<got>.+?)\)"
    r"(?: in (?P<where>.+?))?(?:; (?P<fix>.+))?$"
)


def shaped(message: str) -> dict[str, str]:
    first = message.splitlines()[0]
    match = SHAPE.match(first)
    assert match, f"not in the kit's message shape: {first!r}"
    return match.groupdict()


def test_problem_writes_the_one_shape():
    text = problem("ab_test", "visitors_a", "a whole number, 0 or more", "ten", where="row 2 of t", fix="write 10")
    assert text == "ab_test: 'visitors_a' must be a whole number, 0 or more (got 'ten') in row 2 of t; write 10"
    assert shaped(text)["fix"] == "write 10"


def test_row_label_counts_as_a_spreadsheet_and_adds_an_index_that_differs():
    assert row_label(0, 0, "the log") == "row 2 of the log"
    assert row_label(3, 17, "the log") == "row 5 (index 17) of the log"


# --- counts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 5, 5.0, np.int64(7), np.float64(3.0), Decimal(4)])
def test_count_takes_whole_numbers(value):
    assert count(value, "visitors", function="f") == int(value)
    assert isinstance(count(value, "visitors", function="f"), int)


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        (True, "True/False are not counts"),
        (np.bool_(False), "True/False are not counts"),
        (float("nan"), "missing (NaN)"),
        ("5", "not text"),
        (2.5, "pass a count"),
        (-1, ""),
        (float("inf"), "pass a count"),
        (None, "pass a count"),
    ],
)
def test_count_refuses_what_is_not_a_count(value, fix):
    with pytest.raises(ParameterError) as info:
        count(value, "visitors_a", function="ab_test")
    parts = shaped(str(info.value))
    assert parts["function"] == "ab_test" and parts["name"] == "visitors_a"
    assert fix in str(info.value)


# --- percents -------------------------------------------------------------------------------------------


def test_percent_refuses_a_fraction_with_the_fix():
    with pytest.raises(ParameterError, match=r"0.04 looks like a fraction: write 4 for 4%"):
        percent(0.04, "baseline_rate", function="sample_size")
    with pytest.raises(ParameterError, match=r"0.95 looks like a fraction: write 95 for 95%$"):
        percent(0.95, "confidence", function="ab_test", low=50, high=99.9)


def test_percent_takes_a_rate_under_1_written_with_its_sign():
    assert percent("0.5%", "baseline_rate", function="sample_size") == 0.5
    assert percent(0.5, "share", function="f", fractions=True) == 0.5
    assert percent(0, "share", function="f") == 0.0


@pytest.mark.parametrize("value", [101, -3, "abc", "4", True, float("nan"), None])
def test_percent_refuses_out_of_range_and_non_numbers(value):
    with pytest.raises(ParameterError) as info:
        percent(value, "baseline_rate", function="sample_size")
    assert shaped(str(info.value))["rule"] == "a percent from 0 to 100"


def test_percent_exclusive_bounds():
    with pytest.raises(ParameterError, match="a percent between 0 and 100"):
        percent(100, "baseline_rate", function="sample_size", inclusive=False)


# --- numbers, money, choices ----------------------------------------------------------------------------


def test_number_bounds():
    assert number(0.5, "half_life_days", function="attribute", above=0) == 0.5
    with pytest.raises(ParameterError, match="'half_life_days' must be a number, more than 0 \\(got 0\\)"):
        number(0, "half_life_days", function="attribute", above=0)
    with pytest.raises(ParameterError, match="not text"):
        number("7", "half_life_days", function="attribute")
    with pytest.raises(ParameterError):
        number(float("nan"), "x", function="f")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$7", 7.0),
        ("1,000.00", 1000.0),
        ("12,345,678", 12345678.0),
        (" 12.5 EUR", 12.5),
        ("-$3", -3.0),
        ("$-3", -3.0),
        ("€ 0.50", 0.5),
        (".5", 0.5),
        (7, 7.0),
        (np.float32(2.5), 2.5),
    ],
)
def test_parse_amount_reads_unambiguous_money(text, amount):
    assert parse_amount(text) == (amount, "")


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("abc", "write the amount as a number"),
        ("1,5", "decimal comma: write 1.5"),
        ("12,50 €", "decimal comma: write 12.50"),
        ("(7)", "minus sign"),
        (True, "not True/False"),
        ("1.000,00", "write the amount as a number"),
        ([1], "as a number"),
    ],
)
def test_parse_amount_refuses_the_rest_with_a_fix(text, fix):
    amount, why = parse_amount(text)
    assert amount is None and fix in why


def test_money_argument():
    assert money("$1,200.50", "spend", function="romi") == 1200.5
    with pytest.raises(ParameterError, match="romi: 'spend' must be an amount of money, 0 or more"):
        money(-1, "spend", function="romi")
    with pytest.raises(ParameterError, match="got nan"):
        money(float("nan"), "spend", function="romi")


def test_choice_lists_the_valid_ones_and_suggests():
    assert choice("mql", "stage", ["lead", "mql"], function="lead_velocity") == "mql"
    with pytest.raises(ParameterError) as info:
        choice("MQLs", "stage", ["lead", "mql"], function="lead_velocity")
    assert str(info.value).startswith("lead_velocity: 'stage' must be one of lead, mql (got 'MQLs')")
    with pytest.raises(ParameterError):
        choice(3, "stage", ["lead"], function="f")


# --- dates ----------------------------------------------------------------------------------------------


def test_day_takes_dates_timestamps_and_iso_text():
    assert day(dt.date(2026, 1, 2), "d", function="f") == dt.date(2026, 1, 2)
    assert day(dt.datetime(2026, 1, 2, 9), "d", function="f") == dt.date(2026, 1, 2)
    assert day(pd.Timestamp("2026-01-02T10:00"), "d", function="f") == dt.date(2026, 1, 2)
    assert day(np.datetime64("2026-01-02"), "d", function="f") == dt.date(2026, 1, 2)
    assert day(" 2026-01-02T23:00:00 ", "d", function="f") == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("13/02/2026", "it looks day-first (13 February 2026): write 2026-02-13"),
        ("02/13/2026", "it looks month-first (February 13, 2026): write 2026-02-13"),
        ("03/02/2026", "it could be 3 February or 2 March 2026: write it YYYY-MM-DD (2026-02-03 or 2026-03-02)"),
        ("31.03.26", "day-first (31 March 2026): write 2026-03-31"),
        ("2026-02-30", "no such day"),
        ("March", "write dates as YYYY-MM-DD"),
        (45321, "a number is not a date"),
        (True, "not True/False"),
    ],
)
def test_day_explains_dates_it_cannot_read(text, fix):
    with pytest.raises(ParameterError) as info:
        day(text, "deadline", function="build_goal")
    parts = shaped(str(info.value))
    assert parts["rule"] == "a date written YYYY-MM-DD, like 2026-03-31"
    assert fix in parts["fix"]


def test_period_checks_order_and_open_ends():
    assert period(None, "", function="f") == (None, None)
    assert period("2026-01-01", "2026-01-31", function="f") == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    with pytest.raises(
        ParameterError, match="'start' must be on or before 'end' \\(2026-01-01\\) \\(got '2026-02-01'\\)"
    ):
        period("2026-02-01", "2026-01-01", function="funnel")


def test_dates_parses_iso_objects_and_offsets_and_keeps_empty_cells_empty():
    values = pd.Series(
        [
            "2026-03-01",
            None,
            "",
            "2026-03-02T10:00:00Z",
            "2026-03-02T10:00:00+02:00",
            dt.date(2026, 3, 4),
            pd.Timestamp("2026-03-05 08:00"),
            float("nan"),
        ],
        index=list("abcdefgh"),
    )
    parsed = dates(values, function="f", table="t")
    assert parsed.index.tolist() == list("abcdefgh")
    assert pd.api.types.is_datetime64_any_dtype(parsed)
    assert parsed.isna().tolist() == [False, True, True, False, False, False, False, True]
    assert parsed["e"] == pd.Timestamp("2026-03-02T08:00:00")
    assert parsed["f"] == pd.Timestamp("2026-03-04")


def test_dates_passes_datetime_columns_and_drops_the_time_zone():
    naive = pd.Series(pd.to_datetime(["2026-01-01", None]))
    assert dates(naive, function="f", table="t") is naive
    aware = pd.Series(pd.to_datetime(["2026-01-01T05:00:00+05:00"]))
    assert dates(aware, function="f", table="t").tolist() == [pd.Timestamp("2026-01-01T00:00:00")]


def test_dates_names_every_bad_row():
    values = pd.Series(
        ["2026-01-01", "13/02/2026", "x", "2026-01-04", "03/04/2026"], name="date", index=[10, 11, 12, 13, 14]
    )
    with pytest.raises(DataError) as info:
        dates(values, function="cohort_revenue", table="the purchase log")
    error = info.value
    assert isinstance(error, MopskitError)
    first = shaped(str(error))
    assert first["where"] == "row 3 (index 11) of the purchase log"
    assert first["fix"] == "it looks day-first (13 February 2026): write 2026-02-13"
    assert "2 more rows have the same problem (rows 4, 6)." in str(error)
    assert len(error.problems) == 3 and error.source == "the purchase log"
    assert all(shaped(p)["function"] == "cohort_revenue" for p in error.problems)


def test_dates_refuses_numbers_and_non_iso_text_that_pandas_would_guess():
    with pytest.raises(DataError, match="a number is not a date"):
        dates(pd.Series([45321, None], name="customer_at"), function="attribute", table="the contacts table")
    with pytest.raises(DataError, match="Jan 5 2026"):
        dates(pd.Series(["Jan 5 2026"], name="d"), function="f", table="t")


# --- amounts --------------------------------------------------------------------------------------------


def test_amounts_reads_text_money_and_keeps_missing_as_nan():
    parsed = amounts(pd.Series(["$7", "1,000.00", None, 3, " "]), function="f", table="t")
    assert parsed.tolist()[:2] == [7.0, 1000.0] and parsed.isna().tolist() == [False, False, True, False, True]
    assert parsed.dtype == "float64"


def test_amounts_refuses_bad_cells_and_negatives_with_rows():
    with pytest.raises(DataError) as info:
        amounts(pd.Series(["abc", "5", "-2"], name="amount"), function="acquisition_cohorts", table="the purchase log")
    first = shaped(str(info.value))
    assert first["got"] == "'abc'" and first["where"] == "row 2 of the purchase log"
    assert len(info.value.problems) == 2
    assert "cannot be negative" in info.value.problems[1]


def test_amounts_negative_allowed_and_custom_advice():
    assert amounts(pd.Series([-2.0, 3.0]), function="f", table="t", negative=True).tolist() == [-2.0, 3.0]
    with pytest.raises(DataError, match="pass refunds=True"):
        amounts(pd.Series([-2.0]), function="f", table="t", negative_fix="pass refunds=True")


def test_amounts_refuses_infinity_and_booleans():
    with pytest.raises(DataError, match="finite"):
        amounts(pd.Series([1.0, float("inf")]), function="f", table="t")
    with pytest.raises(DataError, match="True/False"):
        amounts(pd.Series([True, False]), function="f", table="t")


# --- missing values and notes ---------------------------------------------------------------------------


def test_missing_values():
    assert [is_missing(v) for v in (pd.NA, pd.NaT, np.nan, " ", "", None, 0, "a", np.datetime64("NaT"))] == [
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        True,
    ]
    assert missing_keys(pd.Series(["a", None, "  ", pd.NA], index=[5, 6, 7, 8])).tolist() == [False, True, True, True]


def test_notes_count_rows_and_merge():
    notes = Notes(["first"])
    notes.rows("contacts", 10)
    assert notes.exclude("contacts", 0, "never {n}", reason="none") == 0
    notes.exclude("contacts", pd.Series([True, True]), "Left out, no date: {n}.", reason="no date")
    other = Notes()
    other.rows("touchpoints", 4)
    other.exclude("touchpoints", 1, "Left out, no channel: {n}.", reason="no channel")
    notes.merge(other)
    notes.merge(other)  # merging the same thing twice counts it once
    result = notes.attach(pd.DataFrame({"x": [1, 2]}, index=[5, 6]))
    assert result.index.tolist() == [0, 1]
    assert notes_of(result) == ["first", "Left out, no date: 2.", "Left out, no channel: 1."]
    assert result.attrs["data_quality"]["rows"] == {
        "contacts": {"in": 10, "excluded": {"no date": 2}},
        "touchpoints": {"in": 4, "excluded": {"no channel": 1}},
    }


def test_notes_of_reads_objects():
    class Result:
        notes = ("a", "b")

    assert notes_of(Result()) == ["a", "b"]
    assert notes_of(3.0) == []


# --- the guard on public functions ----------------------------------------------------------------------


def test_checked_names_the_kind_expected_and_the_arguments_taken():
    from mopskit._validate import checked

    @checked
    def report(table: pd.DataFrame, *, by: str | list[str] | None = None, today: dt.date | None = None) -> int:
        return len(table)

    frame = pd.DataFrame({"a": [1, 2]})
    assert report(frame, by=["a"]) == 2
    assert report.__name__ == "report" and "table" in str(__import__("inspect").signature(report))
    with pytest.raises(ParameterError, match=r"^report: 'table' must be a table \(a pandas DataFrame\) \(got None\)"):
        report(None)
    with pytest.raises(ParameterError, match=r"^report: 'by' must be text or a list or None \(got 3\)"):
        report(frame, by=3)
    with pytest.raises(ParameterError, match=r"^report: 'today' must be a date or None \(got '2026-01-01'\)"):
        report(frame, today="2026-01-01")
    with pytest.raises(ParameterError, match=r"^report: unknown argument 'bye'; did you mean 'by'\? It takes: table"):
        report(frame, bye="a")
    with pytest.raises(ParameterError, match=r"^report: 'table' is missing; It takes: table, by, today"):
        report()


def test_checked_accepts_whole_floats_and_numpy_scalars_and_refuses_booleans_as_numbers():
    from mopskit._validate import checked

    @checked
    def visits(n: int, share: float) -> float:
        return n * share

    assert visits(np.int64(3), np.float64(0.5)) == 1.5
    assert visits(4.0, 1) == 4.0
    with pytest.raises(ParameterError, match="True/False stand for yes/no"):
        visits(True, 0.5)
    with pytest.raises(ParameterError, match="'share' must be a number"):
        visits(1, False)
