"""Today's worklist: one ranked list of what to do today, on the sheet ``Today``.

The tasks and their order are :func:`addin.core.worklist.build_worklist`'s: data errors to fix,
credits to refund, insurer underpayments to appeal, denials to work, coverage problems on unbilled
charges, payment plans behind, collections (501(r)) dates, dunning levels reached, and overdue
patients who may be called right now — each with its reason, the money at stake, the deadline and
the action. Ranking: ``score = urgency weight × max(amount, $25.00)``, the weight being 8 when the
deadline is today or past, 4 within 7 days, 2 within 30 days, else 1 (highest score first).

Rows with errors (as Audit accounts finds them) become "fix data" tasks and are left out of the
other tasks until fixed. The sheet is replaced each time; data tables are only read; an ``Audit``
row records the run.
"""

from __future__ import annotations

import datetime as dt

from addin.core.worklist import Task, Worklist, build_worklist
from addin.workbook.port import Block, SheetContent, WorkbookPort
from addin.workbook.validate import validate_book
from addin.workbook.write_plan import WritePlan, apply
from macros.checks import AUDIT_READS, read_problems
from macros.layout import DATE, MONEY, TEXT, header_row, link, title
from macros.runner import Result, require_usable

SHEET = "Today"
HEADER_ROW = 5
HEADER = (
    "Rank",
    "Kind",
    "Reason",
    "Amount",
    "Deadline",
    "Days left",
    "Action",
    "IDs",
    "Where",
    "Go to",
)
FORMATS = ("0", None, None, MONEY, DATE, "0", None, TEXT, TEXT, None)
WIDTHS = (
    (1, 6),
    (2, 20),
    (3, 70),
    (4, 13),
    (5, 12),
    (6, 9),
    (7, 60),
    (8, 22),
    (9, 22),
    (10, 20),
)
RANKING = (
    "Ranked by score = urgency × max(amount, $25.00); urgency 8 when the deadline is today or "
    "past, 4 within 7 days, 2 within 30 days, else 1."
)


def todays_worklist_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Replace the Today sheet with the ranked worklist at ``now`` (see the module doc).

    Args:
        port: the workbook.
        now: the moment of the click, practice wall-clock time (calls are checked at it).
        user: who clicked (Audit.Who).

    Raises:
        PaxlError: a table or column is missing (no row can be left out for it); nothing was
            written.
    """
    snapshot = port.snapshot(AUDIT_READS)
    require_usable(snapshot, ("Audit",))
    problems = validate_book(snapshot.book, known=read_problems(snapshot, AUDIT_READS))
    worklist = build_worklist(snapshot.book, now, problems=problems)
    message = worklist_message(worklist)
    plan = (
        WritePlan()
        .write_sheet(worklist_sheet(worklist))
        .audit(
            at=now,
            who=user,
            action="todays_worklist",
            rows=len(worklist.tasks),
            detail=f"{len(worklist.tasks)} task(s), ${worklist.total:,} at stake",
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot))


def kind_label(task: Task) -> str:
    """``appeal_underpayment`` → ``Appeal underpayment``."""
    return str(task.kind).replace("_", " ").capitalize()


def place(task: Task) -> str | None:
    """``Charges row 12, Amount`` (the parts that are known)."""
    if not task.sheet:
        return None
    text = task.sheet + (f" row {task.row}" if task.row else "")
    return text + (f", {task.column}" if task.column else "")


def worklist_message(worklist: Worklist) -> str:
    if not worklist.tasks:
        return f"Nothing to do today. See sheet {SHEET}."
    text = f"{len(worklist.tasks)} task(s) today, ${worklist.total:,} at stake; see sheet {SHEET}."
    if worklist.left_out:
        text += f" {worklist.left_out} row(s) with errors are left out of the amounts until fixed."
    return text


def worklist_sheet(worklist: Worklist) -> SheetContent:
    """The Today sheet: title, ranking rule, then one row per task, best first."""
    stamp = worklist.now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M")
    summary = f"{len(worklist.tasks)} task(s), ${worklist.total:,} at stake. {RANKING}"
    if worklist.left_out:
        summary += (
            f" {worklist.left_out} row(s) with errors are left out of the amounts until fixed."
        )
    blocks: list[Block] = [
        title(1, f"Today's worklist, {stamp} (practice time)"),
        Block(2, 1, ((summary,),)),
        header_row(HEADER_ROW, HEADER),
    ]
    rows = tuple(
        (
            rank,
            kind_label(t),
            t.reason,
            t.dollars,
            t.deadline,
            t.days_left,
            t.action,
            ", ".join(t.ids) or None,
            place(t),
            link(t.sheet, t.row),
        )
        for rank, t in enumerate(worklist.tasks, start=1)
    )
    if rows:
        blocks.append(Block(HEADER_ROW + 1, 1, rows, column_formats=FORMATS))
    else:
        blocks.append(Block(HEADER_ROW + 1, 1, (("Nothing to do today.",),)))
    return SheetContent(SHEET, blocks=tuple(blocks), column_widths=WIDTHS)


__all__ = ["SHEET", "todays_worklist_on", "worklist_sheet"]
