"""Running a button: one body per macro, three ways in, errors translated once.

A macro *body* is ``body(port, *, now, user) -> Result``: it reads what it needs through the
:class:`~addin.workbook.port.WorkbookPort` (one :meth:`~addin.workbook.port.WorkbookPort.snapshot`),
lets the core decide, builds one :class:`~addin.workbook.write_plan.WritePlan` and applies it
once. A body that finds nothing to do tells the rep so (``port.alert``) and writes nothing; a
body that finds a problem raises :class:`~addin.errors.PaxlError` (a
:class:`~addin.workbook.write_plan.PlanRejected` carries every problem) before anything is
written.

:func:`run_macro` is the one place a ``PaxlError`` becomes a message box (the rep sees what to
fix, with sheet, row and column); any other exception is a bug: it is logged with its traceback
and the rep gets a short apology, never the raw error (STYLE "translate once per front end").
The desktop entry points (:mod:`macros`) and the xlwings Lite/Server scripts
(:mod:`macros.scripts`) both go through :func:`run_on_book`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from addin.core.findings import Finding, Severity, sort_findings
from addin.errors import PaxlError
from addin.workbook.port import Snapshot, WorkbookPort
from addin.workbook.write_plan import Applied, PlanRejected

log = logging.getLogger("paxl.macros")

#: how many problems a message box lists before "... and N more"
ALERT_PROBLEMS = 8
#: read problems that make a table unusable for a macro (vs. a bad cell in one row)
STRUCTURAL = frozenset({"missing_table", "missing_column", "missing_header"})
UNKNOWN_USER = "unknown"


@dataclass(frozen=True)
class Result:
    """What a macro did.

    Attributes:
        message: what the rep was told (the message box text).
        applied: what was written (``None``: nothing was written).
        findings: problems or findings the macro reported (e.g. the rows of a findings sheet).
    """

    message: str
    applied: Applied | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def wrote(self) -> bool:
        return self.applied is not None


Body = Callable[..., Result]


def run_macro(
    body: Body, port: WorkbookPort, *, now: dt.datetime | None = None, user: str | None = None
) -> Result:
    """Run a macro body on a port, showing the rep one message box whatever happens.

    Args:
        body: ``body(port, *, now, user) -> Result``.
        port: the workbook.
        now: the time stamped on postings and Audit rows (default: the local time now, to the
            second); its date is the macro's "today".
        user: who clicked (default: :func:`user_name`).

    Returns:
        The body's result; on a ``PaxlError`` or a bug, a result that wrote nothing whose
        message is what the rep was shown.
    """
    when = now or dt.datetime.now().replace(microsecond=0)
    who = user or user_name()
    try:
        return body(port, now=when, user=who)
    except PaxlError as error:
        message = error_message(error)
        findings = error.findings if isinstance(error, PlanRejected) else ()
    except Exception:
        log.exception("paxl macro %s failed", getattr(body, "__name__", body))
        message = (
            "paxl hit an unexpected problem and stopped; the details are in the paxl log. "
            "Please tell your paxl administrator what you clicked."
        )
        findings = ()
    port.alert(message)
    return Result(message, None, tuple(findings))


def run_on_book(
    body: Body, book, *, now: dt.datetime | None = None, user: str | None = None
) -> Result:
    """Run a macro body on an ``xw.Book`` (the caller's book on desktop, the injected one on
    xlwings Lite/Server, or one from the remote engine in tests); see :func:`run_macro`."""
    from addin.workbook.xlwings_adapter import XlwingsWorkbook

    return run_macro(body, XlwingsWorkbook(book), now=now, user=user or user_name(book))


def user_name(book=None) -> str:
    """Who is clicking: Excel's user name on Windows desktop where available, else the
    operating-system login (``getpass.getuser()``), else ``"unknown"`` (e.g. in a browser)."""
    if book is not None:
        try:
            if book.app.engine.type == "desktop":
                name = str(book.app.api.UserName or "").strip()
                if name:
                    return name[:64]
        except Exception:  # a best-effort probe: every host differs here
            log.debug("no Excel user name on this host", exc_info=True)
    try:
        return getpass.getuser()[:64] or UNKNOWN_USER
    except (OSError, KeyError, ImportError):  # no login name (e.g. a browser sandbox)
        return UNKNOWN_USER


# --- messages -------------------------------------------------------------------------------


def where(finding: Finding) -> str:
    """``sheet NewPayments, row 5, column PatientID`` (the parts that are known)."""
    parts = []
    if finding.sheet:
        parts.append(f"sheet {finding.sheet}")
    if finding.row:
        parts.append(f"row {finding.row}")
    if finding.column:
        parts.append(f"column {finding.column}")
    return ", ".join(parts)


def describe(findings: Sequence[Finding], *, limit: int = ALERT_PROBLEMS) -> str:
    """The errors among ``findings`` as message-box lines (worst first, at most ``limit``)."""
    errors = [f for f in sort_findings(list(findings)) if f.severity == Severity.ERROR]
    lines = []
    for finding in errors[:limit]:
        place = where(finding)
        text = f"{finding.message} {finding.fix}".strip()
        lines.append(f"- {place}: {text}" if place else f"- {text}")
    if len(errors) > limit:
        lines.append(f"- ... and {len(errors) - limit} more problem(s).")
    return "\n".join(lines)


def error_message(error: PaxlError) -> str:
    """The message box for a refused macro: every problem of a rejected plan, else the error."""
    if isinstance(error, PlanRejected):
        count = sum(1 for f in error.findings if f.severity == Severity.ERROR)
        head = f"Nothing was written: {count} problem(s) to fix first."
        return f"{head}\n{describe(error.findings)}"
    return str(error)


# --- checks shared by the bodies --------------------------------------------------------------


def require_usable(snapshot: Snapshot, tables: Iterable[str]) -> None:
    """Refuse to run when a table the macro needs is missing or lacks a column.

    Raises:
        PlanRejected: listing each structural problem (sheet, row, column) of those tables.
    """
    names = set(tables)
    problems = [
        f
        for f in snapshot.findings
        if f.code in STRUCTURAL
        and f.severity == Severity.ERROR
        and (f.sheet in names or _table_of(f, snapshot) in names)
    ]
    if problems:
        raise PlanRejected(problems)


def _table_of(finding: Finding, snapshot: Snapshot) -> str | None:
    for table, sheet in snapshot.sheets.items():
        if sheet == finding.sheet:
            return table
    return None


def input_errors(snapshot: Snapshot, sheet: str | None) -> list[Finding]:
    """The error findings read from one sheet (e.g. the rep's staging rows)."""
    return [f for f in snapshot.findings if f.sheet == sheet and f.severity == Severity.ERROR]
