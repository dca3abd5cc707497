"""Issue a refund: pay a patient back the credit on their account, with a voucher to sign.

For the selected patient (the PatientID in the active row of the active sheet):

1. the ledger as of today decides what can be refunded (:mod:`addin.core.ledger`): with Policy
   ``apply_credit_first`` on, the patient's credit first pays their other open items, oldest
   first; what is left of the patient's own money — less anything still pending with insurance,
   which is held — is ``refund_due``. Nothing is written for that application: the ledger applies
   credit the same way every time it is computed, and data tables are only appended to;
2. no refund due → a message saying why (no credit, credit held while insurance is pending, or
   the credit is insurer money) and nothing is written;
3. otherwise one ``Payments`` row (Kind ``Refund``, Payer ``Patient``, Method ``Check``, the
   next PaymentID, blank ChargeID and Reference — the check number is filled in when the check
   is cut), a voucher sheet ``Refund <PatientID>`` (payee, amount, the account before and after,
   the open items the credit paid, signature lines) and an ``Audit`` row, written once.

The payee is the patient's guarantor when Patients.Guarantor names another listed patient (the
person who pays the account), else the patient. Clicking again after a refund finds nothing
due, so a double click cannot refund twice.
"""

from __future__ import annotations

import datetime as dt

from addin.core.ledger import AccountSummary, Ledger, account_summary, ledger_from_book
from addin.errors import PaxlError
from addin.workbook.port import Block, SheetContent, Snapshot, WorkbookPort, selected_patient_id
from addin.workbook.schema import PATIENT_PAYER
from addin.workbook.write_plan import WritePlan, apply
from macros.ids import next_ids
from macros.layout import (
    DATE,
    MONEY,
    TEXT,
    day,
    dollars,
    header_row,
    labelled_rows,
    sheet_name,
    title,
)
from macros.payments import ID_PREFIX, ID_WIDTH
from macros.runner import Result, require_usable

READS = ("Patients", "Plans", "Coverage", "Charges", "Payments", "Adjustments", "Audit")
VOUCHER_PREFIX = "Refund"
METHOD = "Check"


def issue_refund_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Refund the selected patient's credit (see the module doc).

    Raises:
        PaxlError: no patient selected, the patient is not on Patients, or a table the ledger
            needs is missing or incomplete; nothing was written.
    """
    patient_id = selected_patient_id(port.selection())
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    patient = patient_record(snapshot, patient_id)
    today = now.date()
    ledger = ledger_from_book(snapshot.book, as_of=today)
    account = account_summary(ledger, patient_id)
    if account.refund_due <= 0:
        message = no_refund_message(patient_id, account)
        port.alert(message)
        return Result(message)

    ids = next_ids(snapshot["Payments"]["PaymentID"], 1, prefix=ID_PREFIX, width=ID_WIDTH)
    payment_id = ids[0]
    record = {
        "PaymentID": payment_id,
        "Date": today,
        "PatientID": patient_id,
        "Payer": PATIENT_PAYER,
        "Kind": "Refund",
        "Method": METHOD,
        "Amount": account.refund_due,
        "PostedBy": user,
        "PostedAt": now,
    }
    voucher = refund_voucher(
        snapshot,
        ledger,
        account,
        payee=payee_record(snapshot, patient),
        payment_id=payment_id,
        today=today,
        user=user,
    )
    message = (
        f"Refund {payment_id} for patient {patient_id} is posted to Payments. Print the "
        f"voucher on sheet {voucher.name}, cut the check, and note its number on the Payments row."
    )
    plan = (
        WritePlan()
        .append("Payments", [record])
        .write_sheet(voucher)
        .audit(
            at=now,
            who=user,
            action="issue_refund",
            table="Payments",
            rows=1,
            detail=f"refund {payment_id} for patient {patient_id}; voucher {voucher.name}",
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot))


def patient_record(snapshot: Snapshot, patient_id: str) -> dict[str, object]:
    """The patient's Patients row as a dict.

    Raises:
        PaxlError: the PatientID is not on Patients.
    """
    patients = snapshot["Patients"]
    rows = patients[patients["PatientID"] == patient_id]
    if rows.empty:
        raise PaxlError(
            f"Patient {patient_id} is not on the Patients sheet. Add the patient, or select a "
            "row with a listed PatientID, then click the button again."
        )
    return rows.iloc[0].to_dict()


def payee_record(snapshot: Snapshot, patient: dict[str, object]) -> dict[str, object]:
    """Who the check is made out to: the guarantor when listed and not the patient."""
    guarantor = patient.get("Guarantor")
    if isinstance(guarantor, str) and guarantor and guarantor != patient["PatientID"]:
        patients = snapshot["Patients"]
        rows = patients[patients["PatientID"] == guarantor]
        if not rows.empty:
            return rows.iloc[0].to_dict()
    return patient


def no_refund_message(patient_id: str, account: AccountSummary) -> str:
    """Why nothing is refunded (no amounts: the rep sees them on the Accounts sheet)."""
    if account.credit <= 0:
        why = "has no credit to refund"
    elif account.insurance_pending > 0:
        why = (
            "has a credit, but it is held while insurance is still pending on the account; "
            "refund it once the insurer has paid"
        )
    else:
        why = (
            "has a credit, but it is insurer money, not the patient's; refund the insurer "
            "(a Refund row with the insurer as Payer) instead"
        )
    return f"Patient {patient_id} {why}. Nothing was written."


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _address(person: dict[str, object]) -> tuple[str, str]:
    street = ", ".join(
        p for p in (_text(person.get("Address1")), _text(person.get("Address2"))) if p
    )
    city = _text(person.get("City"))
    state_zip = " ".join(p for p in (_text(person.get("State")), _text(person.get("ZIP"))) if p)
    town = ", ".join(p for p in (city, state_zip) if p)
    return street, town


def refund_voucher(
    snapshot: Snapshot,
    ledger: Ledger,
    account: AccountSummary,
    *,
    payee: dict[str, object],
    payment_id: str,
    today: dt.date,
    user: str,
) -> SheetContent:
    """The voucher sheet: what is refunded to whom, why, and where the credit went."""
    policy = snapshot.book.policy
    patient_id = account.account_id
    name = " ".join(p for p in (_text(payee.get("FirstName")), _text(payee.get("LastName"))) if p)
    street, town = _address(payee)
    blocks: list[Block] = [
        title(1, f"{policy.get('practice_name') or ''} - patient refund voucher".strip(" -")),
        Block(2, 1, ((policy.get("practice_address") or None,),)),
    ]
    blocks += labelled_rows(
        4,
        [
            ("Refund number", payment_id, TEXT),
            ("Date", today, DATE),
            ("Patient ID", patient_id, TEXT),
            ("Pay to", name or None, None),
            ("Address", street or None, None),
            ("", town or None, None),
            ("Amount", account.refund_due, MONEY),
            ("Method", METHOD, None),
            ("Check number", None, None),
            ("Prepared by", user, None),
        ],
    )
    blocks.append(title(15, "The account"))
    after = account.balance + account.refund_due
    blocks += labelled_rows(
        16,
        [
            ("Charges", account.charges, MONEY),
            ("Paid by insurance", account.insurance_paid, MONEY),
            ("Paid by the patient", account.patient_paid, MONEY),
            ("Adjustments", account.adjustments, MONEY),
            ("Refunds so far", account.refunds, MONEY),
            ("Balance before this refund (negative = credit)", account.balance, MONEY),
            ("Pending with insurance", account.insurance_pending, MONEY),
            ("This refund", account.refund_due, MONEY),
            ("Balance after this refund", after, MONEY),
        ],
    )
    row = 26
    applied = applied_items(ledger, patient_id)
    if ledger.apply_credit_first:
        blocks.append(
            title(row, "Credit and unapplied payments applied to open items, oldest first")
        )
    else:
        blocks.append(
            title(row, "Unapplied payments applied to open items (Policy apply_credit_first off)")
        )
    if applied:
        blocks.append(header_row(row + 1, ("ChargeID", "ServiceDate", "Billed", "Applied", "Open")))
        blocks.append(
            Block(
                row + 2,
                1,
                tuple(applied),
                column_formats=(None, DATE, MONEY, MONEY, MONEY),
            )
        )
        row += 2 + len(applied)
    else:
        blocks.append(Block(row + 1, 1, (("None: the account had no other open items.",),)))
        row += 2
    blocks.append(Block(row + 2, 1, (("Approved by", None, "Date", None),)))
    blocks.append(Block(row + 4, 1, (("Check cut by", None, "Date", None),)))
    return SheetContent(
        sheet_name(VOUCHER_PREFIX, patient_id),
        blocks=tuple(blocks),
        column_widths=((1, 46), (2, 18), (3, 14), (4, 14), (5, 14)),
    )


def applied_items(ledger: Ledger, patient_id: str) -> list[tuple[object, ...]]:
    """The patient's lines that received credit or unapplied money: ChargeID, ServiceDate,
    billed, applied, open (dollars)."""
    lines = ledger.lines
    mine = lines[(lines["PatientID"] == patient_id) & (lines["applied"] > 0)]
    return [
        (
            row["ChargeID"],
            day(row["ServiceDate"]),
            dollars(row["billed"]),
            dollars(row["applied"]),
            dollars(row["open"]),
        )
        for _, row in mine.iterrows()
    ]


__all__ = [
    "applied_items",
    "issue_refund_on",
    "no_refund_message",
    "refund_voucher",
]
