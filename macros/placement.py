"""Send to collections: which accounts may be placed with the agency, and what to change for them.

The decisions are :func:`addin.core.collections_rules.review_collections`'s: an account with an
amount due is eligible only when it owes at least Policy ``collections_minimum``, its oldest open
bill went out more than ``collections_days`` ago, a written final notice was sent at least
``final_notice_days`` ago, no member is on an active plan, closed, already in collections or
waiting on an assistance application, and — for a nonprofit hospital — the IRS 501(r) dates have
passed. Every other account is listed with each rule it fails.

The button writes, once: the sheet **Collections** (replaced each time) — the eligible accounts
with the placement fields (guarantor, address, phone, balance, first statement, final notice,
days past, 501(r) date), the accounts not eligible with their reasons, and the **Status
changes** block: each Patients row whose AccountStatus should become ``Collections`` (PatientID,
sheet, row, current status → Collections, a link to the row); an ``Audit`` row; and on desktop
Excel the placement file and the status changes as CSV in
``<workbook folder>/paxl-collections/<YYYY-MM-DD>/`` (:mod:`addin.bills.placement`).

paxl never rewrites a row of a data table (DESIGN §6): it does not change AccountStatus itself.
The rep sends the placement file and then changes the listed cells; until then the accounts stay
on the notices and statement runs as before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

from addin.bills.placement import write_placement, write_status_changes
from addin.core.collections_rules import CollectionsReview, Decision, review_collections
from addin.core.findings import has_errors
from addin.core.money import from_cents
from addin.workbook.port import Block, SheetContent, WorkbookPort
from addin.workbook.write_plan import PlanRejected, WritePlan, apply, validate
from macros.files import NO_FOLDER, output_folder, workbook_folder, write_files
from macros.layout import DATE, MONEY, TEXT, header_row, link, title
from macros.runner import Result, require_usable

SHEET = "Collections"
READS = (
    "Patients",
    "Plans",
    "Coverage",
    "Charges",
    "Payments",
    "Adjustments",
    "PaymentPlans",
    "Statements",
    "Audit",
)
PLACEMENT_FILE = "placement.csv"
STATUS_FILE = "status-changes.csv"
ELIGIBLE_HEADER = (
    "Account",
    "Guarantor",
    "Address1",
    "Address2",
    "City",
    "State",
    "ZIP",
    "Phone",
    "Balance",
    "First statement",
    "Final notice",
    "Days past",
    "501(r) earliest",
    "Patients",
    "Go to",
)
ELIGIBLE_FORMATS = (
    TEXT,
    None,
    None,
    None,
    None,
    TEXT,
    TEXT,
    TEXT,
    MONEY,
    DATE,
    DATE,
    "0",
    DATE,
    TEXT,
    None,
)
INELIGIBLE_HEADER = (
    "Account",
    "Guarantor",
    "Balance",
    "First statement",
    "Days past",
    "Why not",
    "Rules failed",
    "Go to",
)
INELIGIBLE_FORMATS = (TEXT, None, MONEY, DATE, "0", None, TEXT, None)
STATUS_HEADER = ("PatientID", "Sheet", "Row", "Current AccountStatus", "Change to", "Go to")
STATUS_FORMATS = (TEXT, TEXT, "0", None, None, None)
NEVER_REWRITES = (
    "paxl never rewrites rows of the data tables: after sending the placement file, change each "
    "AccountStatus listed under Status changes to Collections yourself (the link jumps to the row)."
)
WIDTHS = ((1, 12), (2, 22), (3, 22), (4, 14), (5, 14), (6, 10), (7, 10), (8, 14), (9, 13))


def send_to_collections_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """The button: :func:`send_to_collections_into` with the files next to the workbook when it
    is open in desktop Excel, else without files."""
    return send_to_collections_into(port, now=now, user=user, folder=workbook_folder(port))


def send_to_collections_into(
    port: WorkbookPort, *, now: dt.datetime, user: str, folder: Path | None
) -> Result:
    """Write the Collections sheet (and with ``folder`` the placement and status-change CSVs).

    Raises:
        PaxlError: a table is missing, a Policy collections setting is unusable, or a file
            could not be written; nothing was written.
    """
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    today = now.date()
    review = review_collections(snapshot.book, today)
    target = output_folder(folder, "collections", today) if folder is not None else None
    message = collections_message(review, target)
    changes = sum(len(d.status_changes) for d in review.eligible)
    plan = (
        WritePlan()
        .write_sheet(collections_sheet(review, target))
        .audit(
            at=now,
            who=user,
            action="send_to_collections",
            rows=len(review.eligible),
            detail=(
                f"{len(review.eligible)} eligible, {len(review.ineligible)} not eligible, "
                f"{changes} status change(s) to apply"
            ),
        )
        .alert(message)
    )
    problems = validate(plan, snapshot)
    if has_errors(problems):
        raise PlanRejected(problems)
    if target is not None:
        write_files(
            [
                (target / PLACEMENT_FILE, lambda p: write_placement(review, p)),
                (target / STATUS_FILE, lambda p: write_status_changes(review, p)),
            ]
        )
    return Result(message, apply(plan, port, snapshot))


def total_placed(review: CollectionsReview) -> Decimal:
    """The eligible accounts' balances, dollars."""
    return sum((d.balance for d in review.eligible), Decimal("0.00"))


def collections_message(review: CollectionsReview, target: Path | None) -> str:
    """The message box: counts, the files (or why none), and who changes AccountStatus."""
    reviewed = len(review.eligible) + len(review.ineligible)
    changes = sum(len(d.status_changes) for d in review.eligible)
    message = (
        f"{reviewed} account(s) with a balance reviewed: {len(review.eligible)} eligible for "
        f"collections (${total_placed(review):,}), {len(review.ineligible)} not. "
        f"See sheet {SHEET}."
    )
    if review.eligible:
        if target is None:
            message += f" No placement file was made: {NO_FOLDER}."
        else:
            message += f" Placement file: {target / PLACEMENT_FILE}."
        message += (
            f" {changes} AccountStatus change(s) to apply: paxl never rewrites rows of the data "
            "tables, so change them yourself (listed under Status changes)."
        )
    return message


def collections_sheet(review: CollectionsReview, target: Path | None) -> SheetContent:
    """The Collections sheet: eligible accounts, status changes, then the accounts not eligible."""
    rules = review.rules
    reasons: Counter[str] = Counter(r.code for d in review.ineligible for r in d.reasons)
    summary = (
        f"Eligible: {len(review.eligible)} (${total_placed(review):,}); not eligible: "
        f"{len(review.ineligible)}"
        + (f" ({', '.join(f'{c} {n}' for c, n in sorted(reasons.items()))})" if reasons else "")
        + f". Rules: balance at least ${from_cents(rules.minimum):,}, first bill more than "
        f"{rules.collections_days} days ago, final notice at least {rules.final_notice_days} days "
        "ago, no active plan or pending assistance"
        + ("; IRS 501(r) dates passed." if rules.nonprofit else ".")
    )
    files = (
        f"Placement file and status changes: {target}"
        if target is not None
        else f"No placement file was made: {NO_FOLDER}."
    )
    blocks: list[Block] = [
        title(1, f"Collections review as of {review.as_of.isoformat()}"),
        Block(2, 1, ((summary,),)),
        Block(3, 1, ((files,),)),
        title(5, "Eligible for placement"),
    ]
    row = _table(
        blocks, 6, ELIGIBLE_HEADER, ELIGIBLE_FORMATS, [_eligible(d) for d in review.eligible]
    )
    row += 1
    blocks.append(title(row, "Status changes"))
    blocks.append(Block(row + 1, 1, ((NEVER_REWRITES,),)))
    changes = [
        (
            c.patient_id,
            c.sheet or "Patients",
            c.row,
            c.old or "(blank)",
            c.new,
            link(c.sheet or "Patients", c.row),
        )
        for d in review.eligible
        for c in d.status_changes
    ]
    row = _table(blocks, row + 2, STATUS_HEADER, STATUS_FORMATS, changes)
    row += 1
    blocks.append(title(row, "Not eligible"))
    rows = [_ineligible(d) for d in review.ineligible]
    _table(blocks, row + 1, INELIGIBLE_HEADER, INELIGIBLE_FORMATS, rows)
    return SheetContent(SHEET, blocks=tuple(blocks), column_widths=WIDTHS)


def _table(
    blocks: list[Block],
    row: int,
    header: tuple[str, ...],
    formats: tuple[str | None, ...],
    rows: list[tuple[object, ...]],
) -> int:
    """A header and its rows (or "None.") from ``row``; returns the row after the block."""
    blocks.append(header_row(row, header))
    if not rows:
        blocks.append(Block(row + 1, 1, (("None.",),)))
        return row + 2
    blocks.append(Block(row + 1, 1, tuple(rows), column_formats=formats))
    return row + 1 + len(rows)


def _eligible(d: Decision) -> tuple[object, ...]:
    c = d.contact
    return (
        d.account,
        c.name or None,
        c.address1,
        c.address2,
        c.city,
        c.state,
        c.zip,
        c.phone,
        d.balance,
        d.facts.first_statement,
        d.final_notice,
        d.days_past,
        d.earliest_eca,
        ";".join(d.facts.patients) or None,
        link(c.sheet, c.row),
    )


def _ineligible(d: Decision) -> tuple[object, ...]:
    c = d.contact
    return (
        d.account,
        c.name or None,
        d.balance,
        d.facts.first_statement,
        d.days_past,
        " ".join(r.message for r in d.reasons),
        ", ".join(r.code for r in d.reasons),
        link(c.sheet, c.row),
    )


__all__ = [
    "SHEET",
    "collections_sheet",
    "send_to_collections_into",
    "send_to_collections_on",
]
