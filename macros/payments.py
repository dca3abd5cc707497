"""Post payments: the rows a rep typed on the ``NewPayments`` staging table go into ``Payments``.

The rep types payments (and the odd refund) on ``NewPayments`` — Date, PatientID, ChargeID
(blank = unapplied, applied oldest first), Payer (``Patient`` or a PlanID), Kind (blank =
``Payment``), Method, Reference, Amount (positive) — and clicks **Post payments**. paxl then:

1. reads NewPayments, Payments, Patients, Charges, Plans and Audit (one snapshot);
2. gives each row the next PaymentID, PostedBy = who clicked, PostedAt = now;
3. checks every row before writing anything: cells that do not fit their column, required
   values, allowed values, unknown PatientID/ChargeID/Payer, a charge of another patient, a
   negative or zero amount, and **duplicates** (below) — against the rows already in Payments
   and within the batch;
4. if anything is wrong, writes nothing and lists each problem with its NewPayments sheet, row
   and column; otherwise appends the rows to Payments, clears NewPayments, and logs an Audit row.

**Duplicates.** A row repeats a posting when it has the same Kind, Payer, Reference (compared
without spaces, case-insensitive) and Amount as a row for the same patient — and, for an
insurer payer, the same ChargeID (one EFT trace or insurer check pays many lines, often for the
same amount). This is the audit's rule (:mod:`addin.core.audit_postings`), so what posting
refuses and what the audit flags agree. Rows without a Reference (cash) are not compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from addin.core.audit_common import code_key
from addin.core.findings import Finding, has_errors
from addin.workbook.frames import ROW_COLUMN, SHEET_COLUMN
from addin.workbook.port import Snapshot, WorkbookPort
from addin.workbook.schema import PATIENT_PAYER
from addin.workbook.staging import NEW_PAYMENTS
from addin.workbook.write_plan import PlanRejected, WritePlan, apply, plain_records, validate
from macros.ids import next_ids
from macros.runner import Result, input_errors, require_usable

STAGING = NEW_PAYMENTS.name

#: what the macro reads: NewPayments plus every table a Payments row refers to
READS = ("Patients", "Plans", "Charges", "Payments", "Audit", NEW_PAYMENTS)
ID_PREFIX = "PAY"
ID_WIDTH = 7
DEFAULT_KIND = "Payment"


def post_payments_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Post the NewPayments rows into Payments (see the module doc).

    Args:
        port: the workbook.
        now: PostedAt of every row and the Audit time.
        user: PostedBy of every row and the Audit row's Who.

    Raises:
        PlanRejected: a row has a problem (each named by NewPayments sheet, row and column);
            nothing was written.
        WorkbookChanged: a table changed while the macro ran; nothing was written.
    """
    snapshot = tolerate_optional_columns(port.snapshot(READS, policy=False))
    require_usable(snapshot, (STAGING, "Payments", "Audit"))
    staged = snapshot[STAGING]
    if staged.empty:
        message = (
            "There is nothing to post: the NewPayments table is empty. Type the payments "
            "under its header, then click Post payments again."
        )
        port.alert(message)
        return Result(message)

    existing = snapshot["Payments"]
    ids = next_ids(existing["PaymentID"], len(staged), prefix=ID_PREFIX, width=ID_WIDTH)
    records = posting_records(staged, ids, now=now, user=user)
    origins = origins_of(staged)
    message = (
        f"Posted {len(ids)} payment(s) to Payments: {ids[0]}"
        + (f" to {ids[-1]}" if len(ids) > 1 else "")
        + ". The NewPayments table is now empty."
    )
    plan = (
        WritePlan()
        .append("Payments", records, origins=origins)
        .clear(STAGING)
        .audit(
            at=now,
            who=user,
            action="post_payments",
            table="Payments",
            rows=len(ids),
            detail=f"{ids[0]}..{ids[-1]} from {STAGING} rows {_span(origins)}",
        )
        .alert(message)
    )
    own = input_errors(snapshot, snapshot.sheets.get(STAGING))
    own += zero_amounts(staged)
    own += duplicate_postings(staged, existing)
    if has_errors(own):
        raise PlanRejected(merge_findings(own, validate(plan, snapshot)))
    applied = apply(plan, port, snapshot)
    return Result(message, applied)


def tolerate_optional_columns(snapshot: Snapshot) -> Snapshot:
    """The snapshot without the staging table's ``missing_column`` problems for optional
    columns (ChargeID, Kind, Reference): a rep's own NewPayments layout may leave them out."""
    sheet = snapshot.sheets.get(STAGING)
    optional = {c.name for c in NEW_PAYMENTS.columns if not c.required}
    kept = tuple(
        f
        for f in snapshot.findings
        if not (f.code == "missing_column" and f.sheet == sheet and f.column in optional)
    )
    return replace(snapshot, findings=kept)


def posting_records(
    staged: pd.DataFrame, ids: tuple[str, ...], *, now: dt.datetime, user: str
) -> list[dict[str, object]]:
    """The Payments rows for the staged rows: new IDs, Kind defaulted, PostedBy/PostedAt."""
    records = []
    for payment_id, row in zip(ids, plain_records(staged, NEW_PAYMENTS), strict=True):
        records.append(
            {
                "PaymentID": payment_id,
                **row,
                "Kind": row.get("Kind") or DEFAULT_KIND,
                "PostedBy": user,
                "PostedAt": now,
            }
        )
    return records


def zero_amounts(staged: pd.DataFrame) -> list[Finding]:
    """A staged amount of 0.00 posts nothing: an error naming its row."""
    zero = staged["Amount"].fillna(-1) == 0
    return [
        Finding(
            "zero_amount",
            "The amount is 0.00; a posting must move money.",
            str(row[SHEET_COLUMN]),
            int(row[ROW_COLUMN]),
            "Amount",
            fix="Type the amount received, or delete the row.",
        )
        for _, row in staged[zero].iterrows()
    ]


def duplicate_postings(staged: pd.DataFrame, existing: pd.DataFrame) -> list[Finding]:
    """Staged rows repeating a Payments row or an earlier staged row (rule: module doc).

    Each finding is on the staged row (column Reference) and names the row it repeats.
    """
    keys_existing = _keys(existing, kind_default=None)
    keys_staged = _keys(staged, kind_default=DEFAULT_KIND)
    seen: dict[tuple, str] = {}
    for key, payment_id, sheet, row in zip(
        keys_existing,
        existing["PaymentID"],
        existing[SHEET_COLUMN],
        existing[ROW_COLUMN],
        strict=True,
    ):
        if key is not None and key not in seen:
            seen[key] = f"payment {payment_id} ({sheet} row {row})"
    findings = []
    for key, sheet, row in zip(keys_staged, staged[SHEET_COLUMN], staged[ROW_COLUMN], strict=True):
        if key is None:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = f"an earlier row of this batch ({sheet} row {row})"
            continue
        findings.append(
            Finding(
                "duplicate_payment",
                f"This row repeats {first}: same payer, reference and amount for patient {key[4]}.",
                str(sheet),
                int(row),
                "Reference",
                fix=(
                    "If the money arrived once, delete this row; if it really arrived twice, "
                    "type the second deposit's own reference (e.g. add -2)."
                ),
                ids=(key[4],),
            )
        )
    return findings


def _keys(frame: pd.DataFrame, *, kind_default: str | None) -> list[tuple | None]:
    """One comparison key per row (``None``: the row cannot be compared)."""
    if frame.empty:
        return []
    references = code_key(frame["Reference"]).tolist()
    keys: list[tuple | None] = []
    for kind, payer, reference, amount, patient, charge in zip(
        frame["Kind"].tolist(),
        frame["Payer"].tolist(),
        references,
        frame["Amount"].tolist(),
        frame["PatientID"].tolist(),
        frame["ChargeID"].tolist(),
        strict=True,
    ):
        kind = kind if isinstance(kind, str) else kind_default
        parts = (kind, payer, reference, amount, patient)
        if reference == "" or any(p is None or p is pd.NA for p in parts):
            keys.append(None)
            continue
        insurer_charge = (charge or "") if payer != PATIENT_PAYER else ""
        keys.append((kind, payer, reference, int(amount), patient, insurer_charge))
    return keys


def merge_findings(first: list[Finding], more: list[Finding]) -> list[Finding]:
    """``first`` plus those of ``more`` about another cell (a cell that did not fit its column
    is also blank to the validator: one problem, reported once)."""
    cells = {(f.sheet, f.row, f.column) for f in first}
    return first + [f for f in more if (f.sheet, f.row, f.column) not in cells]


def origins_of(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """Where each row of a typed frame was typed: (sheet, Excel row)."""
    return [(str(s), int(r)) for s, r in zip(frame[SHEET_COLUMN], frame[ROW_COLUMN], strict=True)]


def _span(origins: list[tuple[str, int]]) -> str:
    rows = [r for _, r in origins]
    return f"{min(rows)}-{max(rows)}" if len(rows) > 1 else str(rows[0])


__all__ = [
    "NEW_PAYMENTS",
    "STAGING",
    "duplicate_postings",
    "post_payments_on",
    "posting_records",
]
