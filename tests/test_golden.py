"""Golden bytes of the shipped samples' year, quarter and month runs.

A refactoring must not change a single output byte: the hashes below were taken from
the code as it was before the package was reorganised (issue 11). A change that is
meant to change an output updates the hash it changes, in the same commit, and says
why in the commit message.

The chart is drawn in the font shipped with the package, so that the hashes do not
depend on the fonts installed on the machine running the tests.
"""

from __future__ import annotations

import hashlib

import pytest

from dicoso.cli.main import main
from dicoso.render import chart

from conftest import ROOT, SAMPLES

RUNS = {
    "year": ["--year", "2020", "--as-of", "2021-01-05"],
    "quarter": ["--quarter", "2020-Q3", "--as-of", "2020-10-20"],
    "month": ["--month", "2020-05", "--as-of", "2020-06-12"],
}

GOLDEN: dict[str, dict[str, str]] = {
    "year": {"bao-cao-2020.docx": "b6f27e083b155dc9", "bieu-do-2020.png": "f5bc8b3fae0451e9",
             "loi-du-lieu-2020.xlsx": "027a61286b596417", "manifest.json": "f8bdd4c16e9f9607",
             "summary.json": "5e09a6936f24a143", "tong-hop-2020.xlsx": "30ccb74e9a3f08cc"},
    "quarter": {"bao-cao-2020-Q3.docx": "d45466eb618b848c", "bieu-do-2020-Q3.png": "0bf2ada27970283f",
                "loi-du-lieu-2020-Q3.xlsx": "111b17f97fc60abb", "manifest.json": "33202535659aee84",
                "summary.json": "e543a429995eefe2", "tong-hop-2020-Q3.xlsx": "634cc3fd9bd42403"},
    "month": {"bao-cao-2020-05.docx": "eda0c2c842617a10", "bieu-do-2020-05.png": "cb71db9b1868408f",
              "loi-du-lieu-2020-05.xlsx": "f26c6192c8d401a6", "manifest.json": "b3e0cd30f1de4c86",
              "summary.json": "d5318696b6453295", "tong-hop-2020-05.xlsx": "84437c26a30cc7e7"},
}


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16]
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("kind", list(RUNS))
def test_outputs_of_the_samples_are_byte_for_byte_as_before(kind, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(chart, "FONT_CANDIDATES", [])
    code = main([str(SAMPLES), *RUNS[kind], "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    assert _digests(tmp_path) == GOLDEN[kind]
