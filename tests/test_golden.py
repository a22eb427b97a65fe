"""Golden bytes of the shipped samples' year, quarter and month runs.

A refactoring must not change a single output byte: the hashes below were first taken
from the code as it was before the package was reorganised (issue 11). A change that
is meant to change an output updates the hashes it changes (the failure message prints
the new ones), in the same commit, and says why in the commit message.

The chart is drawn in the font shipped with the package, so that the hashes do not
depend on the fonts installed on the machine running the tests.
"""

from __future__ import annotations

import hashlib

import pytest

from dicoso.cli.main import main
from dicoso.render import canvas

from conftest import ROOT, SAMPLES

RUNS = {
    "year": ["--year", "2020", "--as-of", "2021-01-05"],
    "quarter": ["--quarter", "2020-Q3", "--as-of", "2020-10-20"],
    "month": ["--month", "2020-05", "--as-of", "2020-06-12"],
}

GOLDEN: dict[str, dict[str, str]] = {
    "year": {"bao-cao-2020.docx": "4a91c9d64b164984", "bieu-do-2020.png": "8f6f1fa26d60d8d7",
             "loi-du-lieu-2020.xlsx": "8438f167eb16d26f", "manifest.json": "e7fe36c4c348699a",
             "summary.json": "7c157a93792e5f81", "tong-hop-2020.xlsx": "6b0952ca4ab7e00b"},
    "quarter": {"bao-cao-2020-Q3.docx": "7db71d7821cf5313", "bieu-do-2020-Q3.png": "cbdf7d0067298e0d",
                "loi-du-lieu-2020-Q3.xlsx": "551760fc1b5144d5", "manifest.json": "803b5b99a48b4077",
                "summary.json": "1a74f8d775795c0b", "tong-hop-2020-Q3.xlsx": "769484bd60b868ed"},
    "month": {"bao-cao-2020-05.docx": "25c55e3635c2c68c", "bieu-do-2020-05.png": "cb9a560976018c44",
              "loi-du-lieu-2020-05.xlsx": "939a5079844bfdfb", "manifest.json": "994f9858bfc7b1f4",
              "summary.json": "e2cbf24c703325e9", "tong-hop-2020-05.xlsx": "cd86aa96bcd74560"},
}


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16]
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("kind", list(RUNS))
def test_outputs_of_the_samples_are_byte_for_byte_as_before(kind, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(canvas, "FONT_CANDIDATES", [])
    code = main([str(SAMPLES), *RUNS[kind], "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    current = _digests(tmp_path)
    # on purpose changed? paste this line over GOLDEN[kind]
    assert current == GOLDEN[kind], f"{kind!r}: {current!r}"

