"""The buttons: one function per button, run from Excel desktop (``RunPython``).

Each button's work is a body ``<name>_on(port, *, now, user) -> Result`` in its own module
(:mod:`macros.payments`, :mod:`macros.refunds`, :mod:`macros.payment_plans`,
:mod:`macros.accounts`, :mod:`macros.checks`): read tables → core → one write plan → validate →
apply once (:mod:`macros.runner`). The functions here are the **desktop entry points**: no
arguments, the workbook is ``xw.Book.caller()`` (the VBA ``RunPython "import macros;
macros.post_payments()"``), and a :class:`~addin.errors.PaxlError` becomes one message box.
The same bodies are the xlwings Lite/Server scripts in :mod:`macros.scripts`.

========================  ==============================================================
button                    what it does
========================  ==============================================================
``post_payments``         post the NewPayments rows into Payments, refuse duplicates
``issue_refund``          refund the selected patient's credit, with a voucher sheet
``plan_options``          payment options for the selected patient, on a sheet
``create_payment_plan``   the chosen (or recommended) option → PaymentPlans + schedule
``refresh_accounts``      the Accounts summary and the A/R aging with a chart
``verify_coverage``       the Coverage check findings sheet
``audit_accounts``        the Audit findings sheet
``import_era``            post an 835 remittance file into Payments and Adjustments
========================  ==============================================================
"""

from __future__ import annotations

from macros.accounts import refresh_accounts_on
from macros.checks import audit_accounts_on, verify_coverage_on
from macros.era_import import era_path, import_era_named_on, import_era_on
from macros.payment_plans import create_payment_plan_on, plan_options_on
from macros.payments import post_payments_on
from macros.refunds import issue_refund_on
from macros.runner import Body, Result, run_on_book

__all__ = [
    "BODIES",
    "audit_accounts",
    "create_payment_plan",
    "import_era",
    "issue_refund",
    "plan_options",
    "post_payments",
    "refresh_accounts",
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
    """Refresh the Accounts summary and A/R aging (desktop button)."""
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
