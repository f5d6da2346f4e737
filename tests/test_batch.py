import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from mopskit import executor
from mopskit.batch import BatchResult, RunRecord, plan_runs, read_runs, run_batch
from mopskit.batch._index import render_index, summary_data
from mopskit.cli import main
from mopskit.errors import ParameterError
from mopskit.reports import report_info


@pytest.fixture
def typed(files):
    return str(files / "reports" / "typed.ipynb")


@pytest.fixture
def no_kernels(monkeypatch):
    """Fail the test if anything is sent to run."""

    def refuse(*args, **kwargs):
        raise AssertionError("nothing may run before every row is checked")

    monkeypatch.setattr(executor, "run_all", refuse)


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("runs.csv", "run,dataset\nq1,campaigns\n", [("row 2", {"run": "q1", "dataset": "campaigns"})]),
        ("runs.csv", "\ufeffrun;days\r\nnorth;3\r\n", [("row 2", {"run": "north", "days": "3"})]),
        ("runs.csv", "run;label\r\nCafé;x\r\n".encode("cp1252"), [("row 2", {"run": "Café", "label": "x"})]),
        (
            "runs.csv",
            "run,days,label\na,,x\n\nb,4,\n",
            [("row 2", {"run": "a", "label": "x"}), ("row 4", {"run": "b", "days": "4"})],
        ),
        ("runs.csv", 'run,channels\na,"email, seo"\n', [("row 2", {"run": "a", "channels": "email, seo"})]),
        (
            "runs.yaml",
            "- dataset: campaigns\n- {run: x, days: 3}\n",
            [("item 1", {"dataset": "campaigns"}), ("item 2", {"run": "x", "days": 3})],
        ),
        (
            "runs.yml",
            "north: {days: 3}\nsouth:\n",
            [("item 1", {"run": "north", "days": 3}), ("item 2", {"run": "south"})],
        ),
    ],
)
def test_read_runs_accepts_csv_from_excel_and_yaml(tmp_path, name, data, expected):
    assert read_runs(_write(tmp_path / name, data)) == expected


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("runs.csv", "", "the file is empty"),
        ("runs.csv", "run,days\na,1,2\n", "row 2 has 3 cells but the header has 2"),
        ("runs.csv", "run,,days\na,1,2\n", "row 1 must name each column once"),
        ("runs.csv", "run,days,run\na,1,b\n", "row 1 must name each column once"),
        ("runs.csv", b"PK\x03\x04rest", "this is an Excel workbook"),
        ("runs.json", "[]", "use a .csv or .yaml file (got '.json')"),
        ("runs.yaml", "just text", "expected a list of runs"),
        ("runs.yaml", "- [1, 2]\n", "item 1 must be a mapping"),
        ("runs.yaml", "- a: [\n", "not readable as YAML"),
    ],
)
def test_unreadable_batch_files_are_clear_errors(tmp_path, name, data, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        read_runs(_write(tmp_path / name, data))


def test_a_missing_batch_file_says_where_it_looked(tmp_path):
    with pytest.raises(ParameterError, match=r"batch file '.*nope\.csv' not found"):
        read_runs(tmp_path / "nope.csv")


def test_every_bad_row_is_listed_at_once_and_nothing_runs(tmp_path, typed, no_kernels, capsys):
    runs = _write(tmp_path / "runs.csv", "run,days,rate\nok,3,0.1\nbad1,seven,0.1\nbad2,3,fast\nok2,4,\n")
    assert main(["report", typed, "--batch", str(runs), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "batch for report 'typed': 2 problem(s), nothing was run" in err
    assert "row 3: 'days' must be int (got 'seven')" in err
    assert "row 4: 'rate' must be float (got 'fast')" in err
    assert "days (int, default 7): how many days" in err, "the valid parameters are listed"
    assert not (tmp_path / "out").exists()


def test_values_the_report_refuses_are_listed_before_any_kernel_starts(tmp_path, no_kernels, capsys):
    runs = _write(tmp_path / "runs.csv", "dataset,table\ncampaigns,\ncampains,\nnofile.csv,contacts\nbudget,budgets\n")
    assert main(["report", "dataset_profile", "--batch", str(runs), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "3 problem(s), nothing was run" in err
    assert "row 3: 'dataset': 'campains' is neither a bundled table nor a file path" in err
    assert "row 4: 'dataset': no such file 'nofile.csv'" in err
    assert "row 5: 'table' must be one of the kit's tables (got 'budgets')" in err


def test_unknown_parameters_and_duplicate_names_are_listed_with_their_rows(typed):
    rows = [
        ("row 2", {"run": "North", "chanel": "email"}),
        ("row 3", {"run": "north"}),
        ("row 4", {"run": "index.html"}),
        ("row 5", {"run": "!!!"}),
    ]
    with pytest.raises(ParameterError) as info:
        plan_runs(report_info(typed), rows)
    text = str(info.value)
    assert "row 2: unknown report parameter 'chanel'" in text
    assert "row 2 and row 3: the run name 'north' is used 2 times" in text
    assert "row 4: the run name 'index.html' is taken by the batch's own index.html" in text
    assert "row 5: the run name '!!!' has no letter or digit" in text


def test_run_names_are_safe_folder_names_and_shared_values_apply_to_every_row(typed):
    rows = [("row 2", {"run": "EMEA / North: Q1"}), ("row 3", {"days": "9", "label": "Q2"}), ("row 4", {})]
    planned = plan_runs(report_info(typed), rows, shared={"days": "5"})
    assert [p.name for p in planned] == ["EMEA-North-Q1", "002-9-Q2", "003"]
    assert [p.parameters for p in planned] == [{"days": 5}, {"days": 9, "label": "Q2"}, {"days": 5}]


def test_an_empty_batch_is_refused(tmp_path, typed):
    with pytest.raises(ParameterError, match="the batch has no runs"):
        run_batch(typed, _write(tmp_path / "runs.csv", "run,days\n"), out_dir=tmp_path)


@pytest.mark.parametrize("flag", [["--workers", "2"], ["--scheduler", "tcp://x:1"], ["--force"]])
def test_batch_flags_need_a_batch(flag, capsys):
    assert main(["report", "dataset_profile", *flag]) == 1
    assert "only apply to batch runs: add --batch RUNS.csv" in capsys.readouterr().err


def test_a_report_notebook_given_by_path(typed, tmp_path):
    assert report_info(typed).name == "typed"
    with pytest.raises(ParameterError, match=r"report notebook 'nope\.ipynb' not found"):
        report_info("nope.ipynb")


def _result(tmp_path: Path) -> BatchResult:
    ok = RunRecord("north", "ok", {"days": 3}, 2.5, None, tmp_path / "north", None, tmp_path / "north" / "r.html")
    bad = RunRecord(
        "a b<script>",
        "failed",
        {"label": "<b>x</b>"},
        1.0,
        "ValueError: <img src=x>\nmore",
        tmp_path / "a b<script>",
        tmp_path / "a b<script>" / "r.ipynb",
    )
    kept = RunRecord("south", "skipped", {}, 4.0, None, tmp_path / "south", None, tmp_path / "south" / "r.html")
    left = RunRecord("west", "not run", {"days": 1}, None, None, tmp_path / "west")
    return BatchResult("typed", "Typed & tested", tmp_path, [ok, bad, kept, left], 9.0)


def test_index_escapes_everything_links_relatively_and_needs_no_network(tmp_path):
    page = render_index(_result(tmp_path))
    assert "<script>" not in page.split("</style>", 1)[1] and "<img" not in page
    assert "a b&lt;script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert '<a href="north/r.html">north</a>' in page
    assert '<a href="a%20b%3Cscript%3E/r.ipynb">notebook</a>' in page
    assert re.search(
        r'class="status not-run" title="the batch was stopped before this run finished[^"]*">not run<', page
    )
    assert "Typed &amp; tested: batch of 4 runs" in page
    assert "1 ok, 1 failed, 1 skipped, 1 not run" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the page must open offline"


def test_summary_lists_every_run_with_relative_paths(tmp_path):
    summary = summary_data(_result(tmp_path))
    assert summary["ok"] is False
    assert summary["counts"] == {"ok": 1, "failed": 1, "skipped": 1, "not run": 1}
    assert summary["runs"][0] == {
        "run": "north",
        "status": "ok",
        "seconds": 2.5,
        "parameters": {"days": 3},
        "error": None,
        "html": "north/r.html",
        "notebook": None,
    }
    assert summary["runs"][1]["notebook"] == "a b<script>/r.ipynb"


# --- real runs ---------------------------------------------------------------------------------------------------


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def _statuses(out: Path) -> dict[str, str]:
    return {run["run"]: run["status"] for run in _summary(out)["runs"]}


def _finished(out: Path) -> dict[str, str]:
    return {p.parent.name: json.loads(p.read_text())["finished"] for p in out.glob("*/run.json")}


@pytest.fixture(scope="module")
def profile_batch(tmp_path_factory):
    """dataset_profile over two bundled tables and one name that is not a table, with 2 local workers."""
    folder = tmp_path_factory.mktemp("profile")
    empty = _write(folder / "empty.csv", "")  # passes the checks before the run, fails in the kernel
    runs = _write(folder / "runs.csv", f"run,dataset\ncampaigns,campaigns\nstack,martech_stack\nempty,{empty}\n")
    code = main(
        ["report", "dataset_profile", "--batch", str(runs), "--workers", "2", "--out", str(folder / "local"), "-q"]
    )
    return folder, runs, code


@pytest.mark.slow
def test_batch_writes_every_run_an_index_and_a_summary_and_fails_for_a_failed_run(profile_batch):
    folder, _runs, code = profile_batch
    out = folder / "local"
    assert code == 1, "a failed run makes the exit status non-zero"
    assert _statuses(out) == {"campaigns": "ok", "stack": "ok", "empty": "failed"}
    page = (out / "campaigns" / "dataset_profile.html").read_text()
    assert "Profiling the bundled table 'campaigns'" in page and "data:image/png;base64" in page
    failed = json.loads((out / "empty" / "run.json").read_text())
    assert failed["status"] == "failed" and "DataError: empty.csv: the file is empty" in failed["error"]
    kept = out / "empty" / "dataset_profile.ipynb"
    assert str(kept) in failed["error"], "the error points at the kept notebook"
    assert kept.exists() and not (out / "empty" / "dataset_profile.html").exists()
    index = (out / "index.html").read_text()
    assert '<a href="campaigns/dataset_profile.html">campaigns</a>' in index
    assert re.search(r'class="status failed" title="[^"]+">failed<', index) and "the file is empty" in index
    assert "<code>dataset</code> = <code>&quot;martech_stack&quot;</code>" in index


def _same_page(html: str) -> str:
    return re.sub(r'id="cell-id=[0-9a-f-]+"', "", html)  # papermill's injected cell gets a random id


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_outputs(profile_batch, capsys):
    from distributed import LocalCluster

    folder, runs, _code = profile_batch
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        code = main(
            [
                "report",
                "dataset_profile",
                "--batch",
                str(runs),
                "--scheduler",
                cluster.scheduler_address,
                "--out",
                str(folder / "dask"),
                "-q",
            ]
        )
    assert code == 1
    assert _statuses(folder / "dask") == _statuses(folder / "local")
    for run in ("campaigns", "stack"):
        local, dask = (folder / where / run / "dataset_profile.html" for where in ("local", "dask"))
        assert _same_page(dask.read_text()) == _same_page(local.read_text())
    assert "index:   " + str(folder / "dask" / "index.html") in capsys.readouterr().out


@pytest.mark.slow
def test_rerun_skips_what_is_done_and_redoes_what_changed(tmp_path, files):
    report = tmp_path / "typed.ipynb"
    report.write_bytes((files / "reports" / "typed.ipynb").read_bytes())
    runs = [{"run": "a", "days": 1}, {"run": "b", "days": 2}]
    out = tmp_path / "out"
    first = run_batch(str(report), runs, out_dir=out, workers=2, progress=False)
    assert [r.status for r in first.runs] == ["ok", "ok"]
    stamps = _finished(out)

    again = run_batch(str(report), runs, out_dir=out, workers=2, progress=False)
    assert [r.status for r in again.runs] == ["skipped", "skipped"] and _finished(out) == stamps

    changed = run_batch(str(report), [runs[0], {"run": "b", "days": 3}], out_dir=out, workers=2, progress=False)
    assert [r.status for r in changed.runs] == ["skipped", "ok"]
    assert _finished(out)["a"] == stamps["a"] and _finished(out)["b"] != stamps["b"]

    forced = run_batch(str(report), runs, out_dir=out, workers=2, progress=False, force=True)
    assert [r.status for r in forced.runs] == ["ok", "ok"] and _finished(out)["a"] != stamps["a"]

    record = json.loads((out / "a" / "run.json").read_text())
    (out / "a" / "run.json").write_text(json.dumps({**record, "status": "failed"}))
    (out / "b" / "typed.html").unlink()
    report.write_text(report.read_text().replace("how many days", "how many days long"))
    rerun = run_batch(str(report), runs, out_dir=out, workers=2, progress=False)
    assert [r.status for r in rerun.runs] == ["ok", "ok"], "a failed run, a lost page, an edited report: all redone"


@pytest.mark.slow
def test_a_run_past_its_time_limit_is_recorded_and_the_others_finish(tmp_path, files):
    result = run_batch(
        str(files / "reports" / "slow.ipynb"),
        [{"run": "quick", "seconds": 0.1}, {"run": "stuck", "seconds": 60}],
        out_dir=tmp_path,
        timeout=2,
        workers=2,
        progress=False,
    )
    quick, stuck = result.runs
    assert quick.status == "ok" and stuck.status == "failed"
    assert "a cell ran longer than 2 s" in stuck.error and stuck.notebook.exists()
    assert not result.ok and "failed: stuck: report 'slow' stopped" in result.describe()


def _family(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _command_line(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def _running(procs: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except psutil.NoSuchProcess:
            pass
    return alive


def _marked(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("MOPSKIT_TEST_MARKER") == marker and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.Error:
            continue
    return found


@pytest.mark.slow
def test_ctrl_c_stops_every_kernel_and_a_rerun_does_only_what_is_left(tmp_path, files):
    report = str(files / "reports" / "gated.ipynb")
    gate = tmp_path / "gate"  # runs 3-6 wait for this file: they are running when Ctrl+C comes
    runs = _write(tmp_path / "runs.csv", "run,gate\none,\ntwo,\n" + "".join(f"w{i},{gate}\n" for i in range(4)))
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "mopskit",
        "report",
        report,
        "--batch",
        str(runs),
        "--workers",
        "2",
        "--out",
        str(out),
        "-q",
    ]
    marker = uuid.uuid4().hex
    batch = subprocess.Popen(
        command,
        start_new_session=True,  # its own process group, like a command typed in a terminal
        env={**os.environ, "MOPSKIT_TEST_MARKER": marker},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        kernels: list[psutil.Process] = []
        while time.monotonic() < deadline:
            family = _family(batch.pid)
            kernels = [p for p in family if "ipykernel_launcher" in _command_line(p)]
            if len(list(out.glob("*/run.json"))) == 2 and len(kernels) == 2:
                break
            time.sleep(0.05)
        assert len(kernels) == 2, "two waiting kernels should be running when Ctrl+C comes"
        kernel_files = [f for k in kernels for f in executor._jupyter_files(k)]
        assert len(kernel_files) == 2 * 6, "each kernel: a connection file and five sockets"
        os.killpg(batch.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
        _stdout, stderr = batch.communicate(timeout=30)  # the waiting kernels would hold it for 120 s
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 130, stderr
    assert "stopped; every kernel was shut down" in stderr and "Traceback" not in stderr
    psutil.wait_procs(family, timeout=5)  # multiprocessing's resource tracker may take a moment to notice
    assert not _running(family), "a worker or kernel of the stopped batch is still running"
    assert not _marked(marker), "a process started by the batch is still running"
    assert not [f for f in kernel_files if os.path.exists(f)], "a stopped kernel's files were left behind"
    assert _statuses(out) == {
        "one": "ok",
        "two": "ok",
        "w0": "not run",
        "w1": "not run",
        "w2": "not run",
        "w3": "not run",
    }
    stamps = _finished(out)

    gate.touch()
    assert main(["report", report, "--batch", str(runs), "--workers", "2", "--out", str(out), "-q"]) == 0
    assert _statuses(out) == {"one": "skipped", "two": "skipped", "w0": "ok", "w1": "ok", "w2": "ok", "w3": "ok"}
    assert all(_finished(out)[name] == stamps[name] for name in ("one", "two")), "finished runs were not run again"


def test_a_scheduler_without_the_dask_extra_is_one_clear_line(tmp_path, typed, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    runs = _write(tmp_path / "runs.csv", "days\n1\n")
    command = ["report", typed, "--batch", str(runs), "--scheduler", "tcp://127.0.0.1:8786", "--out", str(tmp_path)]
    assert main(command) == 1
    err = capsys.readouterr().err
    assert "needs the 'distributed' package, an optional extra: pip install 'mopskit[dask]'" in err
    assert "Traceback" not in err and not (tmp_path / "index.html").exists()
