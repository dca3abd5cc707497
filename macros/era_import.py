"""Import ERA: post an insurer's 835 remittance file into Payments and Adjustments.

The decisions are :func:`addin.era.post.post_era`'s (matching claims and lines, one insurer
payment per line under the trace number, CO adjustments, denials, reversals; a trace number
already posted is refused): this macro only reads the workbook, lets it decide, and writes the
result once — the new ``Payments`` and ``Adjustments`` rows, the report sheets (``ERA posting``,
``Denials``, ``Unmatched claims``, ``Provider adjustments``) and an ``Audit`` row. A file that
does not balance or that the parser reports errors for is never posted, and rows that fail the
workbook's checks (e.g. an ID already taken) stop the whole import: nothing is written.

**Which file.** The body takes the file's path. The desktop button asks Excel for it (Excel's
Open dialog, on Windows) unless the workbook has a cell named ``era_file`` holding a path; the
xlwings Lite/Server script takes the path as its argument — a path on the machine running
Python (xlwings Server's), not on the rep's computer.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from addin.era.balance import all_problems
from addin.era.parse import read_era
from addin.era.post import post_era
from addin.era.post_sheets import posting_sheets
from addin.errors import PaxlError
from addin.workbook.frames import is_blank
from addin.workbook.port import WorkbookPort
from addin.workbook.write_plan import WritePlan, apply
from macros.runner import Result, require_usable

log = logging.getLogger("paxl.macros")

READS = ("Patients", "Plans", "Coverage", "Charges", "Payments", "Adjustments", "Audit")
PATH_NAME = "era_file"
FILE_FILTER = "835 remittance files (*.835;*.edi;*.txt),*.835;*.edi;*.txt"


def import_era_on(port: WorkbookPort, *, now: dt.datetime, user: str, path: str | Path) -> Result:
    """Post the 835 file at ``path`` (see the module doc).

    Raises:
        PaxlError: the file cannot be read, is not postable, or repeats a trace number already
            posted; a new row fails the workbook's checks (PlanRejected). Nothing was written.
    """
    era = read_era(path)
    problems = all_problems(era)
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    posting = post_era(era, snapshot.book, posted_at=now, problems=problems)
    appends = posting.appends()
    payments, adjustments = appends["Payments"], appends["Adjustments"]
    source = Path(str(path)).name
    counts = (
        f"{len(payments)} payment row(s), {len(adjustments)} adjustment row(s), "
        f"{len(posting.denials)} denied line(s), {len(posting.unmatched)} unmatched claim(s)"
    )
    message = f"Posted {source}: {counts}. See sheet ERA posting."
    if posting.unmatched:
        message += " Unmatched claims were not posted: post them by hand (sheet Unmatched claims)."
    plan = WritePlan()
    for table, rows in appends.items():
        if rows:
            plan = plan.append(table, rows)
    for sheet in posting_sheets(posting):
        plan = plan.write_sheet(sheet)
    plan = plan.audit(
        at=now,
        who=user,
        action="import_era",
        table="Payments",
        rows=len(payments),
        detail=f"{source}: {counts}",
    ).alert(message)
    return Result(message, apply(plan, port, snapshot), tuple(posting.warnings))


def import_era_named_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """:func:`import_era_on` for the file in the cell named ``era_file``."""
    return import_era_on(port, now=now, user=user, path=era_path(port))


def era_path(port: WorkbookPort, book=None) -> str:
    """The 835 file to import: the cell named ``era_file``, else Excel's Open dialog (desktop
    Excel on Windows).

    Raises:
        PaxlError: no file chosen (the message says how to choose one).
    """
    named = port.name_values([PATH_NAME]).get(PATH_NAME)
    if not is_blank(named):
        return str(named).strip().strip('"')
    chosen = _ask(book) if book is not None else None
    if chosen:
        return chosen
    raise PaxlError(
        "No 835 file was chosen. Choose it in the Open dialog, or type its full path in a cell "
        f"named {PATH_NAME} (Formulas > Define Name), then click Import ERA again."
    )


def _ask(book) -> str | None:
    """Excel's Open dialog (Windows desktop only); ``None`` when unavailable or cancelled."""
    try:
        if book.app.engine.type != "desktop":
            return None
        answer = book.app.api.GetOpenFilename(FILE_FILTER, 1, "Choose the 835 file to post")
    except Exception:  # a host without the dialog (macOS, a server)
        log.debug("no Open dialog on this host", exc_info=True)
        return None
    return answer if isinstance(answer, str) and answer else None
