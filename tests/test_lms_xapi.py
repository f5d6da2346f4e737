"""xAPI statements from the gradebook: ADL verbs, scores, mastery, and ids that are the same every time."""

from __future__ import annotations

import pytest
from lms_helpers import make_gradebook

from mopskit.assess import Gradebook
from mopskit.facts import case_package
from mopskit.lms import mastery_statements, statements


@pytest.fixture
def gradebook(tmp_path):
    return make_gradebook(tmp_path / "gb.sqlite")


def _by(made, trainee, assignment, verb):
    return [
        s
        for s in made
        if s["object"]["id"].endswith(assignment)
        and s["verb"]["display"]["en-US"] == verb
        and (
            s["actor"].get("mbox", "").startswith(f"mailto:{trainee}@")
            or s["actor"].get("account", {}).get("name") == trainee
        )
    ]


def test_completed_scored_and_passed_or_failed_per_latest_grade(gradebook):
    made = statements(gradebook)
    assert len(made) == 3 * 5, "three statements for each of the five graded submissions"
    [scored] = _by(made, "bo", "10_final_assessment", "scored")
    assert scored["result"]["score"] == {"raw": 4.0, "min": 0, "max": 6.0, "scaled": 0.6667}
    assert scored["verb"]["id"] == "http://adlnet.gov/expapi/verbs/scored"
    assert scored["context"]["extensions"] == {
        "urn:mopskit:extension:attempt": 1,
        "urn:mopskit:extension:variant": 4242,
    }
    assert scored["timestamp"] == "2026-03-16T14:30:00+00:00"
    assert _by(made, "bo", "10_final_assessment", "failed")[0]["result"] == {"success": False}
    assert _by(made, "ana", "05_metrics", "passed")[0]["result"] == {"success": True}
    assert _by(made, "ana", "05_metrics", "completed")[0]["result"] == {"completion": True}
    [cy] = _by(made, "cy", "05_metrics", "completed")
    assert cy["actor"] == {
        "objectType": "Agent",
        "name": "cy",
        "account": {"homePage": "https://mopskit.invalid", "name": "cy"},
    }
    assert _by(statements(gradebook, pass_mark=0.5), "bo", "10_final_assessment", "passed")


def test_the_same_gradebook_gives_the_same_ids_and_a_changed_grade_a_new_scored_statement(gradebook):
    first = {s["id"]: s for s in statements(gradebook)}
    assert first == {s["id"]: s for s in statements(gradebook)}
    assert len(first) == 15, "every id distinct"
    with Gradebook(gradebook) as book:
        book.adjust(trainee="ana", assignment="10_final_assessment", delta=-0.5, reason="late", author="lead")
    again = {s["id"]: s for s in statements(gradebook)}
    changed = set(again) - set(first)
    assert [again[i]["verb"]["display"]["en-US"] for i in sorted(changed)] == ["scored"], "still passed: same"
    assert len(set(first) - set(again)) == 1, "the old score is no longer stated (what was sent stays sent)"
    url = statements(gradebook, base="https://lms.example.org/mopskit")[0]["object"]["id"]
    assert url.startswith("https://lms.example.org/mopskit/assignment/")


def test_a_mastered_statement_per_competency_mastered_naming_the_case_item(gradebook):
    made = mastery_statements(gradebook, as_of="2026-03-20")
    assert [(s["actor"]["mbox"], s["object"]["definition"]["name"]["en-US"]) for s in made] == [
        ("mailto:ana@example.org", "Compute email metrics")
    ], "Ana: email metrics at the bar on the sample company's data and on Larkspur's"
    [statement] = made
    uris = {item["uri"] for item in case_package()["CFItems"]}
    assert statement["object"]["id"] in uris
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/mastered"
    assert statement["result"]["extensions"]["urn:mopskit:extension:data-sets"] == 2
    assert mastery_statements(gradebook, as_of="2026-03-20")[0]["id"] == statement["id"]
    assert mastery_statements(gradebook, as_of="2026-09-01") == [], "mastery decays: nothing asserted then"
