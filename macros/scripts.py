"""The buttons as xlwings Lite / xlwings Server scripts: the same bodies, the book injected.

xlwings Lite and Server call a script with the workbook as the argument annotated ``xw.Book``
(``@xw.script``); every write is queued and sent back to Excel when the script returns, and the
message box is shown then. In xlwings Lite, put ``from macros.scripts import *`` in
``main.py``; an xlwings Server app imports this module as its scripts module.

``xw.script`` is registered by xlwings only where scripts run (Lite/Server, with
``XLWINGS_ON_SERVER=true``); elsewhere it leaves the function as it is (on Windows desktop it
records it as a VBA Sub for "Import Functions"). Older xlwings without ``xw.script`` get a
no-op, so ``import macros.scripts`` works on every host.
"""

from __future__ import annotations

import xlwings as xw

from macros.accounts import refresh_accounts_on
from macros.checks import audit_accounts_on, verify_coverage_on
from macros.era_import import import_era_named_on, import_era_on
from macros.imports import (
    import_data_named_on,
    import_data_on,
    import_mapping,
    import_path,
    import_table,
)
from macros.notices import overdue_notices_on
from macros.payment_plans import create_payment_plan_on, plan_options_on
from macros.payments import post_payments_on
from macros.placement import send_to_collections_on
from macros.refunds import issue_refund_on
from macros.runner import run_on_book
from macros.statements import generate_bill_on, generate_statements_on
from macros.worklist import todays_worklist_on


def _no_op(f=None, **_options):
    return f if f is not None else (lambda g: g)


script = getattr(xw, "script", _no_op)

__all__ = [
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


@script(name="Post payments")
def post_payments(book: xw.Book) -> None:
    """Post the rows typed on NewPayments into Payments."""
    run_on_book(post_payments_on, book)


@script(name="Issue refund")
def issue_refund(book: xw.Book) -> None:
    """Refund the selected patient's credit and write the voucher."""
    run_on_book(issue_refund_on, book)


@script(name="Plan options")
def plan_options(book: xw.Book) -> None:
    """Payment options for the selected patient, on a sheet."""
    run_on_book(plan_options_on, book)


@script(name="Create payment plan")
def create_payment_plan(book: xw.Book) -> None:
    """Make the chosen option the patient's payment plan."""
    run_on_book(create_payment_plan_on, book)


@script(name="Refresh accounts")
def refresh_accounts(book: xw.Book) -> None:
    """Refresh the Accounts summary and A/R aging."""
    run_on_book(refresh_accounts_on, book)


@script(name="Verify coverage")
def verify_coverage(book: xw.Book) -> None:
    """Check every charge's insurance; findings on the Coverage check sheet."""
    run_on_book(verify_coverage_on, book)


@script(name="Audit accounts")
def audit_accounts(book: xw.Book) -> None:
    """Audit the workbook; findings on the Audit findings sheet."""
    run_on_book(audit_accounts_on, book)


@script(name="Import ERA")
def import_era(book: xw.Book, path: str = "") -> None:
    """Post an 835 remittance file. ``path`` is on the machine running Python (xlwings
    Server's); blank = the path in the cell named era_file."""
    if not path.strip():
        run_on_book(import_era_named_on, book)
        return

    def body(port, *, now, user):
        return import_era_on(port, now=now, user=user, path=path.strip())

    run_on_book(body, book)


@script(name="Generate bill")
def generate_bill(book: xw.Book) -> None:
    """Bill the selected patient's account onto a Bill sheet."""
    run_on_book(generate_bill_on, book)


@script(name="Generate statements")
def generate_statements(book: xw.Book) -> None:
    """The statement run: a Bill sheet per account due, logged to Statements."""
    run_on_book(generate_statements_on, book)


@script(name="Overdue notices")
def overdue_notices(book: xw.Book) -> None:
    """The overdue worklist (letters and email drafts are made in desktop Excel only)."""
    run_on_book(overdue_notices_on, book)


@script(name="Send to collections")
def send_to_collections(book: xw.Book) -> None:
    """Accounts eligible for collections and the status changes to apply."""
    run_on_book(send_to_collections_on, book)


@script(name="Import data")
def import_data(book: xw.Book, path: str = "", table: str = "") -> None:
    """Append an export (CSV or .xlsx) to a table. ``path`` is on the machine running Python
    (xlwings Server's); blank = the cell named import_file. ``table`` blank = the cell named
    import_into, else the active sheet's table."""
    if not path.strip() and not table.strip():
        run_on_book(import_data_named_on, book)
        return

    def body(port, *, now, user):
        return import_data_on(
            port,
            now=now,
            user=user,
            path=path.strip() or import_path(port),
            table=table.strip() or import_table(port),
            mapping=import_mapping(port),
        )

    run_on_book(body, book)


@script(name="Today's worklist")
def todays_worklist(book: xw.Book) -> None:
    """Today's ranked worklist on the Today sheet."""
    run_on_book(todays_worklist_on, book)
