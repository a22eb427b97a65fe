"""One error base for "this run cannot produce its outputs".

Bad data is never an exception: it is an `Issue` (model.py) and the run goes on.
An exception deriving from `RunFailed` means the run stops before its outputs are
in place (a missing folder, a bad rule set, a broken template, an output folder that
cannot be written): its message is Vietnamese, for the clerk, and says what to do.
The command line turns every `RunFailed` into that message and exit code 1; anything
else reaching it is a bug ("Lỗi ngoài dự kiến").
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Issue


class RunFailed(Exception):
    """The run could not produce its outputs. `message` is for the clerk (Vietnamese).

    `issues` are the data problems found before the run stopped (shown with the message).
    """

    def __init__(self, message: str, issues: Iterable[Issue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = list(issues or [])


class InputError(RunFailed):
    """The drop folder or an option naming it cannot be used."""


class RuleSetError(RunFailed):
    """A rule set cannot be loaded, chosen or applied to the period asked for."""


class TemplateError(RunFailed):
    """A report template or the office configuration cannot be used."""


class OutputError(RunFailed):
    """The outputs could not be written or put in place; earlier outputs are kept."""


class SettingsError(RunFailed):
    """An environment setting (a DICOSO_* limit) is not valid."""
