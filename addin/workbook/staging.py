"""Staging tables: rows a rep types for a button to post, emptied once posted.

A staging table is an Excel table on its own sheet, like a data table, but it is not part of the
workbook's records: the template writes it empty, the loader does not read it, and the button
that posts it (e.g. **Post payments** for ``NewPayments``) is the only writer that may clear it
(:func:`addin.workbook.port.is_staging`). Its columns follow the data table it feeds, without the
columns paxl fills itself (IDs, PostedBy, PostedAt).
"""

from __future__ import annotations

from addin.workbook.schema import (
    PATIENT_PAYER,
    PAYMENT_KINDS,
    PAYMENT_METHODS,
    Column,
    ColumnType,
    ForeignKey,
    Table,
)

NEW_PAYMENTS = Table(
    "NewPayments",
    (
        Column("Date", ColumnType.DATE, True, help="Date the money arrived", width=12),
        Column(
            "PatientID",
            ColumnType.TEXT,
            True,
            references=ForeignKey("Patients", "PatientID"),
            width=12,
        ),
        Column(
            "ChargeID",
            ColumnType.TEXT,
            references=ForeignKey("Charges", "ChargeID"),
            help="Blank = unapplied (applied oldest first)",
            width=12,
        ),
        Column(
            "Payer",
            ColumnType.TEXT,
            True,
            references=ForeignKey("Plans", "PlanID", also=(PATIENT_PAYER,)),
            help="Patient, or the PlanID of the insurer that paid",
        ),
        Column("Kind", ColumnType.TEXT, choices=PAYMENT_KINDS, help="Blank = Payment"),
        Column("Method", ColumnType.TEXT, True, choices=PAYMENT_METHODS),
        Column("Reference", ColumnType.TEXT, help="Check number, card authorization or EFT trace"),
        Column("Amount", ColumnType.MONEY, True, help="Entered positive"),
    ),
    help=(
        "Payments you type, waiting to be posted: click Post payments to move them to Payments "
        "(paxl adds the PaymentID, who posted and when, then empties this table)."
    ),
)

#: every staging table, in the order the template writes their sheets
STAGING_TABLES: tuple[Table, ...] = (NEW_PAYMENTS,)
