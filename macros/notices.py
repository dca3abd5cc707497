"""Overdue notices: who is overdue, how to reach them, and the letters and email drafts to send.

The decisions are :func:`addin.core.overdue.plan_notices`'s: an account (guarantor) is overdue
when it owes something and its oldest *billed* open item is at dunning level 2 or more; it is not
worked while in collections, closed, or on a payment plan; its channel comes from the
guarantor's PreferredContact (letter, email draft, call or text), and a call is offered only
inside the calling window in the patient's own time zone and under the attempt limit (Policy
``call_window_*``, ``call_limit*``; the legal 08:00–21:00 and 7 calls in 7 days at most).

The button writes, once:

* the sheet **Overdue notices** (replaced each time): one row per account, most overdue first —
  account, name, channel, why it is overdue, amount due, dunning level, whether a call may be
  placed now and why not, the patient's local time and zone, call attempts, phone, the file made
  and a link to the guarantor's Patients row — then any problems found (no address, an invalid
  time zone), with sheet, row and column;
* on desktop Excel only, the letters (PDF) and email drafts (``.eml``) in
  ``<workbook folder>/paxl-notices/<YYYY-MM-DD>/`` (:mod:`macros.files`), and for each of them a
  ``Contacts`` row (Channel ``Letter``/``Email``, Outcome ``Sent``, By = who clicked), so the
  contact history stays complete. Where no files can be made (xlwings Lite/Server, an unsaved
  workbook) nothing is logged, and the message box says so;
* an ``Audit`` row with the counts.

An account that already had a letter or email logged as Sent on the practice's date (a second
click the same day) is listed but not sent another notice. Nothing is written to any table when a
Contacts row would fail the workbook's checks (PlanRejected, with sheet, row and column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from addin.bills.email_drafts import email_file_name, write_email
from addin.bills.letters import letter_file_name, write_letter
from addin.core.findings import has_errors, sort_findings
from addin.core.overdue import Channel, Notice, NoticePlan, plan_notices
from addin.workbook.port import Block, SheetContent, WorkbookPort
from addin.workbook.write_plan import PlanRejected, WritePlan, apply, validate
from macros.files import NO_FOLDER, output_folder, workbook_folder, write_files
from macros.layout import DATETIME, MONEY, TEXT, header_row, link, title
from macros.runner import Result, require_usable, where

SHEET = "Overdue notices"
READS = (
    "Patients",
    "Plans",
    "Coverage",
    "Charges",
    "Payments",
    "Adjustments",
    "PaymentPlans",
    "Statements",
    "Contacts",
    "Audit",
)
WRITTEN = (Channel.LETTER, Channel.EMAIL)
FINAL_LEVEL = 5
HEADER_ROW = 5
HEADER = (
    "Account",
    "Name",
    "Channel",
    "Reason",
    "Amount due",
    "Dunning level",
    "Call allowed now",
    "Why not",
    "Local time",
    "Time zone",
    "Attempts",
    "Phone",
    "Note",
    "File",
    "Go to",
)
FORMATS = (
    TEXT,
    None,
    None,
    None,
    MONEY,
    "0",
    None,
    None,
    DATETIME,
    TEXT,
    "0",
    TEXT,
    None,
    None,
    None,
)
WIDTHS = (
    (1, 12),
    (2, 22),
    (3, 9),
    (4, 52),
    (5, 13),
    (6, 8),
    (7, 10),
    (8, 44),
    (9, 17),
    (10, 20),
    (11, 9),
    (12, 15),
    (13, 40),
    (14, 22),
    (15, 20),
)
ALREADY_SENT = "already sent today"


def overdue_notices_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """The button: :func:`overdue_notices_into` with the files next to the workbook when it is
    open in desktop Excel (:func:`macros.files.workbook_folder`), else without files."""
    return overdue_notices_into(port, now=now, user=user, folder=workbook_folder(port))


def overdue_notices_into(
    port: WorkbookPort, *, now: dt.datetime, user: str, folder: Path | None
) -> Result:
    """Write the Overdue notices sheet, and with ``folder`` the letters, drafts and Contacts
    rows (see the module doc).

    Args:
        port: the workbook.
        now: the moment of the click, practice wall-clock time (the Policy's zone).
        user: who clicked (Contacts.By, Audit.Who).
        folder: the folder to make ``paxl-notices/<date>/`` in; ``None`` makes no files and
            logs no contacts.

    Raises:
        PlanRejected: a Contacts row fails the workbook's checks; nothing was written.
        PaxlError: a table is missing, or a file could not be written; nothing was written.
    """
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    notices = plan_notices(snapshot.book, now)
    sent = sent_on(snapshot["Contacts"], notices.as_of)
    due = [n for n in notices.by_channel(*WRITTEN) if n.overdue.account not in sent]
    target = output_folder(folder, "notices", notices.as_of) if folder is not None else None
    files = {n.overdue.account: file_name(n) for n in due} if target is not None else {}
    contacts = contact_rows(notices, due, user) if target is not None else []
    message = notices_message(notices, target, len(contacts), len(sent & _accounts(notices)))
    sheet = notices_sheet(notices, files, sent, target)
    plan = WritePlan()
    if contacts:
        plan = plan.append("Contacts", contacts)
    plan = (
        plan.write_sheet(sheet)
        .audit(
            at=now,
            who=user,
            action="overdue_notices",
            table="Contacts" if contacts else None,
            rows=len(notices.notices),
            detail=_counts(notices) + f"; {len(contacts)} notice(s) made",
        )
        .alert(message)
    )
    problems = validate(plan, snapshot)
    if has_errors(problems):
        raise PlanRejected(problems)
    if target is not None:
        write_files(_writers(notices, due, target))
    return Result(message, apply(plan, port, snapshot), tuple(notices.findings))


def sent_on(contacts: pd.DataFrame, day: dt.date) -> set[str]:
    """PatientIDs with a Letter or Email Contacts row, Outcome Sent, dated ``day``."""
    if contacts.empty:
        return set()
    when = pd.to_datetime(contacts["ContactedAt"]).dt.date
    mask = (
        contacts["Channel"].isin([str(c) for c in WRITTEN]).to_numpy(dtype=bool)
        & (contacts["Outcome"] == "Sent").to_numpy(dtype=bool)
        & (when == day).to_numpy(dtype=bool)
    )
    return {str(p) for p in contacts.loc[mask, "PatientID"].dropna()}


def file_name(notice: Notice) -> str:
    """The letter's or draft's file name (``letter-<account>.pdf``, ``email-<account>.eml``)."""
    if notice.channel is Channel.EMAIL:
        return email_file_name(notice.overdue)
    return letter_file_name(notice.overdue)


def contact_rows(notices: NoticePlan, sent: Sequence[Notice], user: str) -> list[dict[str, object]]:
    """One Contacts row per letter or draft made: ``N<YYYYmmddHHMM>-<account>``, practice time."""
    wall = notices.now.replace(tzinfo=None, microsecond=0)
    rows = []
    for notice in sent:
        item = notice.overdue
        level = item.dunning_level
        rows.append(
            {
                "ContactID": f"N{wall:%Y%m%d%H%M}-{item.account}",
                "PatientID": item.account,
                "ContactedAt": wall,
                "Channel": str(notice.channel),
                "Outcome": "Sent",
                "By": user,
                "Note": "Final notice"
                if level >= FINAL_LEVEL
                else f"Past-due notice (level {level})",
            }
        )
    return rows


def reason(notice: Notice) -> str:
    """Why the account is on the list (dates and days only)."""
    item = notice.overdue
    final = ", final notice" if item.dunning_level >= FINAL_LEVEL else ""
    return (
        f"Oldest unpaid bill sent {item.first_statement.isoformat()}, {item.days_past} days ago "
        f"(dunning level {item.dunning_level}{final})."
    )


def notices_sheet(
    notices: NoticePlan, files: dict[str, str], sent: set[str], target: Path | None
) -> SheetContent:
    """The Overdue notices sheet: title, counts, where the files are, the list, the problems."""
    stamp = notices.now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M")
    rules = notices.rules
    blocks: list[Block] = [
        title(1, f"Overdue notices as of {stamp} (practice time)"),
        Block(
            2,
            1,
            (
                (
                    f"{_counts(notices)}. Calls only {rules.start:%H:%M}-{rules.end:%H:%M} in the "
                    f"patient's own time and under {rules.limit} attempts in {rules.days} days; "
                    "local times are as of the run.",
                ),
            ),
        ),
        Block(3, 1, ((_files_line(target),),)),
        header_row(HEADER_ROW, HEADER),
    ]
    rows = tuple(_row(n, files, sent, target) for n in notices.notices)
    if rows:
        blocks.append(Block(HEADER_ROW + 1, 1, rows, column_formats=FORMATS))
    else:
        blocks.append(Block(HEADER_ROW + 1, 1, (("No overdue accounts to work.",),)))
    problems = sort_findings(list(notices.findings))
    if problems:
        first = HEADER_ROW + 2 + max(len(rows), 1)
        blocks.append(title(first, "Problems found"))
        lines = tuple(
            (str(f.severity), where(f), f"{f.message} {f.fix}".strip(), link(f.sheet, f.row))
            for f in problems
        )
        blocks.append(Block(first + 1, 1, lines))
    return SheetContent(SHEET, blocks=tuple(blocks), column_widths=WIDTHS)


def _row(
    notice: Notice, files: dict[str, str], sent: set[str], target: Path | None
) -> tuple[object, ...]:
    item, call, contact = notice.overdue, notice.call, notice.overdue.contact
    calling = notice.channel in (Channel.CALL, Channel.TEXT)
    allowed = ("Yes" if call.may_call else "No") if calling and call is not None else None
    local = call.local_time.replace(tzinfo=None) if call and call.local_time else None
    file = None
    if notice.channel in WRITTEN:
        if item.account in sent:
            file = ALREADY_SENT
        elif target is not None:
            file = files.get(item.account)
    return (
        item.account,
        contact.name or None,
        str(notice.channel),
        reason(notice),
        item.amount_due,
        item.dunning_level,
        allowed,
        (call.reason or None) if calling and call is not None else None,
        local,
        notice.zone if calling else None,
        call.attempts if calling and call is not None else None,
        contact.phone,
        notice.note or None,
        file,
        link(contact.sheet, contact.row),
    )


def _counts(notices: NoticePlan) -> str:
    calls = [n for n in notices.calls if n.channel is Channel.CALL]
    texts = len(notices.calls) - len(calls)
    may_call = sum(1 for n in calls if n.call is not None and n.call.may_call)
    text = (
        f"{len(notices.notices)} overdue account(s): {len(notices.letters)} letter(s), "
        f"{len(notices.emails)} email draft(s), {len(calls)} call(s) ({may_call} may be called "
        f"now), {texts} text(s)"
    )
    if notices.skipped:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(notices.skipped.items()))
        text += f"; not worked: {skipped}"
    return text


def _files_line(target: Path | None) -> str:
    if target is None:
        return f"No letters or email drafts were made: {NO_FOLDER}."
    return f"Letters and email drafts: {target}"


def notices_message(notices: NoticePlan, target: Path | None, logged: int, repeats: int) -> str:
    """The message box: counts, where the files went (or why none), what was logged."""
    message = f"{_counts(notices)}. See sheet {SHEET}."
    if target is None:
        message += f" No letters or email drafts were made: {NO_FOLDER}; nothing was logged."
    else:
        message += f" {logged} letter(s)/draft(s) made in {target} and logged to Contacts as Sent."
    if repeats:
        message += f" {repeats} account(s) already had a notice today and were not sent another."
    if notices.findings:
        message += f" {len(notices.findings)} problem(s) are listed under the table."
    return message


def _accounts(notices: NoticePlan) -> set[str]:
    return {n.overdue.account for n in notices.by_channel(*WRITTEN)}


def _writers(notices: NoticePlan, due: Sequence[Notice], target: Path) -> list:
    writers = []
    for notice in due:
        path = target / file_name(notice)
        item = notice.overdue
        if notice.channel is Channel.EMAIL:
            writers.append(
                (path, lambda p, i=item: write_email(i, notices.practice, notices.now, p))
            )
        else:
            writers.append(
                (path, lambda p, i=item: write_letter(i, notices.practice, notices.as_of, p))
            )
    return writers


__all__ = [
    "SHEET",
    "contact_rows",
    "notices_sheet",
    "overdue_notices_into",
    "overdue_notices_on",
    "sent_on",
]
