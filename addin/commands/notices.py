"""`paxl notices BOOK.xlsx [--as-of DATETIME] -o DIR [--json]` — the overdue-notice worklist.

Who is overdue and by which channel: :mod:`addin.core.overdue`; when a call may be placed:
:mod:`addin.core.contact_window`. Writes into ``DIR`` (each file under a temporary name, then
moved into place; the workbook is only read):

* ``letters/letter-<account>.pdf`` and ``letters.xlsx`` (the ``Letters`` table: address,
  amounts, file) — accounts reached by mail;
* ``emails/email-<account>.eml`` — RFC 5322 drafts, never sent by paxl;
* ``calls.csv`` and ``calls.json`` — the call list: each account's phone, zone, local time now,
  attempts in the limit period, whether a call may be placed now and why not (text items too);
* ``contacts-to-log.csv`` — Contacts rows (Letter/Email, Outcome ``Sent``) to append once the
  letters and emails have gone out, so the log stays complete.

``--as-of`` is the moment of the run: ``2026-11-15T10:30`` (practice time), with an offset
(``2026-11-15T10:30-05:00``), or a date alone (noon practice time). Default: now. The printed
summary has counts and file names only; problems (e.g. an invalid time zone) are listed with
sheet, row and column and do not stop the run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from addin.bills.email_drafts import DEFAULT_SENDER, email_file_name, write_email
from addin.bills.letters import letter_file_name, write_letter, write_letters_sheet
from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_moment
from addin.commands._output import print_findings, print_json
from addin.core.findings import Finding, sort_findings
from addin.core.overdue import Notice, NoticePlan, plan_notices
from addin.files import write_atomic

if TYPE_CHECKING:
    from addin.workbook.book import Book

CALL_COLUMNS = (
    "Account",
    "Name",
    "Phone",
    "Action",
    "TimeZone",
    "LocalTime",
    "InWindow",
    "Attempts",
    "MayCallNow",
    "WhyNot",
    "AmountDue",
    "DaysPast",
    "DunningLevel",
    "Note",
)
LOG_COLUMNS = ("ContactID", "PatientID", "ContactedAt", "Channel", "Outcome", "By", "Note")


@dataclass(frozen=True)
class NoticesSummary:
    """What a notices run made: counts, the files written and the problems found."""

    now: dt.datetime
    overdue: int
    letters: int
    emails: int
    calls: int
    texts: int
    may_call_now: int  # call items (not texts) that may be called at ``now``
    total_due: Decimal
    skipped: Mapping[str, int] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.now.isoformat(),
            "overdue_accounts": self.overdue,
            "letters": self.letters,
            "emails": self.emails,
            "calls": self.calls,
            "texts": self.texts,
            "may_call_now": self.may_call_now,
            "total_due": str(self.total_due),
            "skipped": dict(self.skipped),
            "files": dict(self.files),
            "findings": [f.to_dict() for f in sort_findings(list(self.findings))],
        }

    def text(self) -> str:
        """A few lines for the terminal (counts only, no patient data)."""
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        lines = [
            f"Overdue notices as of {self.now:%Y-%m-%d %H:%M %Z}: {self.overdue} accounts, "
            f"${self.total_due:,} due.",
            f"  letters {self.letters}, email drafts {self.emails}, "
            f"calls {self.calls} ({self.may_call_now} may be called now), texts {self.texts}",
        ]
        if skipped:
            lines.append(f"  not worked (overdue but {skipped})")
        lines += [f"  {what}: {path}" for what, path in self.files.items()]
        return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notices",
        help="overdue notices: letters, email drafts and the call list",
        description=(
            "Find the overdue accounts and write their notices by each guarantor's preferred "
            "contact: letters (PDF and a Letters sheet), email drafts (.eml) and a call list "
            "showing each patient's local time and whether a call may be placed now."
        ),
    )
    parser.add_argument("book", help="the workbook (.xlsx/.xlsm); it is only read")
    add_password_arguments(parser)
    parser.add_argument(
        "--as-of",
        type=iso_moment,
        help="moment of the run: 2026-11-15T10:30 (practice time), with an offset, or a date "
        "(noon); default now",
    )
    parser.add_argument("-o", "--out", required=True, help="folder to write the notices into")
    parser.add_argument(
        "--from-address",
        default=DEFAULT_SENDER,
        help=f"From address of the email drafts (default {DEFAULT_SENDER})",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.workbook.loader import load_book

    book = load_book(args.book, password=password_from(args, args.book))
    summary = run_notices(book, args.as_of, Path(args.out), sender=args.from_address)
    if args.json:
        print_json(summary.to_dict())
    else:
        print(summary.text())
        if summary.findings:
            print()
            print_findings(list(summary.findings), as_json=False)
    return 0


def run_notices(
    book: Book,
    as_of: dt.datetime | dt.date | None,
    out_dir: Path,
    *,
    sender: str = DEFAULT_SENDER,
) -> NoticesSummary:
    """Make the worklist and write every notice file into ``out_dir`` (module doc).

    Args:
        book: the loaded workbook (never written).
        as_of: the moment of the run (naive = practice time; a date = noon); ``None`` = now.
        out_dir: the folder to write into (created if missing).
        sender: From address of the email drafts.
    """
    plan = plan_notices(book, as_of if as_of is not None else dt.datetime.now(dt.UTC))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    letters, emails, calls = plan.letters, plan.emails, plan.calls
    for n in letters:
        write_letter(n.overdue, plan.practice, plan.as_of, out_dir / "letters" / _name(n))
    if letters:
        files["letters"] = str(out_dir / "letters")
    files["letters_sheet"] = str(write_letters_sheet(letters, out_dir / "letters.xlsx"))
    for n in emails:
        write_email(
            n.overdue, plan.practice, plan.now, out_dir / "emails" / _name(n), sender=sender
        )
    if emails:
        files["emails"] = str(out_dir / "emails")
    rows = [_call_row(n) for n in calls]
    files["calls_csv"] = str(write_atomic(_csv(CALL_COLUMNS, rows), out_dir / "calls.csv"))
    calls_json = json.dumps(_calls_document(plan, rows), indent=2).encode("utf-8") + b"\n"
    files["calls_json"] = str(write_atomic(calls_json, out_dir / "calls.json"))
    log = _csv(LOG_COLUMNS, _log_rows(plan, (*letters, *emails)))
    files["contacts_log"] = str(write_atomic(log, out_dir / "contacts-to-log.csv"))
    return NoticesSummary(
        now=plan.now,
        overdue=len(plan.notices),
        letters=len(letters),
        emails=len(emails),
        calls=sum(1 for n in calls if n.channel == "Call"),
        texts=sum(1 for n in calls if n.channel == "Text"),
        may_call_now=sum(1 for n in calls if n.channel == "Call" and n.call and n.call.may_call),
        total_due=sum((n.overdue.amount_due for n in plan.notices), Decimal("0.00")),
        skipped=dict(plan.skipped),
        files=files,
        findings=plan.findings,
    )


def _name(notice: Notice) -> str:
    if notice.channel == "Email":
        return email_file_name(notice.overdue)
    return letter_file_name(notice.overdue)


def _call_row(notice: Notice) -> dict[str, object]:
    item, call = notice.overdue, notice.call
    local = call.local_time if call is not None else None
    return {
        "Account": item.account,
        "Name": item.contact.name,
        "Phone": item.contact.phone or "",
        "Action": str(notice.channel),
        "TimeZone": notice.zone or "",
        "LocalTime": local.isoformat(timespec="minutes") if local else "",
        "InWindow": bool(call and call.in_window),
        "Attempts": call.attempts if call else 0,
        "MayCallNow": bool(call and call.may_call),
        "WhyNot": call.reason if call else "",
        "AmountDue": f"{item.amount_due:.2f}",
        "DaysPast": item.days_past,
        "DunningLevel": item.dunning_level,
        "Note": notice.note,
    }


def _calls_document(plan: NoticePlan, rows: Sequence[Mapping[str, object]]) -> dict[str, object]:
    rules = plan.rules
    return {
        "as_of": plan.now.isoformat(),
        "window": {"start": f"{rules.start:%H:%M}", "end": f"{rules.end:%H:%M}"},
        "limit": {"attempts": rules.limit, "days": rules.days},
        "calls": list(rows),
    }


def _log_rows(plan: NoticePlan, notices: Sequence[Notice]) -> list[dict[str, object]]:
    wall = plan.now.replace(tzinfo=None)  # practice time, as the Contacts log keeps it
    stamp = wall.strftime("%Y-%m-%d %H:%M")
    rows = []
    for n in notices:
        level = n.overdue.dunning_level
        final = level >= 5
        rows.append(
            {
                "ContactID": f"N{wall:%Y%m%d%H%M}-{n.overdue.account}",
                "PatientID": n.overdue.account,
                "ContactedAt": stamp,
                "Channel": str(n.channel),
                "Outcome": "Sent",
                "By": "paxl",
                "Note": "Final notice"
                if final
                else f"Past-due notice (level {n.overdue.dunning_level})",
            }
        )
    return rows


def _csv(columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
