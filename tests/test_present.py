"""Tables and answers written for people: in lessons, verdicts and feedback pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from mopskit.assess._feedback import feedback_html
from mopskit.assess._gradebook import CheckRow, GradedSubmission
from mopskit.errors import ParameterError
from mopskit.present import answer_html, answer_text, format_value, people_table

KINDS = {
    "q1": 42.5,
    "q2": ["Hootsuite", "Livestorm", "Intercom"],
    "q3": {"Send the newsletter": "Email operations", "Route the leads": "Lead rotation"},
    "q4": {"Audit the workflows": {"Ana": "R", "Joon": "A"}, "Clean the lists": {"Ana": "A", "Joon": "I"}},
    "q5": {"__table__": [{"tool": "Slack", "cost": 9200}, {"tool": "Notion", "cost": 4800}]},
    "q6": "Cut <b>Livestorm</b> before it renews.",
}


@pytest.mark.parametrize("exercise", sorted(KINDS))
def test_an_answer_reads_as_a_sentence_or_a_small_table_never_as_python(exercise):
    value = KINDS[exercise]
    shown = re.sub(r"<[^>]+>", " ", answer_html(value))  # the page's words, without its tags
    for text in (answer_text(value), shown):
        assert "{" not in text and "[" not in text and "__table__" not in text
    assert "<b>" not in answer_html(value)
    if isinstance(value, dict):
        assert answer_html(value).startswith("<table")


def test_answers_in_words():
    assert answer_text(KINDS["q2"]) == "Hootsuite, Livestorm and Intercom"
    assert answer_text(KINDS["q4"]) == "Audit the workflows: Ana: R; Joon: A; Clean the lists: Ana: A; Joon: I"
    assert answer_text(True) == "yes" and answer_text(0.1 + 0.2) == "0.3"
    assert answer_text("x" * 700).endswith(" …") and len(answer_text("x" * 700)) == 602
    grid = answer_html(KINDS["q4"])
    assert grid.count("<tr>") == 3 and ">Joon<" in grid and ">R<" in grid
    table = answer_html({"__table__": [{"n": i} for i in range(40)]}, max_rows=30)
    assert table.count("<tr>") == 31 and "10 more rows" in table


def test_format_value_puts_units_where_people_expect_them():
    assert format_value(-1500, "$") == "-$1,500"
    assert format_value(2.5, "pp") == "2.5 pp"
    assert format_value(float("nan")) == ""


def test_people_table_hides_a_default_index_and_keeps_a_meaningful_one():
    frame = pd.DataFrame({"tool": ["Slack", "Notion"], "share": [12.345, 50.0], "cost": [9200, 4800]})
    page = people_table(frame, units={"share": "%", "cost": "$"}).to_html()
    assert "12.35%" in page and "$9,200" in page and "row0" not in page.split("<tbody>")[1].split("<td")[0]
    assert "text-align: left" in page
    kept = people_table(frame.set_index("tool")).to_html()
    assert ">Slack<" in kept
    with pytest.raises(ParameterError, match="no column 'price'; the table has: tool, share, cost"):
        people_table(frame, units={"price": "$"})


def test_the_feedback_page_shows_each_answer_for_people():
    checks = [CheckRow(q, "right", 1, 1, True, False) for q in KINDS]
    graded = GradedSubmission(
        trainee="ana",
        assignment="10_final_assessment",
        content_hash="x",
        path="p",
        submitted_at=datetime(2026, 11, 1, tzinfo=UTC),
        status="graded",
        checks=checks,
        answers=dict(KINDS),
    )
    page = feedback_html(graded)
    assert "__table__" not in page and "{&quot;" not in page and "[&quot;" not in page
    assert "Hootsuite, Livestorm and Intercom" in page and "42.5" in page
    assert "&lt;b&gt;Livestorm&lt;/b&gt;" in page, "what a trainee typed is escaped"
    assert page.count("<table") == 3  # the matching, the grid and the table


def test_lessons_show_short_plain_tables_for_people_and_long_ones_as_pandas_does():
    from mopskit.ui.setup import _frame_html

    with pd.option_context("display.max_rows", 30):
        short = _frame_html(pd.DataFrame({"tool": ["Slack"], "cost": [9200]}))
        assert "9,200" in short and "text-align: left" in short and 'class="blank' not in short
        long = _frame_html(pd.DataFrame({"n": range(100)}))
        assert "100 rows × 1 columns" in long
        indexed = _frame_html(pd.DataFrame({"n": [1]}, index=["a"]))
        assert ">a<" in indexed


def _thai(frame: pd.DataFrame) -> str:
    """The table as a lesson shows it (headers and cells), as one text."""
    return people_table(frame).to_html()


@pytest.mark.parametrize(
    ("build", "header", "value"),
    [
        ("role_table", "archetype", "Email operations"),
        ("team_model_table", "owns the work of", "The one-person MOps band"),
        ("facts_table", "fact", "The one-person MOps band"),
        ("figures_table", "figure", None),
        ("catalog", "formula", "unique opens"),
        ("variants", "used_by", "unique opens"),
    ],
)
def test_a_table_in_a_lesson_shows_its_headers_and_content_names_in_thai_its_data_stays_english(build, header, value):
    from mopskit.facts import facts_table
    from mopskit.i18n import _, content_text, language
    from mopskit.metrics import catalog, variants
    from mopskit.profession import figures_table
    from mopskit.roles import role_table, team_model_table

    builders = {
        "role_table": role_table,
        "team_model_table": team_model_table,
        "facts_table": lambda: facts_table("team_model_*"),
        "figures_table": lambda: figures_table(["solo_mops_share"]),
        "catalog": lambda: catalog(family="email")[["label", "definition", "formula", "unit"]],
        "variants": variants,
    }
    with language("th"):
        frame = builders[build]()
        html = _thai(frame)
        thai_header, thai_value = _(header.replace("_", " ")), content_text(value) if value else None
    assert header in frame.columns  # the data keeps its English columns for code that reads them
    english = header.replace("_", " ")
    assert thai_header != english and f">{thai_header}<" in html and f">{english}<" not in html
    if value:
        assert thai_value != value and thai_value in html
        assert not re.search(rf">[^<]*\b{re.escape(value)}\b", html), f"{value!r} shown in English"


def test_the_variants_table_names_each_metric_by_its_label_not_its_id():
    from mopskit.metrics import metric, variants

    html = people_table(variants()).to_html()
    assert ">open_rate<" not in html and f">{metric('open_rate').label}<" in html
    assert "open_rate" in set(variants()["metric"])


def test_the_unit_of_a_metric_reads_in_the_language_and_stays_a_unit_in_the_data():
    from mopskit.i18n import _, language
    from mopskit.metrics import catalog

    with language("th"):
        frame = catalog(family="email")
        html = people_table(frame[["label", "unit"]]).to_html()
        assert f">{_('percent')}<" in html and ">percent<" not in html
    assert set(frame["unit"]) <= {"count", "percent"}
