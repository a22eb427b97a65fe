"""The full trips list (national roll-ups) opens in columns in Excel with Vietnamese regional
settings: `;` between fields, decimal comma, dates day first, UTF-8 with a BOM."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dicoso.render import trips_csv


def test_the_trips_list_is_written_for_excel_with_vietnamese_regional_settings(tmp_path):
    trips = pd.DataFrame([
        {"file": "Ban A; B/a.xlsx", "sheet": "T3", "row": 5, "name": "Lê Văn Bình", "start": date(2020, 3, 5),
         "end": date(2020, 3, 6), "days_declared": 1.5, "counted_days": 2, "place": "Xã Tam Hồng, huyện Yên Lạc",
         "status": "on_time"},
    ])
    trips_csv.write_trips_csv(trips, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel shows the Vietnamese letters
    assert not raw[3:].startswith(b"sep=")  # after a sep= line Excel would ignore the BOM
    header, row = raw[3:].decode("utf-8").split("\r\n")[:2]
    assert header.split(";")[:4] == ["Tệp", "Trang tính", "Dòng", "Họ và tên"]
    assert "," not in header  # Excel (vi-VN) splits at ";" only; "," is the decimal comma there
    fields = row.split(";")
    # a ";" inside a field is quoted, a comma is left alone; 1.5 days is written 1,5; dates day first
    assert row.startswith('"Ban A; B/a.xlsx";T3;5;Lê Văn Bình;')
    assert "05/03/2020" in fields and "06/03/2020" in fields and "1,5" in fields
    assert "Xã Tam Hồng, huyện Yên Lạc" in fields
