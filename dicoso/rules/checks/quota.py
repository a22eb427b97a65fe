"""The yearly minimum of days at the grassroots (`quota_days`), prorated to the days a
cadre was eligible (`proration`), with long absences that exempt a whole year
(`full_exemptions`).

    quota          = 0 when an exemption range matches a full exemption;
                     else ceil(quota_days × eligible_days / year.days)
                     (proration "none": quota_days when eligible_days > 0, else 0)
    elapsed        = eligible days of year.start .. to_date
    target_to_date = ceil(quota × elapsed / eligible_days)   (0 when eligible_days is 0)
    at_risk        = quota > 0 and counted_days < target_to_date
    short          = quota − counted_days
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dicoso.rules.checks import Check, Facts
from dicoso.rules.days import add_months
from dicoso.rules.phrases import has_phrase
from dicoso.text.vn import clause_join, dmy

if TYPE_CHECKING:
    from dicoso.model import Period
    from dicoso.rules.roster import Cadre
    from dicoso.rules.schema import Checker

PRORATION = ("eligible_days_ceil", "none")


def span(what: str, f: date, t: date) -> str:
    """`Nghỉ thai sản từ 01/06/2020 đến 30/11/2020`; an open end is left out."""
    parts = [what]
    if f != date.min:
        parts.append(f"từ {dmy(f)}")
    if t != date.max:
        parts.append(f"đến {dmy(t)}")
    return " ".join(parts)


def absences(c: Cadre, year: Period) -> list[str]:
    """Why `c` was not eligible on every day of `year`, in date order: a start or an end of
    service inside it, exemption ranges overlapping it (as the roster names them)."""
    found: list[tuple[date, str]] = []
    if c.service_start and c.service_start > year.start:
        found.append((c.service_start, f"Bắt đầu công tác từ {dmy(c.service_start)}"))
    if c.service_end and c.service_end < year.end:
        # the roster's end of service is the last day worked (ranges are inclusive)
        found.append((c.service_end, f"Nghỉ công tác từ {dmy(c.service_end + timedelta(days=1))}"))
    for f, t, reason in sorted(c.exemptions):
        if f <= year.end and t >= year.start:
            found.append((max(f, year.start), span(reason or "Miễn đi cơ sở", f, t)))
    return [text for _, text in sorted(found, key=lambda x: x[0])]


@dataclass(frozen=True, slots=True)
class FullExemption:
    """An exemption range whose reason matches `reasons` (any, when empty) and whose
    length is at least `min_days` / `min_months` exempts the cadre for the whole year."""

    reasons: tuple[str, ...] = ()
    min_days: int | None = None
    min_months: int | None = None

    def matches(self, f: date, t: date, reason: str) -> bool:
        if self.reasons and not has_phrase(reason, self.reasons):
            return False
        if f == date.min or t == date.max:
            return True  # an open-ended range is long enough
        if self.min_days is not None and (t - f).days + 1 < self.min_days:
            return False
        return not (self.min_months is not None and add_months(f, self.min_months) - timedelta(days=1) > t)


def prorate(quota: int, eligible: int, total: int) -> int:
    """ceil(quota × eligible / total) in integers; 0 when total is 0."""
    return -(-quota * eligible // total) if total > 0 else 0


def _full_exemptions(c: Checker, value: Any) -> tuple[FullExemption, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise c.fail("full_exemptions", "phải là danh sách các mục {reasons, min_days | min_months}", value)
    out = []
    for i, item in enumerate(value):
        key = f"full_exemptions[{i}]"
        c.mapping(item, key, ("reasons", "min_days", "min_months"), ())
        reasons = c.texts(item.get("reasons"), f"{key}.reasons")
        min_days = c.integer(item["min_days"], f"{key}.min_days", 1) if "min_days" in item else None
        min_months = c.integer(item["min_months"], f"{key}.min_months", 1) if "min_months" in item else None
        if min_days is not None and min_months is not None:
            raise c.fail(key, 'chỉ được có một trong "min_days" hoặc "min_months"', item)
        if not reasons and min_days is None and min_months is None:
            raise c.fail(key, 'phải có "reasons" và/hoặc "min_days"/"min_months"', item)
        out.append(FullExemption(reasons, min_days, min_months))
    return tuple(out)


@dataclass(frozen=True)
class Quota(Check):
    days: int
    proration: str = "eligible_days_ceil"
    full_exemptions: tuple[FullExemption, ...] = ()

    key = "quota_days"
    keys = ("quota_days", "proration", "full_exemptions")
    order = 10

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> Quota:
        return cls(c.integer(doc["quota_days"], "quota_days", 1),
                   c.choice(doc.get("proration", "eligible_days_ceil"), "proration", PRORATION),
                   _full_exemptions(c, doc.get("full_exemptions")))

    def of(self, quota: int, eligible: int, period_days: int) -> int:
        """`quota` (the yearly one or a level's) for a cadre eligible on `eligible` of `period_days` days."""
        if self.proration == "none":
            return quota if eligible > 0 else 0
        return prorate(quota, eligible, period_days)

    def full_exemption(self, c: Cadre, year: Period) -> tuple[date, date, str] | None:
        """The exemption range that fully exempts `c` for `year`, if any."""
        for f, t, reason in c.exemptions:
            if f <= year.end and t >= year.start and any(r.matches(f, t, reason) for r in self.full_exemptions):
                return f, t, reason
        return None

    def why(self, c: Cadre, year: Period, quota: int, full: tuple[date, date, str] | None) -> str:
        """The quota's reasons as an official writes them: "Nghỉ thai sản từ 01/06/2020 đến
        30/11/2020; chỉ tiêu tính theo thời gian công tác: 25 ngày." (no capital after ";")."""
        reasons = absences(c, year)
        if full:
            f, t, reason = full
            head = span(reason or "Miễn đi cơ sở", f, t)
            reasons = [head] + [r for r in reasons if r != head]
            outcome = f"miễn chỉ tiêu năm {year.start.year}"
        elif quota == 0:
            outcome = f"không có ngày công tác trong kỳ tính nên không tính chỉ tiêu năm {year.start.year}"
        elif self.proration == "none":
            outcome = f"chỉ tiêu không giảm theo thời gian công tác (bộ quy tắc không tính theo tỷ lệ): {quota} ngày"
        else:
            outcome = f"chỉ tiêu tính theo thời gian công tác: {quota} ngày"
        return clause_join([*reasons, outcome]) + "."

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        year, to_date = facts.year, facts.to_date
        for row in rows:
            c = facts.cadres[row["id"]]
            eligible = row["eligible_days"]
            full = self.full_exemption(c, year)
            quota = 0 if full else self.of(self.days, eligible, year.days)
            elapsed = c.eligible_days(year.start, to_date) if to_date >= year.start else 0
            target = prorate(quota, elapsed, eligible)
            if full or eligible < year.days:
                row["notes"].append(self.why(c, year, quota, full))
            row.update(exempt=bool(full), quota=quota, elapsed_eligible_days=elapsed, target_to_date=target,
                       at_risk=bool(quota > 0 and row["counted_days"] < target))
            row["short"][self.key] = quota - row["counted_days"]


CHECK = Quota
