"""The real CDNOW log is read from the lifetimes wheel's files, without importing lifetimes."""

import subprocess
import sys

import pytest

from mopskit.data import realdata
from mopskit.errors import DataError
from mopskit.metrics import repeat_purchase_rate


def test_cdnow_loads_as_documented_and_lifetimes_is_never_imported():
    code = (
        "import sys; from mopskit.data.realdata import load_cdnow; d = load_cdnow(); "
        "print(len(d), d['customer_id'].nunique(), d['date'].min().date(), d['date'].max().date(), "
        "'lifetimes' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["69659", "23570", "1997-01-01", "1998-06-30", "False"]


def test_cdnow_repeat_purchase_rate():
    assert repeat_purchase_rate(realdata.load_cdnow()) == pytest.approx(48.86, abs=0.01)


def test_without_the_extra_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(realdata, "_DISTRIBUTION", "no-such-distribution-mopskit")
    assert not realdata.cdnow_available()
    with pytest.raises(DataError, match=r"pip install 'mopskit\[realdata\]'"):
        realdata.load_cdnow()


@pytest.mark.skipif(not realdata.cdnow_available(), reason="the CDNOW data is not installed")
def test_cdnow_columns_keep_their_names_for_code_and_show_in_the_trainees_language():
    from mopskit.i18n import language
    from mopskit.present import shown

    with language("th"):
        purchases = realdata.load_cdnow()
    assert purchases.columns.tolist() == ["customer_id", "date", "cds", "amount"]
    assert shown(purchases.head()).columns.tolist() == ["ลูกค้า", "วันที่", "จำนวนซีดี", "ยอดเงิน ($)"]
