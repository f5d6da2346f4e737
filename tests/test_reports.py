import json

import nbformat
import pytest
from babel.messages.pofile import read_po

from mopskit import reports
from mopskit.errors import ParameterError, ReportError


@pytest.fixture
def fixture_reports(files, monkeypatch):
    monkeypatch.setattr(reports, "reports_dir", lambda: files / "reports")


def test_list_reports_shows_parameters_with_types_defaults_and_help():
    [profile] = [r for r in reports.list_reports() if r.name == "dataset_profile"]
    assert profile.title == "Dataset profile"
    assert profile.parameters["dataset"].type == "str"
    assert profile.parameters["dataset"].default == '"mops_tasks_survey"'
    assert "bundled table name" in profile.parameters["dataset"].help


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"days": "14"}, {"days": 14}),
        ({"rate": "0.25", "verbose": "yes"}, {"rate": 0.25, "verbose": True}),
        ({"channels": "email, seo"}, {"channels": ["email", "seo"]}),
        ({"channels": '["a", 1]'}, {"channels": ["a", 1]}),
        ({"extra": '{"k": [1, 2]}'}, {"extra": {"k": [1, 2]}}),
        ({"label": "none"}, {"label": None}),
        ({"label": "Q1"}, {"label": "Q1"}),
        ({"days": 3, "verbose": False}, {"days": 3, "verbose": False}),
    ],
)
def test_values_are_coerced_by_annotated_type(fixture_reports, given, expected):
    assert reports.coerce_parameters(reports.report_info("typed"), given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"chanel": "x"}, "unknown report parameter 'chanel'"),
        ({"days": "seven"}, "'days' must be int (got 'seven')"),
        ({"verbose": "maybe"}, "'verbose' must be bool"),
        ({"start": object()}, "'start' must be str"),
        ({"__import__('os').system('echo hi')": "1"}, "unknown report parameter"),
    ],
)
def test_bad_parameters_are_refused_with_the_valid_list(fixture_reports, given, message):
    with pytest.raises(ParameterError) as info:
        reports.coerce_parameters(reports.report_info("typed"), given)
    text = str(info.value)
    assert message in text
    assert "days (int, default 7): how many days" in text


def test_unknown_report_lists_the_valid_ones():
    with pytest.raises(ParameterError, match=r"unknown report 'nope'; valid: .*dataset_profile"):
        reports.report_info("nope")
    with pytest.raises(ParameterError, match="unknown report"):
        reports.report_info("../00_start_here")


@pytest.mark.slow
def test_parameters_reach_the_kernel_as_plain_values(fixture_reports, tmp_path):
    result = reports.run_report(
        "typed", parameters={"days": "9", "channels": "seo,email", "label": "x'y"}, out_dir=tmp_path
    )
    nb = nbformat.read(str(result.notebook), as_version=4)
    printed = json.loads(nb.cells[-1].outputs[0]["text"])
    assert printed == {
        "start": "2026-01-01",
        "days": 9,
        "rate": 0.5,
        "verbose": False,
        "channels": ["seo", "email"],
        "extra": {},
        "label": "x'y",
    }


@pytest.mark.slow
def test_failing_cell_keeps_the_notebook_and_says_which_cell(fixture_reports, tmp_path):
    with pytest.raises(ReportError) as info:
        reports.run_report("fails", out_dir=tmp_path)
    assert "failed in cell 2: ValueError: boom after 3 rows" in str(info.value)
    assert (tmp_path / "fails.ipynb").exists() and info.value.notebook_path == str(tmp_path / "fails.ipynb")


@pytest.mark.slow
def test_timeout_is_a_failure_even_though_the_notebook_looks_complete(fixture_reports, tmp_path):
    with pytest.raises(ReportError, match="ran longer than 2 s"):
        reports.run_report("slow", parameters={"seconds": 30}, out_dir=tmp_path, timeout=2)
    assert not (tmp_path / "slow.html").exists()


@pytest.mark.slow
def test_dataset_profile_writes_readable_html(tmp_path):
    result = reports.run_report("dataset_profile", parameters={"dataset": "mops_tasks_survey"}, out_dir=tmp_path)
    page = result.html.read_text()
    for expected in (
        "Dataset profile",
        "Profiling the bundled table",
        "share_pct",
        "duplicate rows",
        "data:image/png;base64",
    ):
        assert expected in page
    assert "load_for_profile" not in page, "code is hidden by default"
    shown = reports.run_report("dataset_profile", out_dir=tmp_path, show_code=True, output_name="with_code")
    assert "load_for_profile" in shown.html.read_text()


@pytest.mark.slow
def test_dataset_profile_on_a_users_excel_csv(tmp_path, monkeypatch):
    export = tmp_path / "export.csv"
    export.write_bytes("Name;Spend;Country\r\nCafé;1,5;RO\r\nBar;2,5;\r\n".encode("cp1252"))
    monkeypatch.chdir(tmp_path)
    result = reports.run_report("dataset_profile", parameters={"dataset": "export.csv"}, out_dir=tmp_path / "out")
    page = result.html.read_text()
    assert "Café" in page and "Profiling the file 'export.csv'" in page


def test_a_parameter_papermill_cannot_see_is_an_authoring_error(tmp_path, monkeypatch):
    source = (root_files := tmp_path / "reports") / "bad.ipynb"
    root_files.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("label: str | None = None  # a label")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(source))
    monkeypatch.setattr(reports, "reports_dir", lambda: root_files)
    with pytest.raises(ReportError, match=r"does not see the parameter\(s\) label.*Optional\[str\]"):
        reports.report_info("bad")


@pytest.mark.parametrize("named", ["os:system", "mopskit.profile:check_profile_parameters; x", 3])
def test_a_validator_must_be_a_function_of_the_kit(tmp_path, monkeypatch, named):
    folder = tmp_path / "reports"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("dataset: str = 'x'  # a dataset")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["mopskit"] = {"validate": named}
    nbformat.write(nb, str(folder / "checked.ipynb"))
    monkeypatch.setattr(reports, "reports_dir", lambda: folder)
    with pytest.raises(ReportError, match=r"must name a function of the kit as 'mopskit\.module:function'"):
        reports.report_info("checked")


def test_dataset_profile_values_are_checked_before_a_kernel_starts(monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("no kernel may start for a bad value")

    monkeypatch.setattr(reports, "execute_report", no_kernel)
    with pytest.raises(ParameterError, match="'dataset': 'campains' is neither a bundled table"):
        reports.run_report("dataset_profile", parameters={"dataset": "campains"})
    info = reports.report_info("dataset_profile")
    assert reports.parameter_problems(info, {}) == ({}, []), "the defaults pass"


def test_every_report_takes_a_language_and_refuses_an_unknown_one_before_a_kernel_starts(monkeypatch):
    monkeypatch.setattr(reports, "execute_report", lambda *a, **k: pytest.fail("a kernel started"))
    info = reports.report_info("dataset_profile")
    assert reports.coerce_parameters(info, {"lang": "zh-TW"}) == {"lang": "zh_TW"}
    with pytest.raises(ParameterError, match="'lang' must be one of en, ro, th, zh-TW"):
        reports.run_report("dataset_profile", parameters={"lang": "fr"})
    assert "lang (text, default en)" in reports.valid_parameters(info)


@pytest.mark.parametrize("lang", ["ro", "th", "zh_TW"])
@pytest.mark.parametrize("name", [r.name for r in reports.list_reports()])
def test_a_report_in_a_language_is_rendered_from_its_own_catalog(name, lang):
    """``-p lang=`` renders a report from ``locale/<lang>/reports/<report>.po``: no Markdown cell left in English."""
    source = reports.report_info(name).path
    english = [c.source for c in nbformat.read(str(source), as_version=4).cells if c.cell_type == "markdown"]
    with reports._in_language(source, lang) as rendered:
        shown = [c.source for c in nbformat.read(str(rendered), as_version=4).cells if c.cell_type == "markdown"]
    assert len(shown) == len(english)
    catalog = source.parent.parent / "locale" / lang / "reports" / f"{name}.po"
    with catalog.open("rb") as po:
        same_in_both = {str(m.string) for m in read_po(po) if m.id and m.string == m.id}  # "## Cost" in Romanian
    left = [t for t, e in zip(shown, english, strict=True) if t == e and t.strip() and t not in same_in_both]
    assert left == [], f"{name} in {lang} shows English Markdown: {left}"


@pytest.mark.slow
@pytest.mark.parametrize("name", [r.name for r in reports.list_reports()])
def test_a_report_run_in_the_pseudo_language_shows_no_english(name, tmp_path):
    """Every text of a report goes through a catalog: run in en_XA, no English is left in what it shows."""
    from pseudo_scan import english_left

    result = reports.run_report(name, parameters={"lang": "en_XA"}, out_dir=tmp_path)
    left = english_left(nbformat.read(str(result.notebook), as_version=4))
    assert not left, f"{name} in en_XA shows English (give it to _() or the report's catalog):\n" + "\n".join(left)
    assert "⟦" in result.html.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_report_in_chinese_draws_every_chart_label_with_a_font_that_has_the_glyphs(tmp_path):
    """A report's charts in zh_TW use the language's fonts: matplotlib warns of no missing glyph in any output."""
    result = reports.run_report("stack_audit_report", parameters={"lang": "zh_TW"}, out_dir=tmp_path)
    nb = nbformat.read(str(result.notebook), as_version=4)
    said = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [text for text in said if "missing from font" in text]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.html.read_text(encoding="utf-8"))
