"""The collections placement file and the status changes to apply, as CSV (RFC 4180, UTF-8).

**Placement** (one row per eligible account, account order): ``Account`` (the guarantor's
PatientID), the guarantor's name, mailing address and phone, ``Balance`` (the amount due in
dollars, two places, no currency sign), ``FirstStatementDate`` (first statement of the oldest
open item), ``FinalNoticeDate``, ``DaysPast`` (days since the first statement), ``Patients``
(the PatientIDs whose care is in the balance, ``;``-separated). Dates are ISO ``YYYY-MM-DD``.

**Status changes** (one row per Patients row to edit): ``PatientID``, ``Sheet``, ``Row``,
``Column`` (``AccountStatus``), ``From`` and ``To`` (``Collections``) — for the macro or the rep
to apply; paxl never edits the workbook itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from addin.core.collections_rules import CollectionsReview, Decision
from addin.files import write_atomic

__all__ = [
    "PLACEMENT_COLUMNS",
    "STATUS_COLUMNS",
    "placement_csv",
    "placement_rows",
    "status_change_rows",
    "status_changes_csv",
    "write_placement",
    "write_status_changes",
]

PLACEMENT_COLUMNS = (
    "Account",
    "GuarantorName",
    "Address1",
    "Address2",
    "City",
    "State",
    "ZIP",
    "Phone",
    "Balance",
    "FirstStatementDate",
    "FinalNoticeDate",
    "DaysPast",
    "Patients",
)
STATUS_COLUMNS = ("PatientID", "Sheet", "Row", "Column", "From", "To")


def placement_rows(decisions: Iterable[Decision]) -> list[dict[str, str]]:
    """One row of text values per eligible decision (ineligible ones are left out)."""
    rows = []
    for d in decisions:
        if not d.eligible:
            continue
        c = d.contact
        rows.append(
            {
                "Account": d.account,
                "GuarantorName": c.name,
                "Address1": c.address1 or "",
                "Address2": c.address2 or "",
                "City": c.city or "",
                "State": c.state or "",
                "ZIP": c.zip or "",
                "Phone": c.phone or "",
                "Balance": f"{d.balance:.2f}",
                "FirstStatementDate": _iso(d.facts.first_statement),
                "FinalNoticeDate": _iso(d.final_notice),
                "DaysPast": "" if d.days_past is None else str(d.days_past),
                "Patients": ";".join(d.facts.patients),
            }
        )
    return rows


def status_change_rows(decisions: Iterable[Decision]) -> list[dict[str, str]]:
    """One row per AccountStatus cell to change, over every eligible decision."""
    return [
        {
            "PatientID": change.patient_id,
            "Sheet": change.sheet or "Patients",
            "Row": "" if change.row is None else str(change.row),
            "Column": change.column,
            "From": change.old or "",
            "To": change.new,
        }
        for d in decisions
        if d.eligible
        for change in d.status_changes
    ]


def placement_csv(review: CollectionsReview) -> bytes:
    return _csv(PLACEMENT_COLUMNS, placement_rows(review.eligible))


def status_changes_csv(review: CollectionsReview) -> bytes:
    return _csv(STATUS_COLUMNS, status_change_rows(review.eligible))


def write_placement(review: CollectionsReview, path: Path) -> Path:
    """Write the placement CSV atomically (temporary name, then moved into place)."""
    return write_atomic(placement_csv(review), Path(path))


def write_status_changes(review: CollectionsReview, path: Path) -> Path:
    """Write the status-changes CSV atomically."""
    return write_atomic(status_changes_csv(review), Path(path))


def _csv(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _iso(value: object) -> str:
    return "" if value is None else value.isoformat()  # type: ignore[attr-defined]
