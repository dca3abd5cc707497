"""Excel functions for payment plans: income-capped plans, equal installments, plans with
interest and the options put on a bill (thin wrappers over :mod:`addin.core.plans`,
:mod:`addin.core.amortize` and :mod:`addin.core.plan_options`).
"""

from __future__ import annotations

import xlwings as xw

from addin.core.amortize import amortize
from addin.core.plan_options import PlanPolicy, plan_options
from addin.core.plans import equal_installments, income_capped_plan
from addin.workbook.book import default_policy
from addin.workbook.frames import is_blank
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    ExcelArgumentError,
    broadcast,
    cells,
    date_arg,
    excel_function,
    money_arg,
    number,
    rate_arg,
    rows_or_errors,
    single,
    text_arg,
    whole_arg,
)

__all__ = ["pa_amortize", "pa_income_plan", "pa_installments", "pa_plan_options"]

BILLER_TYPES = ("Hospital", "Professional")


def _optional_date(value: object, name: str):
    one = single(value, name)
    return None if is_blank(one) else date_arg(one, name)


@xw.func(category=CATEGORY)
@xw.arg("balance", **RANGE_OPTIONS, doc="The balance to put on the plan, in dollars (above 0).")
@xw.arg("monthly_income", **RANGE_OPTIONS, doc="Gross monthly household income, in dollars.")
@xw.arg(
    "cap_rate",
    **RANGE_OPTIONS,
    doc="The most a patient can be asked to pay each month, as a share of monthly income: "
    "0.04 or 4%.",
)
@xw.arg(
    "max_payments",
    **RANGE_OPTIONS,
    doc="Optional. Payments after which the rest is forgiven, e.g. 36 (blank = never).",
)
@excel_function
def pa_income_plan(balance, monthly_income, cap_rate, max_payments=None):
    """An income-capped plan. One row per balance: installment, payments, final_payment,
    total_paid, forgiven ($). The installment is the cap rounded down to the cent. Example:
    =PA_INCOME_PLAN(4500,2500,4%,36) gives 100 36 100 3600 900."""
    balances = cells(balance, "balance")
    incomes = cells(monthly_income, "monthly_income")
    rates = cells(cap_rate, "cap_rate")
    limits = cells(max_payments, "max_payments")
    count = broadcast(balance=balances, monthly_income=incomes, cap_rate=rates, max_payments=limits)

    def row(i: int) -> list[object]:
        limit = limits.at(i)
        plan = income_capped_plan(
            money_arg(balances.at(i), "balance", row=balances.row(i)),
            money_arg(incomes.at(i), "monthly_income", row=incomes.row(i)),
            rate_arg(rates.at(i), "cap_rate", row=rates.row(i)),
            forgiveness_payments=None
            if is_blank(limit)
            else whole_arg(limit, "max_payments", row=limits.row(i), minimum=0),
        )
        installment = plan.cap if plan.count > 1 else plan.final_payment
        return [
            number(installment),
            plan.count,
            number(plan.final_payment),
            number(plan.total_paid),
            number(plan.forgiven),
        ]

    return rows_or_errors(count, row, width=5, single=count == 1)


@xw.func(category=CATEGORY)
@xw.arg("balance", **RANGE_OPTIONS, doc="The balance to split, in dollars (above 0).")
@xw.arg("count", **RANGE_OPTIONS, doc="Number of installments, 1 to 600.")
@xw.arg(
    "first_due",
    **RANGE_OPTIONS,
    doc="Optional. Due date of the first installment (blank = no due dates).",
)
@xw.arg(
    "months_between",
    **RANGE_OPTIONS,
    doc="Optional. Months between installments (blank = 1, monthly).",
)
@excel_function
def pa_installments(balance, count, first_due=None, months_between=None):
    """Equal installments adding up exactly to the balance. Rows: n, due_date, amount ($; extra
    cents go first). Due dates keep the first date's day (month end when shorter). Example:
    =PA_INSTALLMENTS(100,3) gives 33.34, 33.33, 33.33."""
    between = single(months_between, "months_between")
    schedule = equal_installments(
        money_arg(single(balance, "balance"), "balance"),
        whole_arg(single(count, "count"), "count"),
        first_due=_optional_date(first_due, "first_due"),
        every_months=1 if is_blank(between) else whole_arg(between, "months_between", minimum=1),
    )
    return [[i.n, i.due_date, number(i.amount)] for i in schedule]


@xw.func(category=CATEGORY)
@xw.arg("balance", **RANGE_OPTIONS, doc="The balance financed, in dollars (above 0).")
@xw.arg("apr", **RANGE_OPTIONS, doc="Yearly interest rate: 0.08 or 8% (above 0).")
@xw.arg("count", **RANGE_OPTIONS, doc="Number of monthly payments, 1 to 600.")
@xw.arg(
    "first_due",
    **RANGE_OPTIONS,
    doc="Optional. Due date of the first payment (blank = no due dates).",
)
@excel_function
def pa_amortize(balance, apr, count, first_due=None):
    """A monthly plan with interest. Rows: n, due_date, payment, interest, principal, remaining
    ($; payment and interest rounded half-up to the cent; the last payment ends at exactly 0).
    Example: =PA_AMORTIZE(1000,12%,3) pays 340.02 a month."""
    plan = amortize(
        money_arg(single(balance, "balance"), "balance"),
        rate_arg(single(apr, "apr"), "apr"),
        whole_arg(single(count, "count"), "count"),
        first_due=_optional_date(first_due, "first_due"),
    )
    return [
        [
            r.n,
            r.due_date,
            number(r.payment),
            number(r.interest),
            number(r.principal),
            number(r.remaining),
        ]
        for r in plan.rows
    ]


def _biller_type(value: object) -> str:
    if is_blank(value):
        return "Hospital"
    text = text_arg(value, "biller_type")
    for choice in BILLER_TYPES:
        if text.casefold() == choice.casefold():
            return choice
    raise ExcelArgumentError(f"biller_type is {text!r}; use Hospital or Professional")


def _terms(value: object) -> object:
    found = cells(value, "terms")
    parts = [v for v in found.values if not is_blank(v)]
    if not parts:
        return None
    return ",".join(str(whole_arg(v, "terms")) if not isinstance(v, str) else v for v in parts)


def _plan_policy(
    biller_type: str,
    terms: object,
    minimum_installment: object,
    apr: object,
    prompt_pay_discount: object,
    income_cap: object,
    forgiveness_payments: object,
) -> PlanPolicy:
    settings = default_policy()
    standard_terms = _terms(terms)
    if standard_terms is not None:
        settings["plan_terms"] = standard_terms
    given = {
        "plan_minimum_installment": (minimum_installment, "minimum_installment", money_arg),
        "plan_apr": (apr, "apr", rate_arg),
        "prompt_pay_discount": (prompt_pay_discount, "prompt_pay_discount", rate_arg),
        f"income_cap_{biller_type.lower()}": (income_cap, "income_cap", rate_arg),
    }
    for setting, (value, name, read) in given.items():
        one = single(value, name)
        if not is_blank(one):
            settings[setting] = read(one, name)
    forgiveness = single(forgiveness_payments, "forgiveness_payments")
    if not is_blank(forgiveness):
        settings["forgiveness_payments"] = whole_arg(forgiveness, "forgiveness_payments", minimum=0)
    return PlanPolicy.from_policy(settings)


@xw.func(category=CATEGORY)
@xw.arg("balance", **RANGE_OPTIONS, doc="The balance owed, in dollars (above 0).")
@xw.arg(
    "monthly_income",
    **RANGE_OPTIONS,
    doc="Optional. Gross monthly household income in dollars (blank = unknown: no "
    "income-based plan).",
)
@xw.arg(
    "biller_type",
    **RANGE_OPTIONS,
    doc='Optional. "Hospital" (blank) or "Professional": picks the income cap.',
)
@xw.arg(
    "terms",
    **RANGE_OPTIONS,
    doc='Optional. Standard plan lengths in months, e.g. "3,6,12" or the plan_terms cell '
    "(blank = 3,6,12).",
)
@xw.arg(
    "minimum_installment",
    **RANGE_OPTIONS,
    doc="Optional. Smallest monthly installment offered, in dollars (blank = 25).",
)
@xw.arg("apr", **RANGE_OPTIONS, doc="Optional. Yearly interest on plans: 0.08 or 8% (blank = 0).")
@xw.arg(
    "prompt_pay_discount",
    **RANGE_OPTIONS,
    doc="Optional. Discount for paying in full: 0.05 or 5% (blank = 0).",
)
@xw.arg(
    "income_cap",
    **RANGE_OPTIONS,
    doc="Optional. Income cap rate for this bill: 0.04 or 4% (blank = 4% hospital, "
    "2% professional).",
)
@xw.arg(
    "forgiveness_payments",
    **RANGE_OPTIONS,
    doc="Optional. Income plans: payments after which the rest is forgiven (blank = 36; "
    "0 = never).",
)
@excel_function
def pa_plan_options(
    balance,
    monthly_income=None,
    biller_type=None,
    terms=None,
    minimum_installment=None,
    apr=None,
    prompt_pay_discount=None,
    income_cap=None,
    forgiveness_payments=None,
):
    """The ways to pay a balance, as on the bill. Rows: option, installment, payments,
    final_payment, total_paid, forgiven, discount, interest ($), recommended (TRUE for paxl's
    pick). Example: =PA_PLAN_OPTIONS(600) lists pay in full, 3, 6 and 12 months."""
    income = single(monthly_income, "monthly_income")
    kind = _biller_type(single(biller_type, "biller_type"))
    options = plan_options(
        money_arg(single(balance, "balance"), "balance"),
        _plan_policy(
            kind,
            terms,
            minimum_installment,
            apr,
            prompt_pay_discount,
            income_cap,
            forgiveness_payments,
        ),
        monthly_income=None if is_blank(income) else money_arg(income, "monthly_income"),
        biller_type=kind,
    )
    return [
        [
            o.label,
            number(o.installment),
            o.count,
            number(o.final_payment),
            number(o.total_paid),
            number(o.forgiven),
            number(o.discount),
            number(o.interest),
            o.key == options.recommended,
        ]
        for o in options.options
    ]
