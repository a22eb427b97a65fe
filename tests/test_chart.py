from __future__ import annotations

import json
import struct
import warnings
from pathlib import Path

import pytest

from dicoso import chart

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("fixture", ["summary_year.json", "summary_quarter.json"])
def test_chart_draws_every_vietnamese_name(tmp_path, fixture):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = chart.days_chart(load(fixture), tmp_path / "c.png")
    assert out == tmp_path / "c.png"
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    width, height = png_size(out)
    assert width == 1200 and 700 <= height <= 1000  # 6 in at 200 dpi, a row per cadre


def test_font_found_by_path():
    family = chart.chart_font()
    if any(Path(p).exists() for p in chart.FONT_CANDIDATES[:3]):
        assert family == "Liberation Serif"
    else:
        assert family


def test_chart_is_deterministic(tmp_path):
    a = chart.days_chart(load("summary_year.json"), tmp_path / "a.png")
    b = chart.days_chart(load("summary_year.json"), tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()


def test_height_grows_with_cadres(tmp_path):
    summary = load("summary_year.json")
    small = chart.days_chart(summary, tmp_path / "small.png")
    summary["cadres"] = summary["cadres"] * 3  # 36 cadres: still one bar each
    big = chart.days_chart(summary, tmp_path / "big.png")
    assert png_size(big)[1] > 2 * png_size(small)[1]


def test_national_roll_up_becomes_a_histogram_of_fixed_size(tmp_path):
    summary = load("summary_year.json")
    summary["cadres"] = [dict(c, name=f"{c['name']} {i}") for i in range(250) for c in summary["cadres"]]
    png = chart.days_chart(summary, tmp_path / "h.png")
    assert png_size(png)[1] == png_size(chart.days_chart(load("summary_year.json") | {"cadres": summary["cadres"][:100]},
                                                         tmp_path / "h2.png"))[1]
    assert chart.caption(summary) == "Biểu đồ: Phân bố số ngày đi cơ sở của 3.000 cán bộ so với chỉ tiêu"
    assert chart.caption(load("summary_year.json")) == "Biểu đồ: Số ngày đi cơ sở của từng cán bộ so với chỉ tiêu"


def test_no_cadres(tmp_path):
    summary = load("summary_year.json")
    summary["cadres"] = []
    assert chart.days_chart(summary, tmp_path / "e.png").exists()
