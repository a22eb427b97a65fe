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
    "year": {"bao-cao-2020.docx": "b6f27e083b155dc9", "bieu-do-2020.png": "f5bc8b3fae0451e9",
             "loi-du-lieu-2020.xlsx": "05ca509bd0b340aa", "manifest.json": "147d3400e861340d",
             "summary.json": "f559a404db3442e5", "tong-hop-2020.xlsx": "72064f3c712d3261"},
    "quarter": {"bao-cao-2020-Q3.docx": "d45466eb618b848c", "bieu-do-2020-Q3.png": "0bf2ada27970283f",
                "loi-du-lieu-2020-Q3.xlsx": "1fe50f04bcd9479e", "manifest.json": "bc162530e404058f",
                "summary.json": "d45dfb8606799438", "tong-hop-2020-Q3.xlsx": "4cc3ddd18f994e52"},
    "month": {"bao-cao-2020-05.docx": "eda0c2c842617a10", "bieu-do-2020-05.png": "cb71db9b1868408f",
              "loi-du-lieu-2020-05.xlsx": "7cab8643b1ac9a84", "manifest.json": "9eedf1ce4cb302f2",
              "summary.json": "8ea51625b82d6090", "tong-hop-2020-05.xlsx": "fb28991ae89e4be2"},
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

