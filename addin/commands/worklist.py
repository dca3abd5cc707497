"""`paxl worklist BOOK.xlsx [--as-of DATETIME] [--json]` — today's ranked worklist.

One list of what a rep should do today, most money at stake and most urgent first: data errors
to fix, credits to refund, insurer underpayments to appeal, denials to work, coverage problems on
unbilled charges, payment plans behind, collections (501(r)) dates, dunning levels reached, and
overdue patients who may be called right now. The rules and the ranking formula are in
:mod:`addin.core.worklist`.

A workbook with errors on some rows still gets a worklist: each error is a ``fix_data`` task and
its row is left out of the other tasks until fixed. Problems no row can be left out for (a
missing table or column) stop it with exit status 2. The workbook is only read; the printed list
carries IDs, codes, dates and amounts, never a patient's name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_moment
from addin.commands._output import print_json
from addin.core.worklist import Task, Worklist, build_worklist


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worklist",
        help="today's ranked worklist: refunds, appeals, denials, coverage, plans, collections, "
        "notices and calls",
        description=(
            "List what to do today, ranked by money at stake × urgency: data errors, credits "
            "to refund, insurer underpayments, denials, coverage problems on unbilled charges, "
            "payment plans behind, collections (501(r)) dates, dunning levels reached and "
            "overdue patients who may be called now. The workbook is only read."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm)")
    parser.add_argument(
        "--as-of",
        type=iso_moment,
        default=None,
        metavar="DATETIME",
        help="the moment of the run: 2026-11-15T10:30 (practice time), with an offset, or a "
        "date alone (noon practice time); default now",
    )
    parser.add_argument("--json", action="store_true", help="print the worklist as JSON")
    add_password_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.workbook.loader import read_book

    book, problems = read_book(args.book, password=password_from(args, args.book))
    now = args.as_of or dt.datetime.now(dt.UTC)
    worklist = build_worklist(book, now, problems=problems)
    if args.json:
        print_json(worklist.to_dict())
    else:
        sys.stdout.write(render_text(worklist))
    return 0


def render_text(worklist: Worklist) -> str:
    """The worklist for the terminal: one numbered block per task, best first."""
    lines = [f"Worklist for {worklist.now:%Y-%m-%d %H:%M %Z}: {len(worklist.tasks)} tasks, "]
    lines[0] += f"${worklist.total:,} at stake."
    if worklist.left_out:
        lines.append(
            f"{worklist.left_out} row(s) with errors are left out of the amounts until fixed."
        )
    lines.append("")
    width = len(str(len(worklist.tasks)))
    for number, task in enumerate(worklist.tasks, 1):
        lines += _block(task, f"{number:>{width}}.", " " * (width + 2))
    if not worklist.tasks:
        lines.append("Nothing to do today.")
    return "\n".join(lines) + "\n"


def _block(task: Task, number: str, indent: str) -> list[str]:
    where = task.sheet or ""
    if task.row is not None:
        where += f" row {task.row}"
    if task.column:
        where += f", {task.column}"
    return [
        f"{number} {task.kind}  ${task.dollars:,}  {_due(task)}  {where}  [{', '.join(task.ids)}]",
        f"{indent}Why: {task.reason}",
        f"{indent}Do:  {task.action}",
        "",
    ]


def _due(task: Task) -> str:
    if task.deadline is None:
        return "no deadline"
    days = task.days_left or 0
    if days == 0:
        return f"due {task.deadline} (today)"
    count = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    return (
        f"due {task.deadline} ({count} overdue)"
        if days < 0
        else f"due {task.deadline} (in {count})"
    )
