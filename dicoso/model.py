"""Plain data shared by every stage: problems, periods and the normalised tables.

The pipeline is one-way (read -> normalise -> rules -> render). Stages pass these
objects and pandas DataFrames whose columns are fixed here, so that each stage can
be written and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the reader's worker processes never load pandas
    import pandas as pd

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the data, addressed to the clerk.

    `message` and `suggestion` are Vietnamese with diacritics; `row` is the row
    number as Excel shows it (1-based); `column` is the header text or letter.
    `code` is stable (documented in README) so tests and tools can rely on it.
    `about` says what the row is about (the cadre's name, the trip's dates and place, as
    typed): a re-run after corrections matches problems by it, not by the row number,
    so a row inserted above does not make every problem below look fixed and new.
    `department` is the Ban the problem is sent to (rules/by_ban.py; "" for the office's
    own), set when summary.json is built.
    """

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    suggestion: str = ""
    about: str = ""
    department: str = ""

    def sort_key(self) -> tuple:
        return (self.file, self.sheet, self.row or 0, SEVERITY_ORDER[self.severity], self.code)

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "suggestion": self.suggestion,
            "about": self.about,
            "department": self.department,
        }


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive date range with the kind of run that asked for it."""

    start: date
    end: date
    kind: Literal["year", "quarter", "month", "custom"] = "year"
    label: str = ""  # "2020", "2020-Q2", "2020-04"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# --- Normalised tables -------------------------------------------------------
# Every row keeps its provenance: FILE (path relative to the input folder, with
# forward slashes), SHEET (sheet name) and ROW (Excel row number, 1-based).
PROVENANCE = ["file", "sheet", "row"]

# Trip register rows after reading (dates are datetime.date or None).
TRIP_COLUMNS = PROVENANCE + [
    "name",  # str, NFC, as typed (after TCVN3/VNI repair)
    "name_key",  # str, matching key (names.name_key)
    "position",  # str | ""
    "department",  # str | "" (Ban; from the column, else from the book's title/file name)
    "start",  # date
    "end",  # date
    "days_declared",  # float | NaN (the "Số ngày" column as typed)
    "place",  # str
    "level",  # str | "" (the "Cấp" column as typed)
    "content",  # str
    "order_no",  # str (Số công lệnh)
    "submitted",  # date | None (Ngày nộp báo cáo; None = not filed)
    "submitted_unknown",  # bool: the cell says filed without a date, or its date cannot be read
    "note",  # str
]

# Kept trips after the rules, as the renderers list them (Compliance.trips_table()):
# roster names, the report's due date and status, days counted inside the period.
TRIP_TABLE_COLUMNS = ["file", "sheet", "row", "name", "position", "department", "start", "end",
                      "days_declared", "counted_days", "place", "level", "content", "order_no",
                      "submitted", "due", "status", "days_late", "note"]

# Roster (danh sách cán bộ chuyên trách).
ROSTER_COLUMNS = PROVENANCE + [
    "name",
    "name_key",
    "position",
    "department",
    "service_start",  # date | None
    "service_end",  # date | None
    "exempt_from",  # date | None
    "exempt_to",  # date | None
    "exempt_reason",  # str
]

# Quarterly registrations (đăng ký đi cơ sở).
REGISTRATION_COLUMNS = PROVENANCE + [
    "name",
    "name_key",
    "department",
    "year",  # int
    "quarter",  # int 1..4
    "planned_days",  # float | NaN
    "place",
    "content",
]


# A Ban's per-cadre summary sheet ("Tổng hợp"): not counted, cross-checked (rules/ban_totals.py).
SUMMARY_COLUMNS = PROVENANCE + [
    "name",
    "name_key",
    "department",  # str | "" (the Ban column, else the sheet's title)
    "days",  # float | NaN (the Ban's own day total for the cadre, as typed)
    "days_column",  # str: the total's column as issues name it ('G (Số ngày đi cơ sở / Cả năm)')
]


@dataclass
class FileAccount:
    """What happened to the rows of one sheet of one book.

    `kind` is the sheet's class ("trips", "roster", "registration", "aliases", "summary"); the run's
    accounting identity (rows_read = counted + merged + rejected + skipped) is
    stated over the trip sheets, and separately for roster and registrations.
    """

    file: str
    sheet: str = ""
    kind: str = "trips"
    rows_read: int = 0  # every non-header row under a recognised header
    rows_skipped: int = 0  # blank, total, signature/footer rows
    rows_rejected: int = 0  # data rows that could not be used (each has an Issue)
    skip_reasons: dict[str, int] = field(default_factory=dict)
    # The fields its header row names (read/headers.py), e.g. whether a trip sheet has a
    # "Ngày nộp báo cáo" column at all; None when not known (then every field is assumed).
    fields: tuple[str, ...] | None = None


@dataclass
class ReadResult:
    """Output of the read+normalise stage, input of the rules engine."""

    trips: pd.DataFrame  # TRIP_COLUMNS
    roster: pd.DataFrame  # ROSTER_COLUMNS
    registrations: pd.DataFrame  # REGISTRATION_COLUMNS
    issues: list[Issue]
    files: list[FileAccount]
    files_skipped: list[tuple[str, str]]  # (file, Vietnamese reason)
    inputs: list[str]  # every file considered, relative paths
    aliases: dict[str, str] = field(default_factory=dict)  # name_key of a variant -> roster display name
    # relative path -> (size, sha256) of the bytes actually read (the manifest's record of the inputs)
    digests: dict[str, tuple[int, str]] = field(default_factory=dict)
    summaries: pd.DataFrame | None = None  # SUMMARY_COLUMNS; None when no book has a summary sheet
