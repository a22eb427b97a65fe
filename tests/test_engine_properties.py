"""Properties: the figures do not depend on how the registers were cut or ordered.

Figures = the summary without issues, accounting and the provenance (file, sheet,
row) of report rows, which legitimately point at whichever copy was kept.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dicoso.model import Period
from dicoso.rules.engine import compute
from dicoso.rules.summary import build

from engine_builders import (
    DROP,
    LEVELS,
    cadre,
    read_result,
    registration,
    ruleset,
    trip,
)

RS = ruleset(periods=DROP, years={"first": 2020, "last": 2020}, levels=LEVELS, monthly_positions=["Bí thư"],
             registration_quarters=[1, 2, 3, 4])
ROSTER = [
    cadre("Nguyễn Văn An", "Ban A", "Bí thư Tỉnh đoàn"),
    cadre("Trần Thị Bình", "Ban B", ex_from="1/6/2020", ex_to="31/7/2020", reason="Nghỉ ốm"),
    cadre("Lê Văn Cường", "Ban B", start="1/7/2020"),
]
NAMES = [c["name"] for c in ROSTER] + ["Người Lạ"]
REGISTRATIONS = [registration("Nguyễn Văn An", 2, 10), registration("Trần Thị Bình", 3, 5)]
LEVEL_TEXTS = ["Chi đoàn", "Xã", "Huyện", ""]
FIRST = date(2019, 12, 20)
PERIODS = [Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020"),
           Period(date(2020, 4, 1), date(2020, 6, 30), "quarter", "2020-Q2")]

trips_strategy = st.lists(
    st.tuples(
        st.integers(0, len(NAMES) - 1),  # who
        st.integers(0, 390),  # start, days after FIRST
        st.integers(0, 12),  # length - 1
        st.sampled_from(LEVEL_TEXTS),
        st.one_of(st.none(), st.integers(-2, 25)),  # submitted, days after the end
        st.integers(0, 2),  # book
    ),
    max_size=25,
)


def rows_from(spec) -> list[dict]:
    out = []
    for i, (who, start, length, level, filed, book) in enumerate(spec):
        s = FIRST + timedelta(days=start)
        e = s + timedelta(days=length)
        out.append(trip(NAMES[who], s, e, file=f"book-{book}.xlsx", sheet="S", row=i + 5, level=level,
                        submitted=None if filed is None else e + timedelta(days=filed)))
    return out


def figures(rows: list[dict], period: Period) -> dict:
    comp = compute(read_result(ROSTER, rows, REGISTRATIONS), RS, period, date(2020, 11, 15))
    acc = comp.accounting
    assert acc["rows_read"] == acc["trips_counted"] + acc["duplicates_merged"] + acc["rows_rejected"] + acc["rows_skipped"]
    summary = build(comp, RS)
    for key in ("issues", "books_outside_period", "accounting"):  # which books hold what: provenance
        summary.pop(key)
    for items in summary["reports"].values():
        for item in items:
            for key in ("file", "sheet", "row"):
                item.pop(key)
    return summary


common = settings(max_examples=30, deadline=None)


@common
@given(trips_strategy, st.randoms(use_true_random=False), st.sampled_from(PERIODS))
def test_row_order_does_not_matter(spec, rnd, period):
    rows = rows_from(spec)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert figures(shuffled, period) == figures(rows, period)


@common
@given(trips_strategy, st.permutations([0, 1, 2]), st.sampled_from(PERIODS))
def test_file_order_does_not_matter(spec, perm, period):
    rows = rows_from(spec)
    renamed = [{**r, "file": f"book-{perm[int(r['file'][5])]}.xlsx"} for r in rows]
    renamed.sort(key=lambda r: r["file"])
    assert figures(renamed, period) == figures(rows, period)


@common
@given(trips_strategy, st.lists(st.integers(0, 4), min_size=25, max_size=25), st.sampled_from(PERIODS))
def test_splitting_one_book_into_several_does_not_matter(spec, parts, period):
    one_book = [{**r, "file": "ca-nam.xlsx"} for r in rows_from(spec)]
    split = [{**r, "file": f"thang-{parts[i]}.xlsx", "sheet": f"T{parts[i]}"} for i, r in enumerate(one_book)]
    assert figures(split, period) == figures(one_book, period)


@common
@given(trips_strategy.filter(bool), st.data(), st.sampled_from(PERIODS))
def test_repeating_a_row_does_not_matter(spec, data, period):
    rows = rows_from(spec)
    copy = dict(data.draw(st.sampled_from(rows)))
    copy |= {"file": "ban-khac.xlsx", "row": 99}
    assert figures(rows + [copy], period) == figures(rows, period)
