"""Batch reports: one report, many parameter sets, run in parallel, resumable, with an index page.

A batch is a CSV or YAML file with one parameter set per row (an optional ``run`` column names each run).
Every row is checked before any kernel starts. Each run gets a folder under the output folder holding the
executed notebook, the HTML page and ``run.json`` (parameters, fingerprint, status, duration, error), written
last, so a run killed halfway never passes for finished. Running the same batch again skips every run whose
report notebook and parameters are unchanged and whose outputs are there (unless ``force``), so a stopped
batch picks up where it stopped. The batch writes ``index.html`` (every run, its status, duration,
parameters, error) and ``summary.json`` beside the run folders.

The runs go through :mod:`mopskit.executor`: a local process pool, or a Dask cluster. Workers send the
notebook and HTML back as bytes and this process writes them, so a cluster needs no shared disk for outputs.
"""

from __future__ import annotations

from ._batch import run_batch
from ._results import BatchResult, RunRecord
from ._runs import plan_runs, read_runs

__all__ = ["BatchResult", "RunRecord", "plan_runs", "read_runs", "run_batch"]
