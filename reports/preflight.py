"""Checks of the data before a report is rendered. Warnings are printed on the
report's data notes page; errors stop the run with a message that says what to
fix."""

from dataclasses import dataclass, field


class PreflightFailed(Exception):
    """The data cannot make a sound report; the message says what to fix."""


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def raise_errors(self) -> list[str]:
        if self.errors:
            raise PreflightFailed(" ".join(self.errors))
        return self.warnings
