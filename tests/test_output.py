"""Atomic publishing: earlier outputs are kept, never damaged."""

from __future__ import annotations

from datetime import datetime

import pytest

from dicoso.errors import OutputError
from dicoso.publish import staging as output

from conftest import HERE

NOW = datetime(2021, 1, 5, 9, 30, 0)


def stage(target, files: dict[str, bytes]):
    st = output.start(target)
    for name, data in files.items():
        st.file(name).write_bytes(data)
    return st


def test_first_run_publishes_without_history(tmp_path):
    st = stage(tmp_path / "2020", {"a.docx": b"new"})
    assert output.publish(st, ["a.docx"], NOW) is None
    assert (tmp_path / "2020" / "a.docx").read_bytes() == b"new"
    assert [p.name for p in (tmp_path / "2020").iterdir()] == ["a.docx"]


def test_second_run_moves_previous_into_history_with_its_time(tmp_path):
    target = tmp_path / "2020"
    output.publish(stage(target, {"a.docx": b"old", "summary.json": b"{}"}), ["a.docx", "summary.json"], NOW)
    history = output.publish(stage(target, {"a.docx": b"new"}), ["a.docx"], NOW.replace(hour=10))
    assert history == target / "lich-su" / "2021-01-05_103000"
    assert (history / "a.docx").read_bytes() == b"old"
    assert (history / "summary.json").exists() and not (target / "summary.json").exists()
    assert (target / "a.docx").read_bytes() == b"new"


def test_two_runs_in_the_same_second_keep_both_histories(tmp_path):
    target = tmp_path / "x"
    for data in (b"1", b"2", b"3"):
        output.publish(stage(target, {"a": data}), ["a"], NOW)
    kept = sorted(p.name for p in (target / "lich-su").iterdir())
    assert kept == ["2021-01-05_093000", "2021-01-05_093000_2"]
    assert (target / "a").read_bytes() == b"3"


def test_abort_leaves_previous_outputs_byte_identical(tmp_path):
    target = tmp_path / "2020"
    output.publish(stage(target, {"a.docx": b"old"}), ["a.docx"], NOW)
    st = stage(target, {"a.docx": b"half-written"})
    output.abort(st)
    assert (target / "a.docx").read_bytes() == b"old"
    assert sorted(p.name for p in target.iterdir()) == ["a.docx"]


def test_output_held_open_in_word_is_refused_and_previous_kept(tmp_path):
    target = tmp_path / "2020"
    output.publish(stage(target, {"bao-cao-2020.docx": b"old"}), ["bao-cao-2020.docx"], NOW)
    (target / "~$o-cao-2020.docx").write_bytes(b"lock")  # what Word leaves beside an open file
    with pytest.raises(OutputError, match="Đóng báo cáo"):
        output.publish(stage(target, {"bao-cao-2020.docx": b"new"}), ["bao-cao-2020.docx"], NOW)
    assert (target / "bao-cao-2020.docx").read_bytes() == b"old"
    assert not (target / "lich-su").exists()
    assert not [p for p in target.iterdir() if p.name.startswith(".dang-ghi-")]


def test_read_only_output_folder_gives_a_clear_message(tmp_path, monkeypatch):
    # CI runs as root, which ignores chmod; simulate what the OS says to a normal user.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError, match="Kiểm tra quyền ghi"):
        output.start(tmp_path / "ro")


def test_read_only_previous_report_is_refused_before_anything_moves(tmp_path, monkeypatch):
    target = tmp_path / "2020"
    output.publish(stage(target, {"a.docx": b"old"}), ["a.docx"], NOW)
    st = stage(target, {"a.docx": b"new"})
    monkeypatch.setattr(output.os, "access", lambda p, mode: not str(p).endswith("a.docx"))
    with pytest.raises(OutputError, match="chỉ cho phép đọc"):
        output.publish(st, ["a.docx"], NOW)
    assert (target / "a.docx").read_bytes() == b"old"


def test_output_folder_that_is_a_file_gives_a_clear_message(tmp_path):
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="Không ghi được vào thư mục kết quả"):
        output.start(tmp_path / "out")


def test_failure_half_way_through_publishing_restores_the_previous_run(tmp_path, monkeypatch):
    target = tmp_path / "2020"
    output.publish(stage(target, {"a.docx": b"old-a", "b.xlsx": b"old-b"}), ["a.docx", "b.xlsx"], NOW)
    st = stage(target, {"a.docx": b"new-a", "b.xlsx": b"new-b"})
    real_replace = output.os.replace

    def flaky(src, dst):
        if str(src).startswith(str(st.path)) and str(dst).endswith("b.xlsx"):
            raise OSError(5, "I/O error")
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", flaky)
    with pytest.raises(OutputError, match="kết quả cũ vẫn được giữ nguyên"):
        output.publish(st, ["a.docx", "b.xlsx"], NOW.replace(hour=11))
    assert {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()} == {"a.docx": b"old-a", "b.xlsx": b"old-b"}
    assert not (target / "lich-su").exists()


@pytest.mark.parametrize("fixture", ["summary_year.json", "summary_quarter.json"])
def test_json_is_indented_utf8_in_schema_order(fixture):
    # summary.json and manifest.json keep the layout of json.dumps(indent=2): readable,
    # diffable, Vietnamese as UTF-8 rather than \u escapes, keys in the schema's order.
    import json

    data = json.loads((HERE / "fixtures" / fixture).read_text("utf-8"))
    data["extra"] = {"zeta": 1, "alpha": [1.5, None, True, "Đạt"]}
    assert output.dump_json(data) == (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
