"""Rule kinds: one module per kind, all with the same hooks (as frictionless' checks).

A rule set (rules/*.yaml) is a few core keys (name, province, periods) plus the keys of
these rule kinds. Each module defines one `Check` subclass and names it `CHECK`; the
registry below finds them, so a new rule kind is one module here, its YAML key in the
rule sets that use it, and its test. Every registered kind is part of every rule set:
a kind whose key is absent is "off" (`from_yaml` sees `None`) and its hooks then add
their neutral values (no level quotas, no registration table …).

The engine (engine.py, trips.py) calls the hooks in `order`:

    classify(trips, facts)       before duplicate merging: per-trip columns (`rank`,
                                 `counts`, `content_known` have neutral defaults)
    trip_issues(trips, facts)    on kept trips, clipped to the window (`in_window`)
    trip_status(trips, facts)    on kept trips after counting (report deadlines)
    cadres(rows, facts)          per cadre row (a dict per cadre, report order): add
                                 fields, append `notes`, set `short[key]` = days still
                                 needed by this rule (days_needed is the largest)
    section(facts)               a table for summary.json (`sections[key]`), or None
    sections(facts)              {key: table} when a kind gives more than one (default:
                                 `section` under the kind's key)
    run_issues(facts)            Issues about the run as a whole (e.g. data a rule
                                 needs was not found), after `section`

`cadre_fields` names the per-cadre fields a kind adds to summary.json when it is on.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    import pandas as pd

    from dicoso.model import Issue, Period
    from dicoso.rules.roster import Cadre
    from dicoso.rules.schema import Checker


@dataclass
class Facts:
    """What the engine knows when it calls a hook (later hooks see more of it filled)."""

    rules: Any  # the RuleSet
    year: Period  # the rule set's counting period of the run's year
    window: tuple[date, date]  # the days counted
    to_date: date  # min(window end, as_of)
    as_of: date
    cadres: list[Cadre]
    days: pd.DataFrame | None = None  # counted (cid, day, rank), one row per cadre and day
    trips: pd.DataFrame | None = None  # kept trips (cid, s, e, cs, ce, in_window, counted …)
    registrations: pd.DataFrame | None = None  # registration rows matched to a cadre (`cid`)
    # (year, quarter) of every registration row read, matched to a cadre or not: a quarter
    # absent here has no registration data at all (unknown, not "nobody registered")
    registered_quarters: frozenset[tuple[int, int]] = frozenset()
    # (file, sheet) of trip sheets whose header has no "Ngày nộp báo cáo" column
    unrecorded_sheets: frozenset[tuple[str, str]] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)  # what a hook computes once for later hooks
    # (file, sheet) -> the columns its header names: what a message may tell the clerk to fill in
    sheet_fields: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


class Check:
    """One rule kind. Subclasses are frozen dataclasses holding the kind's settings."""

    key: ClassVar[str]  # its YAML key (the first of `keys`), also its name in summaries
    keys: ClassVar[tuple[str, ...]]  # every top-level YAML key it reads (default: `key` alone)
    order: ClassVar[int]  # when its hooks run among the others
    cadre_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "key" in cls.__dict__ and "keys" not in cls.__dict__:
            cls.keys = (cls.key,)

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> Check:
        """The kind's settings from the whole document (validated with `c`); off when absent."""
        raise NotImplementedError

    @property
    def on(self) -> bool:
        """Whether the rule set uses this kind (an off kind only adds neutral values)."""
        return True

    def classify(self, trips: pd.DataFrame, facts: Facts) -> None:
        pass

    def trip_issues(self, trips: pd.DataFrame, facts: Facts) -> list[Issue]:
        return []

    def trip_status(self, trips: pd.DataFrame, facts: Facts) -> None:
        pass

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        pass

    def section(self, facts: Facts) -> Any:
        return None

    def sections(self, facts: Facts) -> dict[str, Any]:
        table = self.section(facts)
        return {} if table is None else {self.key: table}

    def run_issues(self, facts: Facts) -> list[Issue]:
        return []


C = TypeVar("C", bound=Check)


@cache
def registry() -> tuple[type[Check], ...]:
    """Every Check of this package, in hook order (then by key)."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "CHECK", None)
        if kind is not None:
            found.append(kind)
    return tuple(sorted(found, key=lambda k: (k.order, k.key)))


def yaml_keys() -> tuple[str, ...]:
    """The top-level YAML keys the rule kinds read, in hook order."""
    return tuple(k for kind in registry() for k in kind.keys)
