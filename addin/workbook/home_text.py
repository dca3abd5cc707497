"""The words on the template's ``Home`` sheet: the workbook explained to a billing rep.

Kept apart from the drawing code so the text can be read and edited as text. Sheet descriptions
come from the schema (``Table.help``) so they never disagree with the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin.workbook.schema import TABLES
from addin.workbook.staging import STAGING_TABLES


@dataclass(frozen=True)
class Paragraph:
    """One row of the Home sheet; ``link`` names a sheet the text jumps to."""

    style: str  # "title", "heading", "text", "warning", "sheet"
    text: str
    link: str | None = None
    detail: str = ""


TITLE = "Patient accounts workbook"

INTRO = (
    "This workbook holds your patient accounts: who the patients are, their insurance, what they "
    "were charged, what insurance and patients paid, and what was adjusted. The paxl buttons and "
    "functions read these sheets; they add rows to the logs but never change a row you typed."
)

PHI_WARNING = (
    "This file contains patient health information (names, dates of birth, diagnoses, "
    "balances). Keep it only on an approved, encrypted drive; do not email it or copy it to a "
    "personal device; share it only with people who need it for billing."
)

ENTERING = (
    "Each data sheet holds one Excel table. To add a row, type in the first empty row right under "
    "the table: Excel grows the table for you. A completely blank row is ignored.",
    "Keep the column headers exactly as they are: paxl finds every column by its header. Hover "
    "over a header to see what the column holds.",
    "Enter amounts positive. The kind of row gives the direction: charges and refunds raise the "
    "balance, payments and adjustments lower it. Balance = charges - payments - adjustments + "
    "refunds; a negative balance is a credit owed to the patient.",
    "IDs (PatientID, ChargeID, PaymentID, ...) are text and must be unique. Where a column has a "
    "drop-down list, pick from it.",
    "Type dates as dates (3/31/2026 or 2026-03-31) and rates as percents (20%). ZIP codes and IDs "
    "keep their leading zeros.",
)

BUTTONS = (
    "Check workbook: lists every problem with its sheet, row and column. Nothing is changed.",
    "Post payments and remittances (835 files): adds rows to Payments and Adjustments, and refuses "
    "a reference that was posted before.",
    "Statements: makes the bills from the BillTemplate sheet, with aging, the reminder message "
    "for the account's age, payment-plan options and a remit slip.",
    "Payment plans: proposes monthly installments sized to the household's income and your plan "
    "rules on the Policy sheet.",
    "Collections and calls: lists overdue accounts, and who may be called now in their own time "
    "zone (8:00 to 21:00, at most 7 calls in 7 days).",
    "Functions (formulas) such as an account's balance or the patient's share of a charge update "
    "as you type.",
    "Every button checks the data first. If it finds a problem it writes nothing and shows the "
    "problem with its sheet, row and column.",
)

POLICY_HELP = (
    "Your practice's settings: name and remit-to address, statement cycle and due days, aging, "
    "bill messages, payment-plan rules, poverty guidelines and assistance tiers, call hours. "
    "Change the values in column B."
)
BALANCES_HELP = (
    "Every patient's balance, worked out by formulas as you type: one formula per column fills "
    "itself down for the whole Patients list (the paxl function PA_BALANCE). Needs the xlwings "
    "add-in with Import Functions done (Excel on Windows) or xlwings Lite; until then it shows "
    "#NAME?. The Accounts sheet (Refresh accounts button) has the full summary."
)
BILL_HELP = (
    "How a bill looks. Restyle it freely (fonts, colours, logo), but keep the named cells where "
    "the bill's fields go."
)


def home_paragraphs() -> tuple[Paragraph, ...]:
    """The Home sheet, top to bottom."""
    sheets = [Paragraph("sheet", "Balances", link="Balances", detail=BALANCES_HELP)]
    sheets += [
        Paragraph(
            "sheet",
            t.name,
            link=t.name,
            detail=t.help + (" Do not edit past rows." if t.log else ""),
        )
        for t in TABLES
    ]
    sheets += [Paragraph("sheet", t.name, link=t.name, detail=t.help) for t in STAGING_TABLES]
    sheets.append(Paragraph("sheet", "Policy", link="Policy", detail=POLICY_HELP))
    sheets.append(Paragraph("sheet", "BillTemplate", link="BillTemplate", detail=BILL_HELP))
    return (
        Paragraph("title", TITLE),
        Paragraph("text", INTRO),
        Paragraph("warning", PHI_WARNING),
        Paragraph("heading", "The sheets"),
        *sheets,
        Paragraph("heading", "Entering data"),
        *(Paragraph("text", t) for t in ENTERING),
        Paragraph("heading", "Buttons and functions"),
        *(Paragraph("text", t) for t in BUTTONS),
    )
