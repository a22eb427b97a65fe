"""Publishing: earlier outputs are kept, never damaged, and only the tool's own files move.

The publish step in every state it can be cut in: for each number of renames done
before a failure, a Ctrl+C or a kill, the folder holds a complete set at that
instant, and afterwards (this run's rollback, or the next run's recovery from the
journal) exactly the previous run or exactly the new one.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from faults import TALLY, fault

from dicoso.publish import staging as output
from dicoso.publish.staging import Plan

from conftest import HERE

NOW = datetime(2021, 1, 5, 9, 30, 0)


def stage(target: Path, files: dict[str, bytes]) -> output.Staging:
    st = output.start(target)
    for name, data in files.items():
        st.file(name).write_bytes(data)
    return st


def manifest_of(files: dict[str, bytes]) -> dict:
    """A previous run's manifest listing `files` with their hashes (as publish/manifest.py writes it)."""
    import hashlib

    return {"schema": 1, "outputs": [{"file": n, "sha256": hashlib.sha256(d).hexdigest()} for n, d in files.items()]}


def publish(target: Path, files: dict[str, bytes], now: datetime = NOW, manifest: dict | None = None,
            edits: tuple[str, ...] = ()) -> Path | None:
    st = stage(target, files)
    return output.publish(st, output.plan(st, list(files), now, manifest, edits))


def run(target: Path, files: dict[str, bytes], now: datetime = NOW) -> Path | None:
    """A whole run as write.py does it: the previous manifest decides what moves; a manifest is written."""
    import json

    previous = output.previous_manifest(target)
    files = files | {"manifest.json": json.dumps(manifest_of(files)).encode()}
    return publish(target, files, now, previous, tuple(output.edited(target, previous)))


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}


def test_first_run_publishes_without_history(tmp_path):
    assert publish(tmp_path / "2020", {"a.docx": b"new"}) is None
    assert contents(tmp_path / "2020") == {"a.docx": b"new"}
    assert [p.name for p in (tmp_path / "2020").iterdir()] == ["a.docx"]  # no staging folder, no journal left


def test_second_run_moves_previous_into_history_with_its_time(tmp_path):
    target = tmp_path / "2020"
    run(target, {"a.docx": b"old", "summary.json": b"{}"})
    history = run(target, {"a.docx": b"new"}, NOW.replace(hour=10))
    assert history == target / "lich-su" / "2021-01-05_103000"
    assert (history / "a.docx").read_bytes() == b"old"
    assert (history / "summary.json").exists() and not (target / "summary.json").exists()
    assert (target / "a.docx").read_bytes() == b"new"


def test_two_runs_in_the_same_second_keep_both_histories(tmp_path):
    target = tmp_path / "x"
    for data in (b"1", b"2", b"3"):
        run(target, {"a": data})
    kept = sorted(p.name for p in (target / "lich-su").iterdir())
    assert kept == ["2021-01-05_093000", "2021-01-05_093000_2"]
    assert (target / "a").read_bytes() == b"3"


def test_only_the_files_the_previous_run_wrote_move_into_history(tmp_path):
    """A shared --out folder: the office's own files, even named like outputs, and 'Save As'
    copies of the report stay where they are."""
    target = tmp_path / "Báo cáo"
    run(target, {"bao-cao-2020.docx": b"v1", "tong-hop-2020.xlsx": b"v1"})
    office = {"bao-cao-2020 ban trinh ky.docx": b"signed copy", "bao-cao-tong-ket-nam-2019.docx": b"2019",
              "tong-hop-ke-hoach.xlsx": b"plan", "bao-cao-2019.docx": b"an old report the tool never wrote here"}
    for name, data in office.items():
        (target / name).write_bytes(data)
    history = run(target, {"bao-cao-2020.docx": b"v2", "tong-hop-2020.xlsx": b"v2"})
    assert contents(history) == {"bao-cao-2020.docx": b"v1", "tong-hop-2020.xlsx": b"v1",
                                 "manifest.json": contents(history)["manifest.json"]}
    assert {n: contents(target)[n] for n in office} == office


def test_a_file_in_the_way_of_an_output_moves_even_without_a_manifest(tmp_path):
    target = tmp_path / "2020"
    target.mkdir()
    (target / "bao-cao-2020.docx").write_bytes(b"written by an older version, no manifest")
    history = run(target, {"bao-cao-2020.docx": b"new"})
    assert contents(history) == {"bao-cao-2020.docx": b"written by an older version, no manifest"}


def test_a_report_edited_by_hand_is_kept_in_history_under_a_name_that_says_so(tmp_path):
    target = tmp_path / "2020"
    run(target, {"bao-cao-2020.docx": b"as written", "summary.json": b"{}"})
    (target / "bao-cao-2020.docx").write_bytes(b"as written, plus the clerk's paragraph")
    assert output.edited(target, output.previous_manifest(target)) == ["bao-cao-2020.docx"]
    history = run(target, {"bao-cao-2020.docx": b"new", "summary.json": b"{}"}, NOW.replace(hour=11))
    assert (history / "bao-cao-2020 (đã sửa tay).docx").read_bytes() == b"as written, plus the clerk's paragraph"
    assert not (history / "bao-cao-2020.docx").exists()
    assert (target / "bao-cao-2020.docx").read_bytes() == b"new"
    assert output.edited(target, output.previous_manifest(target)) == []


def test_abort_leaves_previous_outputs_byte_identical(tmp_path):
    target = tmp_path / "2020"
    publish(target, {"a.docx": b"old"})
    st = stage(target, {"a.docx": b"half-written"})
    output.abort(st)
    assert (target / "a.docx").read_bytes() == b"old"
    assert sorted(p.name for p in target.iterdir()) == ["a.docx"]


def test_output_held_open_in_word_is_refused_and_previous_kept(tmp_path):
    target = tmp_path / "2020"
    publish(target, {"bao-cao-2020.docx": b"old"})
    (target / "~$o-cao-2020.docx").write_bytes(b"lock")  # what Word leaves beside an open file
    st = stage(target, {"bao-cao-2020.docx": b"new"})
    with pytest.raises(OSError, match="Word/Excel"):
        output.publish(st, output.plan(st, ["bao-cao-2020.docx"], NOW, None))
    assert (target / "bao-cao-2020.docx").read_bytes() == b"old"
    assert not (target / "lich-su").exists()


def test_a_folder_in_the_place_of_an_output_is_refused_before_anything_moves(tmp_path):
    target = tmp_path / "2020"
    publish(target, {"a.docx": b"old"})
    (target / "summary.json").mkdir()
    st = stage(target, {"a.docx": b"new", "summary.json": b"{}"})
    with pytest.raises(IsADirectoryError):
        output.publish(st, output.plan(st, ["a.docx", "summary.json"], NOW, None))
    assert (target / "a.docx").read_bytes() == b"old"


def test_read_only_previous_report_is_refused_before_anything_moves(tmp_path, monkeypatch):
    target = tmp_path / "2020"
    publish(target, {"a.docx": b"old"})
    st = stage(target, {"a.docx": b"new"})
    monkeypatch.setattr(output.os, "access", lambda p, mode: not str(p).endswith("a.docx"))
    with pytest.raises(PermissionError, match="chỉ cho phép đọc"):
        output.publish(st, output.plan(st, ["a.docx"], NOW, None))
    assert (target / "a.docx").read_bytes() == b"old"


# --- cut at every step -------------------------------------------------------------------
OLD = {"a.docx": b"old-a", "b.xlsx": b"old-b", "only-old.png": b"old-png"}
NEW = {"a.docx": b"new-a", "b.xlsx": b"new-b", "only-new.csv": b"new-csv"}


class Cut(BaseException):
    """Stands for a kill: nothing after it runs in this process."""


def _previous(tmp_path: Path) -> tuple[Path, output.Staging, Plan]:
    target = tmp_path / "2020"
    publish(target, OLD)
    st = stage(target, NEW)
    return target, st, output.plan(st, list(NEW), NOW.replace(hour=12), manifest_of(OLD))


def _renames(tmp_path: Path) -> int:
    target, st, moves = _previous(tmp_path / "count")
    count = 0
    real = os.replace

    def counting(src, dst):
        nonlocal count
        count += 1
        return real(src, dst)

    os.replace = counting
    try:
        output.publish(st, moves)
    finally:
        os.replace = real
    return count


def _complete_somewhere(target: Path, st: output.Staging, moves: Plan) -> bool:
    """At this instant the old set or the new set is whole in one folder."""
    history = target / moves.history
    kept = {name: kept for name, kept in moves.old}
    old_places = [contents(target), {n: contents(history).get(kept[n]) for n in OLD}]
    new_places = [contents(target), contents(st.path)]
    return any(all(p.get(n) == d for n, d in OLD.items()) for p in old_places) or \
        any(all(p.get(n) == d for n, d in NEW.items()) for p in new_places)


@pytest.mark.parametrize("how", ["os_error", "ctrl_c"])
def test_a_failure_or_ctrl_c_at_any_rename_puts_the_previous_run_back(tmp_path, monkeypatch, how):
    for k in range(1, _renames(tmp_path) + 1):
        target, st, moves = _previous(tmp_path / f"{how}{k}")
        real, calls = os.replace, 0

        def flaky(src, dst, k=k, real=real):
            nonlocal calls
            calls += 1
            if calls == k:
                if how == "ctrl_c":
                    real(src, dst)  # the rename happened; the interruption lands just after it
                    raise KeyboardInterrupt
                raise OSError(5, "Input/output error", str(dst))
            return real(src, dst)

        monkeypatch.setattr(output.os, "replace", flaky)
        fault()
        with pytest.raises(KeyboardInterrupt if how == "ctrl_c" else OSError):
            output.publish(st, moves)
        monkeypatch.setattr(output.os, "replace", real)
        assert contents(target) == OLD, k
        assert not (target / "lich-su" / moves.history.split("/")[-1]).exists(), k
        assert not st.path.exists(), k


def test_a_kill_at_any_rename_is_finished_or_undone_by_the_next_run(tmp_path, monkeypatch):
    total = _renames(tmp_path)
    for k in range(0, total + 1):
        target, st, moves = _previous(tmp_path / f"kill{k}")
        real, calls = os.replace, 0

        def killed(src, dst, k=k, real=real):
            nonlocal calls
            if calls == k:
                raise Cut
            calls += 1
            return real(src, dst)

        monkeypatch.setattr(output.os, "replace", killed)
        monkeypatch.setattr(output, "undo", lambda *a: None)  # a killed process undoes nothing
        fault()
        if k < total:
            with pytest.raises(Cut):
                output.publish(st, moves)
        else:  # killed after the last rename, before the journal was removed
            monkeypatch.setattr(output, "_forget", lambda *a: None)
            output.publish(st, moves)
        monkeypatch.undo()
        assert _complete_somewhere(target, st, moves), k
        notes = output.recover(target)
        assert len(notes) == 1, (k, notes)
        if not _complete_somewhere(target, st, moves) and contents(target) != OLD:
            TALLY["outputs lost"] += 1
        if k == total:
            assert {n: contents(target).get(n) for n in NEW} == NEW, k
            assert "hoàn tất" in notes[0]
        else:
            assert contents(target) == OLD, k
            # killed before the journal was in place (k == 0): nothing had moved
            assert ("Đã xoá thư mục tạm" if k == 0 else "kết quả cũ về nguyên vẹn") in notes[0], (k, notes)
        assert not [p for p in target.iterdir() if p.name.startswith(".dang-ghi-")], k


def test_staging_folders_left_by_a_killed_run_are_removed_by_the_next(tmp_path):
    target = tmp_path / "2020"
    publish(target, OLD)
    left = stage(target, {"a.docx": b"half"})  # killed while writing: no journal
    assert output.recover(target) == [f"Đã xoá thư mục tạm {left.path.name} do một lần chạy bị ngắt để lại."]
    assert contents(target) == OLD and not left.path.exists()


def test_staged_files_are_flushed_to_disk_before_any_rename(tmp_path, monkeypatch):
    target = tmp_path / "2020"
    publish(target, OLD)
    st = stage(target, NEW)
    synced: set[int] = set()
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        synced.add(os.fstat(fd).st_ino)
        return real_fsync(fd)

    def replace(src, dst):
        if Path(src).parent == st.path:
            assert Path(src).stat().st_ino in synced, src
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "fsync", fsync)
    monkeypatch.setattr(output.os, "replace", replace)
    output.sync(st, list(NEW))
    output.publish(st, output.plan(st, list(NEW), NOW, manifest_of(OLD)))
    assert {n: contents(target)[n] for n in NEW} == NEW


@pytest.mark.parametrize("fixture", ["summary_year.json", "summary_quarter.json"])
def test_json_is_indented_utf8_in_schema_order(fixture):
    # summary.json and manifest.json keep the layout of json.dumps(indent=2): readable,
    # diffable, Vietnamese as UTF-8 rather than \u escapes, keys in the schema's order.
    import json

    data = json.loads((HERE / "fixtures" / fixture).read_text("utf-8"))
    data["extra"] = {"zeta": 1, "alpha": [1.5, None, True, "Đạt"]}
    assert output.dump_json(data) == (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
