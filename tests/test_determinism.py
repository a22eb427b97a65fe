"""Same inputs and options, same bytes: every output of a run is reproducible.

A re-run after a correction must differ only where the data did, so that the
clerk (and `diff`) can trust "what changed". The manifest holds neither the
output path nor the clock.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF_ARGS, ROOT, SAMPLES, cli, files


def run(capsys, *args) -> None:
    code, _, err = cli(capsys, *args)
    assert code == 0, err


@pytest.fixture(scope="module")
def drop(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("determinism") / "Sổ đi cơ sở 2020"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.mark.parametrize("period", [["--year", "2020"], ["--month", "2020-04"]])
def test_two_runs_into_two_folders_give_identical_bytes(drop, tmp_path, capsys, period):
    a, b = tmp_path / "Lần 1", tmp_path / "lần 2" / "Kết quả"
    run(capsys, drop, *period, *AS_OF_ARGS, "--out", a)
    run(capsys, drop, *period, *AS_OF_ARGS, "--out", b)
    first, second = files(a), files(b)
    assert sorted(first) == sorted(second) and len(first) == 6
    assert [name for name in first if first[name] != second[name]] == []


def test_manifest_holds_no_output_path_and_no_clock(drop, tmp_path, capsys):
    out = tmp_path / "Kết quả năm"
    run(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert str(out) not in text and str(tmp_path) + "/Kết" not in text
    assert date.today().isoformat() not in text  # only the as-of date, never the day of the run


def test_rerun_into_the_same_folder_gives_the_same_bytes_as_the_run_it_replaced(drop, tmp_path, capsys):
    out = tmp_path / "out"
    run(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    run(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    [history] = (out / "lich-su").iterdir()
    assert files(out) == files(history)  # the workbook's "Thay đổi" sheet included


def test_outputs_do_not_depend_on_where_the_drop_folder_is(drop, tmp_path, capsys):
    elsewhere = tmp_path / "Ổ mạng" / "Sổ đi cơ sở 2020"
    shutil.copytree(drop, elsewhere)
    run(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "a")
    run(capsys, elsewhere, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert [name for name in first if first[name] != second[name]] == ["manifest.json"]
    m1, m2 = (json.loads(x["manifest.json"]) for x in (first, second))
    assert m1["options"].pop("input_dir") != m2["options"].pop("input_dir")
    assert m1 == m2


def test_the_working_folder_changes_no_byte(drop, tmp_path, capsys, monkeypatch):
    """Run from the project, and from its rules/ folder with the same rule set named relative to it:
    the paths written down (rule set, templates, drop folder) are the same, so are the bytes."""
    monkeypatch.chdir(ROOT)
    run(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--rules", "rules/vinh-phuc-2020.yaml", "--out", tmp_path / "a")
    monkeypatch.chdir(ROOT / "rules")
    run(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--rules", "vinh-phuc-2020.yaml", "--out", tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert sorted(first) == sorted(second) and [name for name in first if first[name] != second[name]] == []
    manifest = json.loads(first["manifest.json"])
    assert manifest["rules"]["file"] == "rules/vinh-phuc-2020.yaml" and manifest["rules"]["sha256"]
    assert manifest["options"]["rules"] == "rules/vinh-phuc-2020.yaml"
