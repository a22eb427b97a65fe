"""The chart is drawn in Times New Roman, found where Windows, macOS and Linux keep it; else in
its metric twin Liberation Serif; else in another font with a note for the clerk."""

from __future__ import annotations

import shutil
from pathlib import Path

from dicoso.render import canvas

from conftest import AS_OF_ARGS, SAMPLES, cli


def fake_font(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(canvas.BUNDLED_FONT, path)  # any TrueType file stands in for the real one
    return path


def test_times_new_roman_is_found_in_the_windows_fonts_folder(tmp_path, monkeypatch):
    windir = tmp_path / "Windows"
    times = fake_font(windir / "Fonts" / "times.ttf")
    found = canvas.font_candidates({"WINDIR": str(windir)}, platform="win32", home=tmp_path)
    assert found[0] == str(times)
    monkeypatch.setattr(canvas, "FONT_CANDIDATES", found)
    assert canvas.chart_font() == str(times) and canvas.font_note(str(times)) is None


def test_times_new_roman_installed_for_one_windows_user_is_found_too(tmp_path, monkeypatch):
    local = tmp_path / "AppData" / "Local"
    times = fake_font(local / "Microsoft" / "Windows" / "Fonts" / "times.ttf")
    found = canvas.font_candidates({"SystemRoot": str(tmp_path / "Windows"), "LOCALAPPDATA": str(local)},
                                   platform="win32", home=tmp_path)
    monkeypatch.setattr(canvas, "FONT_CANDIDATES", found)
    assert canvas.chart_font() == str(times)


def test_macos_current_and_older_font_folders_come_before_any_other_font(tmp_path):
    found = canvas.font_candidates({}, platform="darwin", home=tmp_path)
    assert found[:3] == ["/System/Library/Fonts/Supplemental/Times New Roman.ttf", "/Library/Fonts/Times New Roman.ttf",
                         str(tmp_path / "Library" / "Fonts" / "Times New Roman.ttf")]


def test_on_linux_times_new_roman_comes_before_its_metric_twin(tmp_path):
    found = canvas.font_candidates({}, platform="linux", home=tmp_path)
    first_liberation = next(i for i, p in enumerate(found) if "Liberation" in p)
    assert [Path(p).stem for p in found[:first_liberation]] == \
        ["Times_New_Roman", "times", "times", "times", "times", "times"]
    assert canvas.font_note(found[first_liberation]) is None  # metric-compatible: no note


def test_without_times_new_roman_the_clerk_is_told_which_font_the_chart_uses(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(canvas, "FONT_CANDIDATES", [str(tmp_path / "nowhere" / "times.ttf")])
    drop = tmp_path / "Sổ"
    drop.mkdir()
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", drop)
    shutil.copytree(SAMPLES / "Ban XDD", drop / "Ban XDD")
    code, out, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "Kết quả")
    assert code == 0
    assert ("Máy không có phông Times New Roman nên biểu đồ được vẽ bằng phông DejaVu Sans; cài phông Times New "
            "Roman để biểu đồ cùng phông với báo cáo.") in out
