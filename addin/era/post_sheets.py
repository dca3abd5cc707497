"""The report sheets of an 835 posting, as port sheet contents (values only, no Excel code).

:func:`posting_sheets` renders an :class:`~addin.era.post_model.EraPosting` as four sheets that
``paxl era post`` adds to its output workbook and the ``import_era`` macro can write through a
write plan:

* **ERA posting** — per payment: BPR02, claims paid, provider adjustments, posted, not posted;
  then every claim with its outcome (posted, reversed, denied, unmatched) and, if unmatched, why;
* **Denials** — the denials worklist: one row per denied line with its reason (CARC) and remark
  (RARC) codes, for appeal or write-off by the rep;
* **Unmatched claims** — claims not posted, with the reason, to post by hand;
* **Provider adjustments** — PLB amounts for the practice's books (positive = withheld).

Each list is an Excel table (filterable) when it has rows. Money is ``Decimal`` dollars, dates
``date``; IDs only, no patient names.
"""

from __future__ import annotations

from collections.abc import Sequence

from addin.era.post_model import EraPosting, Outcome
from addin.workbook.port import Block, SheetContent

__all__ = [
    "DENIALS_SHEET",
    "PROVIDER_SHEET",
    "SUMMARY_SHEET",
    "UNMATCHED_SHEET",
    "posting_sheets",
]

SUMMARY_SHEET = "ERA posting"
DENIALS_SHEET = "Denials"
UNMATCHED_SHEET = "Unmatched claims"
PROVIDER_SHEET = "Provider adjustments"
MONEY = "#,##0.00;-#,##0.00"
DATE = "yyyy-mm-dd"
HEADER_FILL = "#DDEBF7"


def posting_sheets(posting: EraPosting) -> tuple[SheetContent, ...]:
    """The summary, denials, unmatched-claims and provider-adjustments sheets (in that order);
    the summary is the one shown first."""
    return (
        _summary(posting),
        _denials(posting),
        _unmatched(posting),
        _provider(posting),
    )


def _list(
    top: int,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    formats: Sequence[str | None],
    table: str,
    empty: str,
) -> tuple[Block, ...]:
    """A header and its rows: an Excel table when there are rows, else the header and a note."""
    if not rows:
        head = Block(top, 1, (tuple(header),), bold=True, fill=HEADER_FILL)
        return head, Block(top + 1, 1, ((empty,),))
    values = (tuple(header), *(tuple(r) for r in rows))
    return (Block(top, 1, values, column_formats=tuple(formats), table=table),)


def _summary(posting: EraPosting) -> SheetContent:
    counts = ", ".join(
        f"{posting.count(o)} {o.value}"
        for o in (Outcome.POSTED, Outcome.REVERSED, Outcome.DENIED, Outcome.UNMATCHED)
    )
    title = Block(1, 1, ((f"ERA posting of {posting.source or 'an 835 file'}",),), bold=True)
    line = Block(
        2,
        1,
        (
            (
                f"Claims: {counts}. New rows: {len(posting.payments)} payments, "
                f"{len(posting.adjustments)} adjustments.",
            ),
        ),
    )
    payments = [
        (
            r.trace_number,
            r.payer_name,
            r.method,
            r.payment_date,
            r.total_paid,
            r.claims_paid,
            r.provider_adjustments,
            r.posted,
            r.not_posted,
        )
        for r in posting.remittances
    ]
    pay_header = (
        "Trace",
        "Payer",
        "Method",
        "Payment date",
        "Paid (BPR02)",
        "Claims paid",
        "Provider adjustments",
        "Posted",
        "Not posted",
    )
    pay_formats = (None, None, None, DATE, MONEY, MONEY, MONEY, MONEY, MONEY)
    blocks = [title, line, *_list(4, pay_header, payments, pay_formats, "EraPayments", "None.")]
    top = 4 + max(len(payments), 1) + 2
    claims = [
        (
            c.trace_number,
            c.claim_id,
            c.status,
            c.status_text,
            c.outcome.value,
            c.patient_id,
            c.charge,
            c.paid,
            c.posted,
            c.reason,
        )
        for c in posting.claims
    ]
    claim_header = (
        "Trace",
        "ClaimID",
        "Status",
        "Status text",
        "Outcome",
        "PatientID",
        "Charge",
        "Paid",
        "Posted",
        "Why not posted",
    )
    claim_formats = (None, None, None, None, None, None, MONEY, MONEY, MONEY, None)
    blocks += _list(top, claim_header, claims, claim_formats, "EraClaims", "No claims.")
    widths = ((1, 18), (2, 24), (3, 10), (4, 14), (5, 14), (6, 12), (7, 14), (8, 12), (9, 12))
    return SheetContent(SUMMARY_SHEET, tuple(blocks), (*widths, (10, 60)), activate=True)


def _denials(posting: EraPosting) -> SheetContent:
    header = (
        "Trace",
        "Payment date",
        "Payer",
        "ClaimID",
        "Payer claim number",
        "PatientID",
        "ChargeID",
        "Code",
        "Service date",
        "Billed",
        "Reasons",
        "Claim reasons",
        "Remarks",
    )
    rows = [
        (
            d.trace_number,
            d.payment_date,
            d.payer_name,
            d.claim_id,
            d.payer_claim_number,
            d.patient_id,
            d.charge_id,
            d.procedure_code,
            d.service_date,
            d.billed,
            d.reasons,
            d.claim_reasons,
            d.remarks,
        )
        for d in posting.denials
    ]
    formats = (None, DATE, None, None, None, None, None, None, DATE, MONEY, None, None, None)
    blocks = _list(1, header, rows, formats, "EraDenials", "No denied claims.")
    widths = tuple(
        (i, w) for i, w in enumerate((18, 12, 22, 14, 18, 12, 12, 9, 12, 12, 30, 24, 16), 1)
    )
    return SheetContent(DENIALS_SHEET, blocks, widths, activate=False)


def _unmatched(posting: EraPosting) -> SheetContent:
    header = ("Trace", "ClaimID", "Status", "Status text", "Charge", "Paid", "Why not posted")
    rows = [
        (c.trace_number, c.claim_id, c.status, c.status_text, c.charge, c.paid, c.reason)
        for c in posting.unmatched
    ]
    formats = (None, None, None, None, MONEY, MONEY, None)
    blocks = _list(1, header, rows, formats, "EraUnmatched", "Every claim was matched.")
    widths = ((1, 18), (2, 14), (3, 8), (4, 24), (5, 12), (6, 12), (7, 90))
    return SheetContent(UNMATCHED_SHEET, blocks, widths, activate=False)


def _provider(posting: EraPosting) -> SheetContent:
    header = (
        "Trace",
        "Payment date",
        "Payer",
        "Provider",
        "Fiscal period",
        "Reason",
        "Meaning",
        "Reference",
        "Amount",
        "Effect on payment",
    )
    rows = [
        (
            p.trace_number,
            p.payment_date,
            p.payer_name,
            p.provider_id,
            p.fiscal_period,
            p.reason,
            p.meaning,
            p.reference,
            p.amount,
            "withheld" if p.amount > 0 else "added",
        )
        for p in posting.provider_adjustments
    ]
    formats = (None, DATE, None, None, DATE, None, None, None, MONEY, None)
    blocks = _list(1, header, rows, formats, "EraProviderAdjustments", "None.")
    widths = tuple((i, w) for i, w in enumerate((18, 12, 22, 14, 12, 8, 26, 18, 12, 16), 1))
    return SheetContent(PROVIDER_SHEET, blocks, widths, activate=False)
