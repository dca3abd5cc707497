"""Verify coverage and audit accounts: findings sheets, worst first, with a link to each row.

* **Verify coverage** checks every charge's insurance on its service date
  (:func:`addin.core.coverage.verify_coverage`: coverage in force, codes not covered, prior
  authorization, self-pay, verification older than 30 days) → sheet ``Coverage check``.
* **Audit accounts** lists what the workbook validator finds (blank required values, unknown
  IDs, duplicate keys, ...) and runs every discrepancy rule as of today
  (:func:`addin.core.audit.audit_book`: credits, insurer under/overpayments, duplicate payments
  and charges, wrong charge references, impossible dates, fee schedule, codes) → sheet
  ``Audit findings`` (``Audit`` is the log table's sheet).

Cells that could not be read (a text in a date column, a missing column) are findings too, on
the same sheet. Both sheets are replaced each time; the data tables are only read. Each run logs
an ``Audit`` row with the counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from addin.core.audit import audit_book
from addin.core.benefits import plans_from_frame
from addin.core.coverage import DEFAULT_STALE_DAYS, verify_coverage
from addin.core.findings import Finding, Severity, sort_findings
from addin.errors import PaxlError
from addin.workbook.port import Snapshot, WorkbookPort
from addin.workbook.schema import TABLES
from addin.workbook.validate import validate_book
from addin.workbook.write_plan import WritePlan, apply
from macros.layout import findings_sheet
from macros.runner import Result, require_usable

COVERAGE_SHEET = "Coverage check"
AUDIT_SHEET = "Audit findings"
COVERAGE_READS = ("Patients", "Plans", "Coverage", "Charges", "Audit")
AUDIT_READS = tuple(t.name for t in TABLES)


def verify_coverage_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Write the ``Coverage check`` sheet (see the module doc)."""
    snapshot = port.snapshot(COVERAGE_READS, policy=False)
    require_usable(snapshot, ("Audit",))
    book = snapshot.book
    findings = read_problems(snapshot, ("Plans", "Coverage", "Charges"))
    findings += verify_coverage(
        book["Charges"],
        book["Coverage"],
        plans_from_frame(book["Plans"]),
        stale_days=DEFAULT_STALE_DAYS,
    )
    heading = f"Coverage check as of {now.date().isoformat()}"
    return _write(port, snapshot, findings, COVERAGE_SHEET, heading, "verify_coverage", now, user)


def audit_accounts_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Write the ``Audit findings`` sheet (see the module doc)."""
    snapshot = port.snapshot(AUDIT_READS)
    require_usable(snapshot, ("Audit",))
    problems = validate_book(snapshot.book, known=read_problems(snapshot, AUDIT_READS))
    try:
        audit = audit_book(snapshot.book, as_of=now.date())
    except PaxlError as error:  # the ledger cannot run on these rows: show why, with the rest
        audit = [
            Finding(
                "audit_incomplete",
                f"The balance checks could not run: {error}",
                severity=Severity.ERROR,
                fix="Fix the problems listed here, then click Audit accounts again.",
            )
        ]
    findings = combine(problems, audit)
    heading = f"Audit of accounts as of {now.date().isoformat()}"
    return _write(port, snapshot, findings, AUDIT_SHEET, heading, "audit_accounts", now, user)


def read_problems(snapshot: Snapshot, tables: Sequence[str]) -> list[Finding]:
    """What the snapshot could not read in ``tables`` (and the Policy), as findings."""
    sheets = {snapshot.sheets.get(t, t) for t in tables} | {"Policy"}
    return [f for f in snapshot.findings if f.sheet in sheets]


def combine(problems: list[Finding], audit: list[Finding]) -> list[Finding]:
    """Validation problems plus the audit findings on cells validation did not report (as
    ``paxl audit`` does: each problem shows once)."""
    reported = {(p.sheet, p.row, p.column) for p in problems if p.row is not None}
    return problems + [f for f in audit if (f.sheet, f.row, f.column) not in reported]


def _write(
    port: WorkbookPort,
    snapshot: Snapshot,
    findings: list[Finding],
    sheet: str,
    heading: str,
    action: str,
    now: dt.datetime,
    user: str,
) -> Result:
    ordered = sort_findings(findings)
    errors = sum(1 for f in ordered if f.severity == Severity.ERROR)
    warnings = sum(1 for f in ordered if f.severity == Severity.WARNING)
    counts = f"{errors} error(s), {warnings} warning(s), {len(ordered) - errors - warnings} note(s)"
    message = (
        f"{counts}; see sheet {sheet}." if ordered else f"No problems found; see sheet {sheet}."
    )
    plan = (
        WritePlan()
        .write_sheet(findings_sheet(sheet, heading, ordered))
        .audit(at=now, who=user, action=action, rows=len(ordered), detail=f"{counts}; {sheet}")
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot), tuple(ordered))
