"""The buttons: one function per button, run from Excel desktop (``RunPython``).

Each button's work is a body ``<name>_on(port, *, now, user) -> Result`` in its own module
(:mod:`macros.payments`, :mod:`macros.refunds`, :mod:`macros.payment_plans`,
:mod:`macros.accounts`, :mod:`macros.checks`, :mod:`macros.era_import`, :mod:`macros.statements`,
:mod:`macros.notices`, :mod:`macros.placement`, :mod:`macros.imports`, :mod:`macros.worklist`):
read tables → core → one write plan → validate → apply once (:mod:`macros.runner`). The
functions here are the **desktop entry points**: no arguments, the workbook is
``xw.Book.caller()`` (the VBA ``RunPython "import macros; macros.post_payments()"``), and a
:class:`~addin.errors.PaxlError` becomes one message box. The same bodies are the xlwings
Lite/Server scripts in :mod:`macros.scripts`.

========================  ==============================================================
button                    what it does
========================  ==============================================================
``post_payments``         post the NewPayments rows into Payments, refuse duplicates
``issue_refund``          refund the selected patient's credit, with a voucher sheet
``plan_options``          payment options for the selected patient, on a sheet
``create_payment_plan``   the chosen (or recommended) option → PaymentPlans + schedule
``refresh_accounts``      the Accounts summary, the A/R aging, and the AR report sheet
``verify_coverage``       the Coverage check findings sheet
``audit_accounts``        the Audit findings sheet
``import_era``            post an 835 remittance file into Payments and Adjustments
``generate_bill``         the bill of the selected patient's account, logged to Statements
``generate_statements``   the statement run: a bill sheet per account due, logged
``overdue_notices``       the overdue worklist; letters and email drafts on desktop
``send_to_collections``   accounts eligible for collections and the status changes
``import_data``           append another system's export (CSV/XLSX) to a table
``todays_worklist``       the day's tasks, ranked, on the Today sheet
========================  ==============================================================
"""

from __future__ import annotations

from macros.accounts import refresh_accounts_on
from macros.checks import audit_accounts_on, verify_coverage_on
from macros.era_import import era_path, import_era_named_on, import_era_on
from macros.imports import import_data_named_on
from macros.notices import overdue_notices_on
from macros.payment_plans import create_payment_plan_on, plan_options_on
from macros.payments import post_payments_on
from macros.placement import send_to_collections_on
from macros.refunds import issue_refund_on
from macros.runner import Body, Result, run_on_book
from macros.statements import generate_bill_on, generate_statements_on
from macros.worklist import todays_worklist_on

__all__ = [
    "BODIES",
    "audit_accounts",
    "create_payment_plan",
    "generate_bill",
    "generate_statements",
    "import_data",
    "import_era",
    "issue_refund",
    "overdue_notices",
    "plan_options",
    "post_payments",
    "refresh_accounts",
    "send_to_collections",
    "todays_worklist",
    "verify_coverage",
]

#: button name → its body, for the desktop entry points, the scripts and the CLI
BODIES: dict[str, Body] = {
    "post_payments": post_payments_on,
    "issue_refund": issue_refund_on,
    "plan_options": plan_options_on,
    "create_payment_plan": create_payment_plan_on,
    "refresh_accounts": refresh_accounts_on,
    "verify_coverage": verify_coverage_on,
    "audit_accounts": audit_accounts_on,
    "import_era": import_era_named_on,
    "generate_bill": generate_bill_on,
    "generate_statements": generate_statements_on,
    "overdue_notices": overdue_notices_on,
    "send_to_collections": send_to_collections_on,
    "import_data": import_data_named_on,
    "todays_worklist": todays_worklist_on,
}


def _caller(body: Body) -> Result:
    import xlwings as xw

    return run_on_book(body, xw.Book.caller())


def post_payments() -> None:
    """Post the rows typed on NewPayments into Payments (desktop button)."""
    _caller(post_payments_on)


def issue_refund() -> None:
    """Refund the selected patient's credit and write the voucher (desktop button)."""
    _caller(issue_refund_on)


def plan_options() -> None:
    """Payment options for the selected patient, on a sheet (desktop button)."""
    _caller(plan_options_on)


def create_payment_plan() -> None:
    """Make the chosen option the patient's payment plan (desktop button)."""
    _caller(create_payment_plan_on)


def refresh_accounts() -> None:
    """Refresh the Accounts summary, A/R aging and the AR report sheet (desktop button)."""
    _caller(refresh_accounts_on)


def verify_coverage() -> None:
    """Check every charge's insurance; findings on the Coverage check sheet (desktop button)."""
    _caller(verify_coverage_on)


def audit_accounts() -> None:
    """Audit the workbook; findings on the Audit findings sheet (desktop button)."""
    _caller(audit_accounts_on)


def import_era() -> None:
    """Post an 835 remittance file: the one in the cell named era_file, else the one chosen in
    Excel's Open dialog (desktop button)."""
    import xlwings as xw

    book = xw.Book.caller()

    def body(port, *, now, user):
        return import_era_on(port, now=now, user=user, path=era_path(port, book))

    run_on_book(body, book)


def generate_bill() -> None:
    """Bill the selected patient's account onto a Bill sheet (desktop button)."""
    _caller(generate_bill_on)


def generate_statements() -> None:
    """The statement run: a Bill sheet per account due, logged to Statements (desktop button)."""
    _caller(generate_statements_on)


def overdue_notices() -> None:
    """The overdue worklist, with letters and email drafts next to the workbook (desktop
    button)."""
    _caller(overdue_notices_on)


def send_to_collections() -> None:
    """Accounts eligible for collections, the status changes and the placement file (desktop
    button)."""
    _caller(send_to_collections_on)


def import_data() -> None:
    """Append an export to a table: the file in the cell named import_file, else the one chosen
    in Excel's Open dialog; the table in import_into, else the active sheet's (desktop button)."""
    import xlwings as xw

    book = xw.Book.caller()

    def body(port, *, now, user):
        return import_data_named_on(port, now=now, user=user, book=book)

    run_on_book(body, book)


def todays_worklist() -> None:
    """Today's ranked worklist on the Today sheet (desktop button)."""
    _caller(todays_worklist_on)
