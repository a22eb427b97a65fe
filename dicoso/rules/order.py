"""The order the organisation reads its people in (shared/domain.md "Order"): the Ban as
the office lists them (default: as the roster first names them), inside a Ban cadres
by position rank, then as the roster lists them. The report, the workbooks and
summary.json all follow the order of summary.json's cadres, which is this one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar

from dicoso.model import Issue
from dicoso.text.names import name_key


class Person(Protocol):
    """What ordering needs of a cadre (rules/roster.Cadre)."""

    department: str
    position: str


P = TypeVar("P", bound=Person)

# Highest first; templates/office.yaml (`position_order`) may replace the list.
DEFAULT_RANKS = ("Bí thư", "Phó Bí thư", "Chánh Văn phòng", "Trưởng ban", "Phó Chánh Văn phòng",
                 "Phó Trưởng ban", "Chuyên viên", "Nhân viên")


@dataclass(frozen=True)
class CadreOrder:
    departments: tuple[str, ...] = ()  # Ban in the office's order; empty: the roster's order
    ranks: tuple[str, ...] = DEFAULT_RANKS
    source: str = "templates/office.yaml"  # where the lists were written, for the clerk

    @cached_property
    def _rank_patterns(self) -> list[re.Pattern]:
        return [re.compile(r"(?<!\w)" + re.escape(name_key(r)) + r"(?!\w)") for r in self.ranks]

    def rank(self, position: str) -> int:
        """The index of the highest rank named in `position` as whole words; a rank inside a
        longer one that also matches does not count ("Bí thư" in "Phó Bí thư Tỉnh đoàn").
        A position naming none of them comes after all ranks."""
        key = name_key(position or "")
        spans = [(i, m.start(), m.end()) for i, p in enumerate(self._rank_patterns) for m in p.finditer(key)]
        best = len(self.ranks)
        for i, a, b in spans:
            inside_longer = any((a2, b2) != (a, b) and a2 <= a and b <= b2 for _, a2, b2 in spans)
            if not inside_longer:
                best = min(best, i)
        return best

    def sort(self, cadres: Sequence[P]) -> list[P]:
        """`cadres` (in roster order) by Ban, position rank, then roster order; no Ban last."""
        listed = {name_key(d): i for i, d in enumerate(self.departments)}
        seen: dict[str, int] = {}
        for c in cadres:
            seen.setdefault(name_key(c.department), len(seen))

        def ban(c: Person) -> tuple[int, int]:
            key = name_key(c.department)
            if not key:
                return (2, 0)
            return (0, listed[key]) if key in listed else (1, seen[key])

        return [c for _, c in sorted(enumerate(cadres), key=lambda ic: (ban(ic[1]), self.rank(ic[1].position), ic[0]))]

    def unknown_departments(self, cadres: Sequence[Person]) -> list[Issue]:
        """A Ban the office listed that no cadre of the roster belongs to (a typo puts the
        real Ban after the listed ones, so it is said, not left to be noticed)."""
        known = {name_key(c.department) for c in cadres}
        names = sorted({c.department for c in cadres if c.department})
        return [Issue("office_department_unknown", "warning",
                      f'Ban "{d}" ghi trong mục "departments" của {self.source} không có trong danh sách cán bộ; '
                      "thứ tự Ban trong báo cáo có thể không đúng ý.", file=self.source, column="departments",
                      suggestion="Ghi tên Ban đúng như cột Ban của danh sách cán bộ: " + ", ".join(
                          f'"{n}"' for n in names) + ".")
                for d in self.departments if name_key(d) not in known]
