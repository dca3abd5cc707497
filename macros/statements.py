"""Bills into this workbook: one for the selected patient's account, or the whole statement run.

The decisions are the statement builder's (:mod:`addin.core.statement_builder`), as in
``paxl statements``: a bill goes to a **guarantor account** (the guarantor with every dependant's
lines); its amount due is the ledger's patient-due balance less the account's credit, to the
cent; the dunning level and message, the aging line, the payment-plan options and the assistance
notice are the builder's. Each bill is a sheet ``Bill <PatientID>`` (the guarantor's ID) laid out
as the ``BillTemplate`` (:mod:`macros.bill_sheet`), replaced if it exists, and each bill is logged
as a ``Statements`` row (StatementID, PatientID, StatementDate, DueDate, AmountDue, DunningLevel,
Channel — Email when the guarantor prefers email, else Mail — and FinalNotice), so the next run
knows when the account was last billed. An ``Audit`` row records the click.

* **Generate bill** (selected patient): the bill of the account the selected patient belongs to.
  No bill for an account in collections or closed, whose guarantor is not on Patients, or that owes
  nothing (amounts pending with insurance are not due). Asked for by the rep, it is made even
  when the account is under the statement minimum or was billed within the statement cycle (a
  corrected bill after a payment, say); the message box says so.
* **Generate statements** (the run): :func:`~addin.core.statement_builder.select_accounts`
  bills every account owing at least Policy ``statement_minimum`` and skips those in collections,
  closed, or billed within ``statement_cycle_days`` — by the ``Statements`` log, so running it
  twice on the same day bills nothing the second time. The sheet ``Statement run`` lists the bills
  with a link to each, and the counts of accounts skipped and why.

Nothing is written when no account is due a bill (the rep is told why).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from addin.bills.sheet import sheet_names
from addin.core.statement import Statement
from addin.core.statement_builder import (
    BILL,
    BillingData,
    build_statement,
    log_row,
    prepare_billing,
    select_accounts,
    statement_channel,
)
from addin.errors import PaxlError
from addin.workbook.port import Block, SheetContent, Snapshot, WorkbookPort, selected_patient_id
from addin.workbook.write_plan import WritePlan, apply
from macros.bill_sheet import bill_layout_on, bill_sheet
from macros.layout import DATE, MONEY, TEXT, header_row, title
from macros.runner import Result, require_usable

READS = (
    "Patients",
    "Plans",
    "Coverage",
    "Fees",
    "Charges",
    "Payments",
    "Adjustments",
    "PaymentPlans",
    "Statements",
    "Audit",
)
RUN_SHEET = "Statement run"
RUN_HEADER = (
    "StatementID",
    "Account",
    "Guarantor",
    "Patients",
    "Amount due",
    "Due date",
    "Dunning level",
    "Final notice",
    "Channel",
    "Lines",
    "Bill",
)
RUN_FORMATS = (TEXT, TEXT, None, TEXT, MONEY, DATE, "0", None, None, "0", None)
RUN_WIDTHS = (
    (1, 24),
    (2, 12),
    (3, 24),
    (4, 18),
    (5, 13),
    (6, 12),
    (7, 9),
    (8, 9),
    (9, 9),
    (10, 7),
    (11, 18),
)
RUN_HEADER_ROW = 5
#: decisions of select_accounts after which the rep's own click still gets a bill
REQUESTED_ANYWAY = {
    "below minimum": "it is under the statement minimum",
    "billed within cycle": "it was already billed within the statement cycle",
}
NO_BILL = {
    "in collections": "the account is in collections",
    "closed": "the account is closed",
    "guarantor not in Patients": "its guarantor is not on the Patients sheet",
    "nothing due": "it owes nothing now (amounts pending with insurance are not billed)",
}


def generate_bill_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Bill the selected patient's account (see the module doc).

    Raises:
        PaxlError: no patient is selected or the patient is not on Patients; a table is
            missing; the ledger cannot be computed. Nothing was written.
    """
    patient_id = selected_patient_id(port.selection())
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    account = guarantor_of(snapshot, patient_id)
    today = now.date()
    data = prepare_billing(snapshot.book, as_of=today)
    selection = select_accounts(data)
    decision = selection.at[account, "decision"] if account in selection.index else "nothing due"
    whose = f"account {account}" + ("" if account == patient_id else f" (patient {patient_id})")
    if decision in NO_BILL:
        message = f"No bill was made for {whose}: {NO_BILL[decision]}. Nothing was written."
        port.alert(message)
        return Result(message)
    layout, notes = bill_layout_on(port)
    statement = build_statement(data, account)
    (name,) = sheet_names([account])
    message = (
        f"Bill {statement.statement_id} for {whose} is on sheet {name}: "
        f"${statement.amount_due:,} due by {statement.due_date.isoformat()}; logged to Statements."
    )
    if decision in REQUESTED_ANYWAY:
        message += f" Note: {REQUESTED_ANYWAY[decision]}; it was made because you asked for it."
    message += _notes_text(notes)
    plan = (
        WritePlan()
        .write_sheet(bill_sheet(statement, name, layout=layout))
        .append("Statements", [log_row(statement, _channel(data, account))])
        .audit(
            at=now,
            who=user,
            action="generate_bill",
            table="Statements",
            rows=1,
            detail=f"{statement.statement_id} for account {account}; sheet {name}",
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot))


def generate_statements_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """The statement run into this workbook (see the module doc).

    Raises:
        PaxlError: a table is missing; the ledger cannot be computed. Nothing was written.
    """
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    today = now.date()
    data = prepare_billing(snapshot.book, as_of=today)
    selection = select_accounts(data)
    accounts = [str(a) for a in selection.index[selection["decision"] == BILL]]
    skipped = Counter(str(d) for d in selection["decision"] if d != BILL)
    if not accounts:
        message = f"No account is due a statement on {today.isoformat()}" + (
            f" ({_skipped_text(skipped)})." if skipped else "."
        )
        message += " Nothing was written."
        port.alert(message)
        return Result(message)
    layout, notes = bill_layout_on(port)
    statements = [build_statement(data, account) for account in accounts]
    names = sheet_names(accounts)
    total = sum((s.amount_due for s in statements), Decimal("0.00"))
    message = (
        f"{len(statements)} bill(s) made, ${total:,} due in all; logged to Statements. "
        f"See sheet {RUN_SHEET} for the list and links."
    )
    if skipped:
        message += f" Not billed: {_skipped_text(skipped)}."
    message += _notes_text(notes)
    plan = WritePlan()
    for statement, name in zip(statements, names, strict=True):
        plan = plan.write_sheet(bill_sheet(statement, name, activate=False, layout=layout))
    plan = (
        plan.write_sheet(run_sheet(today, statements, names, skipped, data))
        .append("Statements", [log_row(s, _channel(data, s.account)) for s in statements])
        .audit(
            at=now,
            who=user,
            action="generate_statements",
            table="Statements",
            rows=len(statements),
            detail=(
                f"{len(statements)} bill(s), ${total:,} due"
                + (f"; not billed: {_skipped_text(skipped)}" if skipped else "")
            ),
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot))


def guarantor_of(snapshot: Snapshot, patient_id: str) -> str:
    """The account (guarantor's PatientID) of a patient: Patients.Guarantor, blank = itself.

    Raises:
        PaxlError: the patient is not on Patients.
    """
    patients = snapshot["Patients"]
    rows = patients[patients["PatientID"] == patient_id]
    if rows.empty:
        raise PaxlError(
            f"Patient {patient_id} is not on the Patients sheet. Add the patient, or select a "
            "row with a listed PatientID, then click the button again."
        )
    guarantor = rows.iloc[0]["Guarantor"]
    return guarantor.strip() if isinstance(guarantor, str) and guarantor.strip() else patient_id


def run_sheet(
    today: dt.date,
    statements: list[Statement],
    names: list[str],
    skipped: Counter[str],
    data: BillingData,
) -> SheetContent:
    """The Statement run sheet: counts, then one row per bill with a link to its sheet."""
    total = sum((s.amount_due for s in statements), Decimal("0.00"))
    levels = Counter(s.dunning_level for s in statements)
    by_level = ", ".join(f"level {lvl}: {n}" for lvl, n in sorted(levels.items()))
    summary = f"{len(statements)} bill(s), ${total:,} due in all ({by_level})."
    if skipped:
        summary += f" Not billed: {_skipped_text(skipped)}."
    rows = tuple(
        (
            s.statement_id,
            s.account,
            s.guarantor.name or None,
            ", ".join(s.patients) or None,
            s.amount_due,
            s.due_date,
            s.dunning_level,
            "Yes" if s.final_notice else None,
            _channel(data, s.account),
            len(s.lines),
            sheet_link(name),
        )
        for s, name in zip(statements, names, strict=True)
    )
    blocks = (
        title(1, f"Statement run of {today.isoformat()}"),
        Block(2, 1, ((summary,),)),
        Block(
            3,
            1,
            (
                (
                    "Each bill is logged on the Statements sheet; accounts billed within the "
                    "statement cycle are skipped by the next run.",
                ),
            ),
        ),
        header_row(RUN_HEADER_ROW, RUN_HEADER),
        Block(RUN_HEADER_ROW + 1, 1, rows, column_formats=RUN_FORMATS),
    )
    return SheetContent(RUN_SHEET, blocks=blocks, column_widths=RUN_WIDTHS)


def sheet_link(sheet: str) -> str:
    """An Excel formula linking to the sheet's A1, showing its name."""
    quoted = sheet.replace("'", "''").replace('"', '""')
    return f'=HYPERLINK("#\'{quoted}\'!A1","{sheet.replace(chr(34), chr(34) * 2)}")'


def _channel(data: BillingData, account: str) -> str:
    return statement_channel(data.patients.get(account, {}).get("PreferredContact"))


def _skipped_text(skipped: Counter[str]) -> str:
    return ", ".join(f"{why} {n}" for why, n in sorted(skipped.items()))


__all__ = [
    "RUN_SHEET",
    "generate_bill_on",
    "generate_statements_on",
    "guarantor_of",
    "run_sheet",
]


def _notes_text(notes: tuple[str, ...]) -> str:
    """The BillTemplate layout notes (e.g. a missing bill_* name kept its standard cell)."""
    return "".join(f" {note}" for note in notes)
