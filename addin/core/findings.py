"""Problems found in the data, as values: validation problems, audit and coverage findings.

A finding names where it is (sheet, Excel row, column), what is wrong in one sentence, and how to
fix it. Messages carry IDs only, never names, birth dates or balances of a patient.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem: where, what, and what to do about it."""

    code: str  # short machine name of the kind of problem, e.g. "duplicate_id"
    message: str  # one sentence saying what is wrong
    sheet: str | None = None
    row: int | None = None  # Excel row number (1-based)
    column: str | None = None
    severity: Severity = Severity.ERROR
    fix: str = ""  # what to do about it
    ids: tuple[str, ...] = ()  # IDs involved (PatientID, ChargeID, PaymentID, ...)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["ids"] = list(self.ids)
        return data


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first, then in sheet and row order."""
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER[f.severity], f.sheet or "", f.row or 0, f.column or ""),
    )


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)
