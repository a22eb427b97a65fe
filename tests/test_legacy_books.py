"""The whole sample folder typed in TCVN3 (.VnTime) or in VNI gives exactly the figures of
its Unicode twin (issue 12: "Legacy encodings across the whole book")."""

from __future__ import annotations

from datetime import date

import pytest

from dicoso.model import Period
from dicoso.read.folder import read_folder
from dicoso.rules.engine import compute
from dicoso.rules.ruleset import pick_ruleset

from conftest import AS_OF, RULES, SAMPLES
from legacy_books import transcode_folder

YEAR = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")
LEGACY_CODES = {"legacy_encoding_converted"}


def figures(folder, names: dict[str, str] | None = None):
    data = read_folder(folder, workers=1)
    rs, _ = pick_ruleset(RULES, YEAR)
    comp = compute(data, rs, YEAR, AS_OF, aliases=data.aliases)
    names = names or {}

    def plain(text: str) -> str:  # a legacy sheet name quoted in a message, as the Unicode twin has it
        for legacy, original in sorted(names.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(f'"{legacy}"', f'"{original}"')
        return text

    trips = comp.trips_table()[["file", "row", "name", "start", "end", "counted_days", "place", "level", "content",
                                "submitted", "status"]]
    return {
        "cadres": comp.cadres[["name", "department", "counted_days", "trips", "met", "days_needed",
                               "planned_days"]].to_dict("records"),
        "totals": comp.totals,
        "trips": [tuple(r) for r in trips.itertuples(index=False)],
        "accounting": {k: v for k, v in comp.accounting.items() if k != "files_skipped"},
        "registration": comp.sections.get("registration_quarters"),
        "issues": sorted((i.file, names.get(i.sheet, i.sheet), i.row, i.code, i.severity, i.column,
                          plain(i.message), plain(i.suggestion))
                         for i in comp.issues if i.code not in LEGACY_CODES),
        "legacy_notes": [i for i in comp.issues if i.code in LEGACY_CODES],
    }


@pytest.fixture(scope="module")
def unicode_twin():
    return figures(SAMPLES)


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_the_samples_typed_in_a_legacy_font_give_the_same_figures(tmp_path, unicode_twin, enc):
    names = transcode_folder(SAMPLES, tmp_path / enc, enc)
    assert any(legacy != original for legacy, original in names.items())  # the sheet names were transcoded
    got = figures(tmp_path / enc, names)
    for key in ("cadres", "totals", "trips", "accounting", "registration", "issues"):
        assert got[key] == unicode_twin[key], key
    assert got["totals"]["trips"] == 227 and got["totals"]["days"] == 706
    # one note per legacy sheet, and every book of the folder is one
    noted = {i.file for i in got["legacy_notes"]}
    assert {t[0] for t in got["trips"]} <= noted
    assert "Danh sach can bo chuyen trach 2020.xlsx" in noted
