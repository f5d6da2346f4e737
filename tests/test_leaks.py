"""Answers given away above their question (mopskit.assess.leaks), on small executed lessons made here."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mopskit.assess.leaks import answer_leaks, exercise_cells


def _html_table(rows, header=("tool", "action")):
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _shown(html=None, text=None):
    cell = new_code_cell("show()")
    data = {"text/html": html} if html else {"text/plain": text}
    cell.outputs = [new_output("display_data", data=data)]
    return cell


def _lesson(*above, exercise="q1"):
    return new_notebook(
        cells=[
            *above,
            new_markdown_cell("**Question.**"),
            new_code_cell(f'number("{exercise}")'),
            new_code_cell(f"# CHECKS {exercise}"),
        ]
    )


ACTIONS = [("Slack", "keep"), ("Mailchimp", "consolidate"), ("Drift", "consolidate"), ("Figma", "keep")]


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        (_shown(text="open rate 23.456%"), 23.456),  # rounded the usual ways
        (_shown(text="open rate 23,5 %"), 23.456),
        (_shown(text="CAC: $37,632.30"), 37632.3),
        (_shown(text="spend 1 250 000"), 1250000),
        (_shown(html=_html_table(ACTIONS)), ["Mailchimp", "Drift"]),  # an action column singles them out
        (_shown(text="Mailchimp\nDrift"), ["Drift", "Mailchimp"]),  # the answers and nothing else
        (_shown(html=_html_table([("Makers", "yes"), ("Marketers", "usually not"), ("Maestros", "yes")])), "Marketers"),
        (
            _shown(text="The people, processes and technology behind the marketing plan."),
            "the people, processes and technology behind the marketing plan",
        ),
        (
            _shown(html=_html_table([("Send the newsletter", "Email operations"), ("Route leads", "Lead rotation")])),
            {"Send the newsletter": "Email operations", "Route leads": "Lead rotation"},
        ),
    ],
)
def test_an_output_above_that_shows_the_answer_is_a_leak(above, expected):
    [leak] = answer_leaks(_lesson(above), {"q1": expected})
    assert leak.exercise == "q1" and leak.cell == 0


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        (_shown(text="open rate 23.9%"), 23.456),
        (_shown(text="in 2023 we sent 456 emails"), 23.456),  # digits inside other numbers do not count
        (
            _shown(html=_html_table([("Slack", "a"), ("Mailchimp", "b"), ("Drift", "c"), ("Figma", "d")])),
            ["Mailchimp", "Drift"],
        ),  # the inventory names every tool, but marks none
        (_shown(html=_html_table([("Makers", "yes"), ("Marketers", "no"), ("Maestros", "no")])), "Marketers"),
        (
            _shown(html=_html_table([("Send the newsletter", "Email operations"), ("Route leads", "CRM admin")])),
            {"Send the newsletter": "Email operations", "Route leads": "Lead rotation"},
        ),  # one pair of two
        (_shown(text="score 12.0"), 12.0),  # integers under 10 and .0 forms are too common to search
    ],
)
def test_an_output_that_does_not_give_the_answer_away_is_no_leak(above, expected):
    assert answer_leaks(_lesson(above), {"q1": expected}) == []


def test_outputs_below_the_question_and_the_trainees_own_saved_answer_are_not_leaks():
    saved = new_code_cell('number("q1")')
    saved.outputs = [new_output("display_data", data={"application/vnd.mopskit.answer+json": {}, "text/plain": "42.5"})]
    nb = new_notebook(cells=[new_markdown_cell("Q"), saved, new_code_cell("# CHECKS q1"), _shown(text="it was 42.5")])
    assert answer_leaks(nb, {"q1": 42.5}) == []
    assert exercise_cells(nb, ["q1", "q2"]) == {"q1": 1}


def test_a_leak_names_the_exercise_the_cell_and_what_it_shows(tmp_path):
    path = tmp_path / "lesson.ipynb"
    nbformat.write(_lesson(_shown(text="MQL to SQL: 34.99%")), str(path))
    [leak] = answer_leaks(path, {"q1": 34.99})
    assert str(leak) == "q1: cell 0 shows the number 34.99"
