"""Dataset variants and where load() reads: the context, the environment, the marker, the lesson's scenario."""

from __future__ import annotations

import filecmp

import pytest

from mopskit.assess import start_lesson
from mopskit.data import load
from mopskit.data.variant import build_variant, cached_variant, data_dir, scenario_dir, use_variant, write_marker
from mopskit.errors import DataError


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    base = tmp_path_factory.mktemp("variants")
    return {
        "a": build_variant(base / "a", seed=11),
        "a_again": build_variant(base / "a_again", seed=11),
        "b": build_variant(base / "b", seed=12),
    }


def test_same_seed_same_files_other_seed_other_data(variants):
    same = filecmp.dircmp(variants["a"], variants["a_again"])
    assert not same.diff_files and not same.left_only
    with use_variant(variants["a"]):
        a_campaigns, a_stack = load("campaigns"), load("martech_stack")
    with use_variant(variants["b"]):
        b_campaigns, b_stack = load("campaigns"), load("martech_stack")
    assert len(a_campaigns) != len(b_campaigns) or not a_campaigns.equals(b_campaigns)
    assert not a_stack["annual_cost"].equals(b_stack["annual_cost"]), "the stack's figures vary too"
    assert a_stack["tool"].tolist() == b_stack["tool"].tolist()


def _bands(stack):
    share = stack["active_users"] / stack["seats"].where(stack["seats"] > 0)
    return [None if s != s else (s < 0.3) + (s < 0.5) for s in share]


def test_a_variant_keeps_what_the_lessons_say_about_the_stack(variants):
    from mopskit._resources import datasets_dir

    with use_variant(variants["b"]):
        stack = load("martech_stack")  # validated: active users never exceed seats
    with use_variant(datasets_dir()):
        bundled = load("martech_stack")
    assert stack["owner"].isna().equals(bundled["owner"].isna())
    assert _bands(stack) == _bands(bundled), "idle, half-used and busy tools stay so"
    assert not stack["active_users"].equals(bundled["active_users"]), "with other numbers"
    by_cost = stack.sort_values("annual_cost", kind="stable")["tool"].tolist()
    assert by_cost == bundled.sort_values("annual_cost", kind="stable")["tool"].tolist()


def test_resolution_order_context_then_env_then_marker_then_bundled(variants, tmp_path, monkeypatch):
    from mopskit._resources import datasets_dir

    monkeypatch.delenv("MOPSKIT_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    start_lesson("05_metrics")
    assert data_dir() == datasets_dir()
    (tmp_path / "data" / "05_metrics").mkdir(parents=True)
    for f in variants["a"].glob("*.csv"):
        (tmp_path / "data" / "05_metrics" / f.name).write_bytes(f.read_bytes())
    write_marker(tmp_path, trainee="ana", lessons={"05_metrics": {"seed": 11, "data": "data/05_metrics"}})
    assert data_dir() == (tmp_path / "data" / "05_metrics").resolve()
    start_lesson("04_smart_goals")
    assert data_dir() == datasets_dir(), "a lesson the marker does not name reads the bundled data"
    monkeypatch.setenv("MOPSKIT_DATA_DIR", str(variants["b"]))
    assert data_dir() == variants["b"]
    with use_variant(variants["a"]):
        assert data_dir() == variants["a"]
    assert data_dir() == variants["b"]


def test_a_broken_marker_is_ignored(tmp_path, monkeypatch):
    from mopskit._resources import datasets_dir

    monkeypatch.delenv("MOPSKIT_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".mopskit").mkdir()
    (tmp_path / ".mopskit" / "variant.json").write_text("{not json")
    start_lesson("05_metrics")
    assert data_dir() == datasets_dir()


def test_use_variant_refuses_a_folder_that_is_not_one(tmp_path):
    with pytest.raises(DataError, match="is not a dataset variant"), use_variant(tmp_path):
        pass


def test_a_missing_table_in_a_variant_names_the_folder(variants, tmp_path):
    (tmp_path / "campaigns.csv").write_bytes((variants["a"] / "campaigns.csv").read_bytes())
    with use_variant(tmp_path), pytest.raises(DataError, match=r"'contacts' is not in .*; there: campaigns"):
        load("contacts")


CAPSTONE_PEOPLE = ["Mara Lind", "Tomás Reyes", "Aiko Sato", "Femi Adeyemi"]


def test_the_capstone_scenario_is_generated_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOPSKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MOPSKIT_DATA_DIR", raising=False)
    folder = scenario_dir("10_final_assessment")
    assert folder.is_relative_to(tmp_path) and (folder / ".complete").is_file()
    stamp = (folder / "campaigns.csv").stat().st_mtime_ns
    assert cached_variant(7707, stack="capstone_stack", owners=CAPSTONE_PEOPLE) == folder
    assert (folder / "campaigns.csv").stat().st_mtime_ns == stamp, "built once, then taken from the cache"
    start_lesson("10_final_assessment")
    assert data_dir() == folder
    with pytest.raises(DataError, match="has no scenario of its own"):
        scenario_dir("00_start_here")
    with use_variant(folder):
        assert "Marketo Engage" in set(load("martech_stack")["tool"]), "the capstone company's own inventory"
        assert set(load("campaigns")["owner"]) <= set(CAPSTONE_PEOPLE), "and its own people"
