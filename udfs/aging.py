"""Excel functions for aging and collections: buckets, totals, dunning levels and the IRS 501(r)
collections clock (thin wrappers over :mod:`addin.core.aging` and :mod:`addin.core.eca`).

Thresholds are the last day of the first four buckets (Policy ``aging_1..aging_4``, 30, 60, 90,
120 by default); an item's age is the as-of date minus its bill date, in whole days.
"""

from __future__ import annotations

from decimal import Decimal

import xlwings as xw

from addin.core.aging import (
    DEFAULT_THRESHOLDS,
    age_bucket,
    bucket_index,
    bucket_labels,
    check_thresholds,
    dunning_level,
)
from addin.core.eca import collections_clock
from addin.workbook.frames import is_blank
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    broadcast,
    cells,
    date_arg,
    excel_function,
    leading,
    money_arg,
    number,
    omitted,
    rows_or_errors,
    shaped,
    single,
    values_or_errors,
    whole_arg,
)

__all__ = ["pa_age_bucket", "pa_aging", "pa_dunning_level", "pa_eca_dates"]

_THRESHOLDS_DOC = (
    "Optional. The last day of buckets 1 to 4, e.g. 30,60,90,120 as four cells or the Policy "
    "cells aging_1:aging_4 (blank = 30, 60, 90, 120)."
)


def _thresholds(value: object) -> tuple[int, ...]:
    if omitted(value):
        return DEFAULT_THRESHOLDS
    found = cells(value, "thresholds")
    days = [
        whole_arg(v, "thresholds", row=found.row(i))
        for i, v in enumerate(found.values)
        if not is_blank(v)
    ]
    return check_thresholds(days)


@xw.func(category=CATEGORY)
@xw.arg("bill_dates", **RANGE_OPTIONS, doc="The date each item was billed (one date or a column).")
@xw.arg("as_of", **RANGE_OPTIONS, doc="The date to age to, e.g. TODAY().")
@xw.arg("thresholds", **RANGE_OPTIONS, doc=_THRESHOLDS_DOC)
@excel_function
def pa_age_bucket(bill_dates, as_of, thresholds=None):
    """The aging bucket of each bill date: "0-30", "31-60", "61-90", "91-120" or "121+" (age =
    as_of minus bill date, in days; a future date is current). Example:
    =PA_AGE_BUCKET(DATE(2026,1,1),DATE(2026,2,15)) gives "31-60"."""
    dates = cells(bill_dates, "bill_dates")
    when = cells(as_of, "as_of")
    count = broadcast(bill_dates=dates, as_of=when)
    limits = _thresholds(thresholds)
    shape = leading(dates, when)

    def label(i: int) -> object:
        if not dates.single and dates.blank(i):
            return None
        age = date_arg(when.at(i), "as_of", row=when.row(i)) - date_arg(
            dates.at(i), "bill_dates", row=dates.row(i)
        )
        return age_bucket(age.days, limits)

    return shaped(values_or_errors(count, label, single=count == 1), shape)


@xw.func(category=CATEGORY)
@xw.arg("amounts", **RANGE_OPTIONS, doc="The amounts owed, in dollars (a column).")
@xw.arg("bill_dates", **RANGE_OPTIONS, doc="The date each amount was billed (a column as long).")
@xw.arg("as_of", **RANGE_OPTIONS, doc="The date to age to, e.g. TODAY().")
@xw.arg("thresholds", **RANGE_OPTIONS, doc=_THRESHOLDS_DOC)
@excel_function
def pa_aging(amounts, bill_dates, as_of, thresholds=None):
    """Totals the amounts by age: one row, "0-30", "31-60", "61-90", "91-120", "121+" ($,
    exact; they add up to the total). Rows with a blank amount are skipped. Example:
    =PA_AGING(C2:C9,B2:B9,TODAY())."""
    money = cells(amounts, "amounts")
    dates = cells(bill_dates, "bill_dates")
    count = broadcast(amounts=money, bill_dates=dates)
    limits = _thresholds(thresholds)
    day = date_arg(single(as_of, "as_of"), "as_of")
    totals = [Decimal("0.00")] * len(bucket_labels(limits))
    for i in range(count):
        if money.blank(i):
            continue
        amount = money_arg(money.at(i), "amounts", row=money.row(i))
        age = day - date_arg(dates.at(i), "bill_dates", row=dates.row(i))
        totals[bucket_index(age.days, limits)] += amount
    return [[number(t) for t in totals]]


@xw.func(category=CATEGORY)
@xw.arg("age_days", **RANGE_OPTIONS, doc="Days since the bill (one number or a column).")
@xw.arg("thresholds", **RANGE_OPTIONS, doc=_THRESHOLDS_DOC)
@excel_function
def pa_dunning_level(age_days, thresholds=None):
    """The dunning level, 1 to 5, for each age in days: up to 30 days 1, 31-60 2, 61-90 3,
    91-120 4, over 120 5 (with the default thresholds). It picks the bill message. Example:
    =PA_DUNNING_LEVEL(45) gives 2."""
    ages = cells(age_days, "age_days")
    limits = _thresholds(thresholds)

    def level(i: int) -> object:
        if not ages.single and ages.blank(i):
            return None
        return dunning_level(whole_arg(ages.at(i), "age_days", row=ages.row(i)), limits)

    return shaped(values_or_errors(len(ages), level, single=len(ages) == 1), ages)


@xw.func(category=CATEGORY)
@xw.arg(
    "first_statement",
    **RANGE_OPTIONS,
    doc="Date of the first statement after discharge (one date or a column).",
)
@xw.arg(
    "final_notice_sent",
    **RANGE_OPTIONS,
    doc="Optional. Date the written final notice was sent (blank = not sent yet).",
)
@excel_function
def pa_eca_dates(first_statement, final_notice_sent=None):
    """Nonprofit hospitals (IRS 501(r)): one row per account: notification_end (+120 days),
    earliest_eca (the later of that and final notice +30; blank with no notice),
    application_end (+240). Example: =PA_ECA_DATES(DATE(2026,1,15),DATE(2026,5,1))."""
    firsts = cells(first_statement, "first_statement")
    notices = cells(final_notice_sent, "final_notice_sent")
    count = broadcast(first_statement=firsts, final_notice_sent=notices)

    def row(i: int) -> list[object]:
        if not firsts.single and firsts.blank(i):
            return [None, None, None]
        notice = notices.at(i)
        clock = collections_clock(
            date_arg(firsts.at(i), "first_statement", row=firsts.row(i)),
            None if is_blank(notice) else date_arg(notice, "final_notice_sent", row=notices.row(i)),
        )
        return [clock.notification_end, clock.earliest_eca, clock.application_end]

    return rows_or_errors(count, row, width=3, single=count == 1)
