"""Committed notebooks carry no outputs or execution counts (cells tagged nbval-* may keep expected output)."""

import json

import pytest
from conftest import ROOT

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_there_are_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"].get("kernelspec"), "papermill needs the kernelspec"
    assert nb["metadata"].get("language_info"), "papermill needs language_info"
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or any("nbval" in t for t in cell.get("metadata", {}).get("tags", [])):
            continue
        assert cell["execution_count"] is None, f"cell {index} has an execution count"
        assert cell["outputs"] == [], f"cell {index} has outputs"
