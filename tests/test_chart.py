from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from dicoso.render import canvas, chart

from conftest import HERE, ROOT

FIXTURES = HERE / "fixtures"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def png_chunks(path: Path) -> list[str]:
    data, at, kinds = path.read_bytes(), 8, []
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        kinds.append(kind.decode("ascii"))
        at += 12 + length
    return kinds


def drawn_texts(summary: dict) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Every text drawn on the chart, in drawing order, with its box in pixels."""
    return chart.draw(summary).texts


def texts(summary: dict) -> dict[str, tuple[int, int, int, int]]:
    """The texts drawn on the chart and their boxes (a text drawn twice: its last box)."""
    return dict(drawn_texts(summary))


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def rgb_at(image: Image.Image, x: int, y: int) -> str:
    return "#%02x%02x%02x" % image.convert("RGB").getpixel((x, y))


def big_roll_up(copies: int) -> dict:
    summary = load("summary_year.json")
    summary["cadres"] = [dict(c, name=f"{c['name']} {i}") for i in range(copies) for c in summary["cadres"]]
    return summary


@pytest.mark.parametrize("fixture", ["summary_year.json", "summary_quarter.json"])
def test_chart_draws_every_vietnamese_name(tmp_path, fixture):
    summary = load(fixture)
    out = chart.days_chart(summary, tmp_path / "c.png")
    assert out == tmp_path / "c.png"
    assert chart.draw(summary).missing == set()
    width, height = png_size(out)
    assert width == 1200 and 700 <= height <= 1000  # 6 in at 200 dpi, a row per cadre
    drawn = texts(summary)
    for cadre in summary["cadres"]:
        left, top, right, bottom = drawn[cadre["name"]]
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, cadre["name"]
    boxes = [box for _, box in drawn_texts(summary)]  # names, values, ticks, legend: none overlap
    assert [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlaps(a, b)] == []


def test_legend_and_axis_texts():
    year, quarter = texts(load("summary_year.json")), texts(load("summary_quarter.json"))
    assert {"Đạt chỉ tiêu", "Chưa đạt chỉ tiêu", "Chỉ tiêu 60 ngày", "Chỉ tiêu riêng", "Số ngày đi cơ sở"} <= set(year)
    assert {"Đúng tiến độ", "Chậm tiến độ", "Chỉ tiêu 60 ngày", "Chỉ tiêu riêng"} <= set(quarter)
    names = [year[c["name"]] for c in load("summary_year.json")["cadres"]]
    under_the_names = [t for t, box in drawn_texts(load("summary_year.json")) if box[1] > max(b[3] for b in names)]
    assert under_the_names == ["0", "10", "20", "30", "40", "50", "60", "70", "Số ngày đi cơ sở"]  # nice ticks
    assert max(year[t][3] for t in ["Đạt chỉ tiêu", "Chỉ tiêu riêng"]) < min(b[1] for b in names)  # legend above


def test_no_own_quota_no_quota_line_entries():
    summary = load("summary_year.json")
    summary["quota"] = 0
    for c in summary["cadres"]:
        c["quota"] = 0
    assert not {"Chỉ tiêu riêng", "Chỉ tiêu 0 ngày"} & set(texts(summary))


@pytest.mark.parametrize("fixture, short", [
    ("summary_year.json", {"Trần Thị Thu Hà", "Hoàng Thị Lan Anh"}),  # not met
    ("summary_quarter.json", {"Trần Thị Thu Hà", "Lê Minh Tuấn", "Nguyễn Thị Thủy", "Hoàng Thị Lan Anh"}),  # at risk
])
def test_bar_colours(tmp_path, fixture, short):
    summary = load(fixture)
    image = Image.open(chart.days_chart(summary, tmp_path / "c.png"))
    drawn = texts(summary)
    for cadre in summary["cadres"]:
        _, top, right, bottom = drawn[cadre["name"]]
        colour = rgb_at(image, right + 60, (top + bottom) // 2)  # just right of the y axis
        assert colour == (chart.SHORT_COLOUR if cadre["name"] in short else chart.MET_COLOUR), cadre["name"]


@pytest.mark.parametrize("fixture", ["summary_year.json", "summary_quarter.json"])
def test_two_cadres_with_one_name_get_their_ban_beside_the_bar_and_each_their_own_colour(tmp_path, fixture):
    summary = load(fixture)
    at = next(i for i, c in enumerate(summary["cadres"]) if c["name"] == "Hoàng Thị Lan Anh")  # short in both
    good, bad = summary["cadres"][0], summary["cadres"][at]  # met / on track, in another Ban
    twin = summary["cadres"][at] = dict(bad, name=good["name"])
    for a in summary.get("progress", {}).get("at_risk", []):
        if a["name"] == bad["name"]:
            a["name"] = good["name"]
    assert good["department"] != twin["department"]
    image = Image.open(chart.days_chart(summary, tmp_path / "c.png"))
    drawn = texts(summary)
    assert good["name"] not in drawn
    for cadre, colour in ((good, chart.MET_COLOUR), (twin, chart.SHORT_COLOUR)):
        _, top, right, bottom = drawn[f"{cadre['name']} ({cadre['department']})"]
        assert rgb_at(image, right + 60, (top + bottom) // 2) == colour


def test_bars_follow_the_department_order():
    summary = load("summary_year.json")
    summary["departments"].reverse()
    drawn = texts(summary)
    by_height = sorted(summary["cadres"], key=lambda c: drawn[c["name"]][1])
    order = [d["department"] for d in summary["departments"]]
    assert [c["department"] for c in by_height] == sorted((c["department"] for c in by_height), key=order.index)


def test_long_name_is_shown_whole():
    summary = load("summary_year.json")
    name = "Nguyễn Thị Phương Thảo Hoàng Ngọc Diệp Quỳnh Hương (Văn phòng Tỉnh đoàn Vĩnh Phúc)"
    summary["cadres"][0]["name"] = name
    left, _, right, _ = texts(summary)[name]
    assert 0 <= left and right <= 1200


def test_font_found_by_path():
    font = canvas.chart_font()
    assert font == next((p for p in canvas.FONT_CANDIDATES if Path(p).is_file()), str(canvas.BUNDLED_FONT))
    assert Path(font).exists()


def test_bundled_font_has_vietnamese_and_its_licence(tmp_path, monkeypatch):
    assert canvas.BUNDLED_FONT == Path(canvas.__file__).parent / "fonts" / "DejaVuSans.ttf"
    assert "Bitstream" in (canvas.BUNDLED_FONT.parent / "LICENSE_DEJAVU").read_text(encoding="utf-8")
    letters = "ĂÂĐÊÔƠƯăâđêôơư" + "ÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ"
    letters += letters.lower()
    assert [c for c in letters if not canvas.has_glyph(str(canvas.BUNDLED_FONT), c)] == []
    monkeypatch.setattr(canvas, "FONT_CANDIDATES", [])
    assert canvas.chart_font() == str(canvas.BUNDLED_FONT)
    assert png_size(chart.days_chart(load("summary_year.json"), tmp_path / "c.png"))[0] == 1200
    assert chart.draw(load("summary_year.json")).missing == set()


def test_a_missing_glyph_is_recorded_not_printed():
    summary = load("summary_year.json")
    summary["cadres"][0]["name"] = "Nguyễn \U000f0000"
    assert chart.draw(summary).missing == {"\U000f0000"}


def test_chart_is_deterministic(tmp_path):
    a = chart.days_chart(load("summary_year.json"), tmp_path / "a.png")
    b = chart.days_chart(load("summary_year.json"), tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()
    assert set(png_chunks(a)) <= {"IHDR", "PLTE", "pHYs", "IDAT", "IEND"}  # no time or software stamp


def test_height_grows_with_cadres(tmp_path):
    summary = load("summary_year.json")
    small = chart.days_chart(summary, tmp_path / "small.png")
    summary["cadres"] = summary["cadres"] * 3  # 36 cadres: still one bar each
    big = chart.days_chart(summary, tmp_path / "big.png")
    assert png_size(big)[1] > 2 * png_size(small)[1]
    assert png_size(big) == (1200, round((0.27 * 36 + 1.1) * 200))


def test_national_roll_up_becomes_a_histogram_of_fixed_size(tmp_path):
    summary = big_roll_up(250)
    png = chart.days_chart(summary, tmp_path / "h.png")
    assert png_size(png) == (1200, 640)  # 6 x 3.2 in, however many cadres
    assert png_size(chart.days_chart(big_roll_up(4), tmp_path / "h2.png")) == (1200, 640)  # 48 cadres
    drawn = texts(summary)
    assert {"Số cán bộ", "Số ngày đi cơ sở", "Đạt chỉ tiêu", "Chưa đạt chỉ tiêu", "Chỉ tiêu 60 ngày", "1.200"} <= set(drawn)
    assert not any(c["name"] in drawn for c in summary["cadres"])
    assert chart.caption(summary) == "Biểu đồ: Phân bố số ngày đi cơ sở của 3.000 cán bộ so với chỉ tiêu"
    assert chart.caption(load("summary_year.json")) == "Biểu đồ: Số ngày đi cơ sở của từng cán bộ so với chỉ tiêu"


def test_progress_run_histogram_splits_on_track_and_at_risk_like_the_bars():
    summary = load("summary_quarter.json")
    copies = range(5)  # 60 cadres: a histogram
    risky = {a["name"] for a in summary["progress"]["at_risk"]}
    summary["cadres"] = [dict(c, name=f"{c['name']} {i}") for i in copies for c in summary["cadres"]]
    summary["progress"]["at_risk"] = [dict(a, name=f"{a['name']} {i}") for i in copies for a in summary["progress"]["at_risk"]]
    drawn = texts(summary)
    assert {"Đúng tiến độ", "Chậm tiến độ"} <= set(drawn) and "Chưa đạt chỉ tiêu" not in drawn
    good, _ = chart.classes(summary, summary["cadres"])
    assert len(good) == len(summary["cadres"]) - 5 * len(risky)


def test_caption_of_a_progress_run():
    assert chart.caption(load("summary_quarter.json")) == "Biểu đồ: Số ngày đi cơ sở của từng cán bộ so với chỉ tiêu năm"


def test_no_cadres(tmp_path):
    summary = load("summary_year.json")
    summary["cadres"] = []
    out = chart.days_chart(summary, tmp_path / "e.png")
    assert png_size(out) == (1200, 440)  # the minimum 2.2 in


@pytest.mark.parametrize("limit, ticks", [(1.1, [0, 1]), (77, list(range(0, 71, 10))), (150, list(range(0, 141, 20))),
                                          (1350, list(range(0, 1201, 200))), (4000, list(range(0, 4001, 500)))])
def test_nice_ticks(limit, ticks):
    assert canvas.nice_ticks(limit) == ticks


def test_drawing_does_not_import_matplotlib(tmp_path):
    """matplotlib cost ~0.5 s a run; Pillow draws both charts."""
    code = (
        "import json, sys; from pathlib import Path; from dicoso.render import chart\n"
        f"summary = json.loads(Path({str(FIXTURES / 'summary_year.json')!r}).read_text(encoding='utf-8'))\n"
        f"chart.days_chart(summary, Path({str(tmp_path / 'bars.png')!r}))\n"
        "summary['cadres'] = summary['cadres'] * 5\n"
        f"chart.days_chart(summary, Path({str(tmp_path / 'histogram.png')!r}))\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert png_size(tmp_path / "histogram.png") == (1200, 640)
