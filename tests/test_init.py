import subprocess
import sys
import types

import mopskit
from mopskit import errors


def test_all_is_sorted_and_matches_public_names():
    assert mopskit.__all__ == sorted(mopskit.__all__)
    public = {
        n for n in dir(mopskit) if not n.startswith("_") and not isinstance(getattr(mopskit, n), types.ModuleType)
    } - {"annotations", "Any"}
    public |= {"__version__", "setup_notebook"}
    assert set(mopskit.__all__) == public
    for name in mopskit.__all__:
        assert getattr(mopskit, name) is not None


def test_import_is_light_and_changes_nothing_global():
    code = (
        "import sys, warnings; before = list(warnings.filters); import mopskit; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets', 'papermill', 'IPython') if m in sys.modules]; "
        "assert not heavy, heavy; assert warnings.filters == before; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "ok", out.stderr


def test_every_error_is_a_mopskit_error():
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.MopskitError)
    assert issubclass(mopskit.DataError, ValueError)
