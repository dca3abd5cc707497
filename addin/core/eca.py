"""The IRS 501(r) collections clock for nonprofit hospitals (26 CFR 1.501(r)-6).

A nonprofit hospital may not start an *extraordinary collection action* (ECA: sending the account
to a collection agency that reports to credit bureaus, a lawsuit, a lien, …) before it has made
reasonable efforts to find out whether the patient qualifies for financial assistance:

* the **notification period** runs 120 days from the first post-discharge billing statement;
* a written **final notice** must precede any ECA by at least 30 days;
* so the **earliest ECA date** is the later of (first statement + 120 days) and
  (final notice + 30 days); without a final notice no ECA date exists yet;
* the **application period** — when an assistance application must still be accepted and
  processed — ends 240 days after the first post-discharge statement.

All dates are calendar days (``datetime.date``); "+ N days" means the date N days later, and an
action is allowed *on* the earliest ECA date. Stricter practice settings (Policy
``collections_days``, ``final_notice_days``) may lengthen the periods, never shorten them below the
statutory minimums. The workbook has no discharge date: the first statement logged for the
patient (Statements table) is taken as the first post-discharge statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.errors import PaxlError

__all__ = [
    "APPLICATION_DAYS",
    "FINAL_NOTICE_DAYS",
    "NOTIFICATION_DAYS",
    "CollectionsClock",
    "clocks_from_statements",
    "collections_clock",
    "eca_allowed",
]

NOTIFICATION_DAYS = 120
FINAL_NOTICE_DAYS = 30
APPLICATION_DAYS = 240


@dataclass(frozen=True)
class CollectionsClock:
    """The 501(r) dates of one account.

    Attributes:
        first_statement: date of the first post-discharge statement.
        final_notice: date of the written final notice, or ``None`` if none was sent.
        notification_end: first statement + 120 days (end of the notification period).
        earliest_eca: later of notification_end and final notice + 30 days; ``None`` while no
            final notice has been sent.
        application_end: first statement + 240 days (end of the application period).
    """

    first_statement: dt.date
    final_notice: dt.date | None
    notification_end: dt.date
    earliest_eca: dt.date | None
    application_end: dt.date


def collections_clock(
    first_statement: dt.date,
    final_notice: dt.date | None = None,
    *,
    notification_days: int = NOTIFICATION_DAYS,
    final_notice_days: int = FINAL_NOTICE_DAYS,
    application_days: int = APPLICATION_DAYS,
) -> CollectionsClock:
    """The clock from the first post-discharge statement and the final notice dates.

    Example: first statement 2026-01-15, final notice 2026-05-01 → notification ends 2026-05-15,
    earliest ECA 2026-05-31 (final notice + 30 is later), application period ends 2026-09-12.

    Raises:
        PaxlError: a period is shorter than the statutory minimum (120, 30, 240 days), or the
            final notice is dated before the first statement.
    """
    _at_least("notification period", notification_days, NOTIFICATION_DAYS)
    _at_least("final notice period", final_notice_days, FINAL_NOTICE_DAYS)
    _at_least("application period", application_days, APPLICATION_DAYS)
    first = _date(first_statement)
    notice = None if final_notice is None else _date(final_notice)
    if notice is not None and notice < first:
        raise PaxlError(
            f"The final notice ({notice}) is dated before the first statement ({first}); "
            "a final notice must follow the first post-discharge statement."
        )
    notification_end = first + dt.timedelta(days=notification_days)
    earliest = None
    if notice is not None:
        earliest = max(notification_end, notice + dt.timedelta(days=final_notice_days))
    return CollectionsClock(
        first_statement=first,
        final_notice=notice,
        notification_end=notification_end,
        earliest_eca=earliest,
        application_end=first + dt.timedelta(days=application_days),
    )


def eca_allowed(clock: CollectionsClock, on: dt.date) -> bool:
    """Whether an extraordinary collection action may be taken on ``on`` (the ECA date itself
    counts); never before a final notice has been sent."""
    return clock.earliest_eca is not None and _date(on) >= clock.earliest_eca


def clocks_from_statements(
    statements: pd.DataFrame,
    *,
    as_of: dt.date | None = None,
    policy: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The clock of every account that has a statement, from the Statements table.

    The first statement is the earliest StatementDate of the PatientID; the final notice is the
    earliest statement with ``FinalNotice`` TRUE. Statements after ``as_of`` are ignored. The
    periods come from ``policy`` (``collections_days``, ``final_notice_days``) when given, never
    shorter than the statutory minimums.

    Returns:
        A frame indexed by PatientID with datetime64 columns ``first_statement``,
        ``final_notice``, ``notification_end``, ``earliest_eca`` and ``application_end``
        (``NaT`` where there is no final notice yet).
    """
    policy = policy or {}
    notification = max(int(policy.get("collections_days") or 0), NOTIFICATION_DAYS)
    notice_days = max(int(policy.get("final_notice_days") or 0), FINAL_NOTICE_DAYS)
    sent = statements.dropna(subset=["PatientID", "StatementDate"])
    if as_of is not None:
        sent = sent[sent["StatementDate"] <= pd.Timestamp(_date(as_of))]
    by_patient = sent.groupby(sent["PatientID"].astype(object), sort=True)
    first = by_patient["StatementDate"].min()
    finals = sent[sent["FinalNotice"].fillna(False).astype(bool)]
    notice = finals.groupby(finals["PatientID"].astype(object))["StatementDate"].min()
    frame = pd.DataFrame({"first_statement": first})
    frame.index.name = "PatientID"
    frame["final_notice"] = notice.reindex(frame.index)
    # A final notice logged before the first statement cannot happen: the first statement
    # would be that notice, so min() keeps first_statement <= final_notice by construction.
    frame["notification_end"] = frame["first_statement"] + pd.Timedelta(days=notification)
    later = frame["final_notice"] + pd.Timedelta(days=notice_days)
    frame["earliest_eca"] = later.where(
        later > frame["notification_end"], frame["notification_end"]
    )
    frame.loc[frame["final_notice"].isna(), "earliest_eca"] = pd.NaT
    frame["application_end"] = frame["first_statement"] + pd.Timedelta(days=APPLICATION_DAYS)
    return frame.astype("datetime64[ns]")


def _at_least(what: str, days: int, minimum: int) -> None:
    if int(days) < minimum:
        raise PaxlError(
            f"The {what} is {days} days; 501(r) requires at least {minimum}. "
            "Set a longer period on the Policy sheet."
        )


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp | np.datetime64 | str):
        return pd.Timestamp(value).date()
    raise PaxlError(f"Expected a date, got {value!r}.")
