"""Overdue accounts and how to reach them: the notice worklist (letters, emails, calls, texts).

**Account** = a guarantor (Patients.Guarantor, blank = the patient) with everything their
dependants owe, as on the bill; contact details are the guarantor's Patients row.

**Overdue** (rules, in order):

* the account's **amount due** is above zero: as on its bill, the guarantor's patient-due
  balance less the account's credit, never below zero (:func:`amounts_due`, cents; amounts still
  pending with insurance are not due);
* its oldest *billed* open item has dunning level 2 or more: more than ``aging_1`` days (30 by
  default) since the first statement that billed it (:mod:`addin.core.aging`: the bill date is
  the first Statements row of the patient or guarantor on or after the day the line became
  patient due). **Items never billed are not overdue**, however old their service date: a
  patient cannot be late paying a bill they were never sent;
* the practice still works the account: AccountStatus ``Collections``, ``Closed`` or
  ``Payment plan``, or an ``Active`` PaymentPlans row for a patient of the account, take it off
  the worklist (counted in :attr:`NoticePlan.skipped`); plans are followed by plan tracking.

**Channel** from the guarantor's PreferredContact: ``Mail`` (or blank) → letter; ``Email`` →
an email draft, or a letter when no usable email address is on file; ``Phone`` → the call list;
``Text`` → the call list as a *text* item. The calling rules (window and attempt limit,
:mod:`addin.core.contact_window`) decide ``may_call`` for calls only: a text item shows the same
check in case the rep calls instead, but paxl does not police texting. ``Phone``/``Text`` without
a phone number on file → letter. Every fallback says why in :attr:`Notice.note`.

**Now** is one aware moment (:func:`notice_moment`): a naive time is wall-clock in the Policy
``practice_time_zone``; a date alone means 12:00 noon there. Aging uses the practice's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from addin.core.aging import age_lines, dunning_levels, thresholds_from_policy
from addin.core.contact_window import (
    CallCheck,
    CallRules,
    call_attempts,
    call_rules_from_policy,
    check_call,
    zone_or_none,
)
from addin.core.findings import Finding, Severity
from addin.core.ledger import Ledger, ledger_from_book
from addin.core.money import from_cents
from addin.core.statement import Practice
from addin.core.statement_builder import practice_of

if TYPE_CHECKING:
    from addin.workbook.book import Book

__all__ = [
    "NOT_WORKED_STATUSES",
    "Channel",
    "Contact",
    "Notice",
    "NoticePlan",
    "OverdueAccount",
    "account_ages",
    "amounts_due",
    "choose_channel",
    "contacts_by_id",
    "find_overdue",
    "notice_moment",
    "plan_notices",
]

NOT_WORKED_STATUSES = ("Collections", "Closed", "Payment plan")
NOON = dt.time(12, 0)
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class Channel(StrEnum):
    LETTER = "Letter"
    EMAIL = "Email"
    CALL = "Call"
    TEXT = "Text"


@dataclass(frozen=True)
class Contact:
    """How to reach a guarantor, from their Patients row (``sheet``/``row`` locate it)."""

    patient_id: str
    name: str
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    phone: str | None = None
    email: str | None = None
    time_zone: str | None = None  # as entered; None = the practice's zone
    preferred: str | None = None
    account_status: str | None = None
    assistance_status: str | None = None
    sheet: str | None = None
    row: int | None = None

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The mailing address as printed: street lines, then ``City, ST ZIP``."""
        city = ", ".join(p for p in (self.city, self.state) if p)
        last = " ".join(p for p in (city, self.zip) if p)
        return tuple(p for p in (self.address1, self.address2, last) if p)


@dataclass(frozen=True)
class OverdueAccount:
    """One overdue account. Money in dollars (two places), positive = owed.

    Attributes:
        account: the guarantor's PatientID.
        patients: PatientIDs with patient-due items on the account.
        contact: the guarantor's contact details.
        amount_due: what the account owes now, as its bill says (:func:`amounts_due`).
        past_due: the part of it on billed items at dunning level 2 or more.
        first_statement: bill date of the oldest billed open item.
        days_past: days from ``first_statement`` to the as-of date.
        dunning_level: level of the oldest billed open item (2–5).
        message: the Policy's dunning text for that level.
    """

    account: str
    patients: tuple[str, ...]
    contact: Contact
    amount_due: Decimal
    past_due: Decimal
    first_statement: dt.date
    days_past: int
    dunning_level: int
    message: str


@dataclass(frozen=True)
class Notice:
    """One worklist item: an overdue account, the channel, and for calls/texts the call check.

    ``zone`` is the IANA zone the call check used (the patient's, or the practice's when the
    patient's is blank); ``note`` says why the channel differs from the preferred one.
    """

    overdue: OverdueAccount
    channel: Channel
    note: str = ""
    zone: str | None = None
    call: CallCheck | None = None


@dataclass(frozen=True)
class NoticePlan:
    """The notice worklist at ``now`` (aware, in the practice's zone — UTC when that zone is
    invalid), with the problems found on the way.

    ``as_of`` is the practice's calendar date at ``now`` (the date aging and letters use).
    """

    now: dt.datetime
    as_of: dt.date
    practice: Practice
    rules: CallRules
    notices: tuple[Notice, ...]
    findings: tuple[Finding, ...] = ()
    #: overdue accounts left off the worklist, by reason (AccountStatus or "Active plan")
    skipped: Mapping[str, int] = field(default_factory=dict)

    def by_channel(self, *channels: Channel) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.channel in channels)

    @property
    def letters(self) -> tuple[Notice, ...]:
        return self.by_channel(Channel.LETTER)

    @property
    def emails(self) -> tuple[Notice, ...]:
        return self.by_channel(Channel.EMAIL)

    @property
    def calls(self) -> tuple[Notice, ...]:
        """Call and text items, in worklist order."""
        return self.by_channel(Channel.CALL, Channel.TEXT)


# --- building blocks ---------------------------------------------------------------------------


def notice_moment(value: dt.datetime | dt.date, zone: dt.tzinfo | None) -> dt.datetime:
    """``value`` as an aware moment: naive times are in ``zone`` (``None``: UTC); a date alone
    is 12:00 noon there."""
    zone = zone or dt.UTC
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, NOON)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=zone, fold=0)
    return value


def choose_channel(
    preferred: str | None, *, email: str | None, phone: str | None
) -> tuple[Channel, str]:
    """The channel for a PreferredContact, falling back to a letter (module doc).

    Returns:
        ``(channel, note)``; ``note`` is empty unless the preference could not be followed.
    """
    if preferred == "Email":
        if email and _EMAIL.match(email):
            return Channel.EMAIL, ""
        why = "no email address on file" if not email else "the email address is not usable"
        return Channel.LETTER, f"Prefers email but {why}; sent as a letter."
    if preferred in ("Phone", "Text"):
        if phone and any(c.isdigit() for c in phone):
            return (Channel.CALL if preferred == "Phone" else Channel.TEXT), ""
        return Channel.LETTER, f"Prefers {preferred.lower()} but no phone number on file; letter."
    return Channel.LETTER, ""


def contacts_by_id(patients: pd.DataFrame | None) -> dict[str, Contact]:
    """PatientID → :class:`Contact` from the typed Patients table."""
    if patients is None or not len(patients):
        return {}
    out: dict[str, Contact] = {}
    for row in patients.to_dict("records"):
        pid = _text(row.get("PatientID"))
        if pid is None:
            continue
        name = " ".join(p for p in (_text(row.get("FirstName")), _text(row.get("LastName"))) if p)
        out[pid] = Contact(
            patient_id=pid,
            name=name,
            address1=_text(row.get("Address1")),
            address2=_text(row.get("Address2")),
            city=_text(row.get("City")),
            state=_text(row.get("State")),
            zip=_text(row.get("ZIP")),
            phone=_text(row.get("Phone")),
            email=_text(row.get("Email")),
            time_zone=_text(row.get("TimeZone")),
            preferred=_text(row.get("PreferredContact")),
            account_status=_text(row.get("AccountStatus")),
            assistance_status=_text(row.get("AssistanceStatus")),
            sheet=_text(row.get("_sheet")) or "Patients",
            row=None if pd.isna(row.get("_row")) else int(row["_row"]),
        )
    return out


def account_ages(
    ledger: Ledger,
    statements: pd.DataFrame | None,
    *,
    as_of: dt.date,
    thresholds: tuple[int, ...],
) -> pd.DataFrame:
    """How old each account's billed patient-due items are.

    Returns:
        A frame indexed by Guarantor (accounts with any patient-due line) with columns
        ``first_statement`` (bill date of the oldest billed open item, NaT if none billed),
        ``newest_statement`` (first-statement date of the most recently billed open item),
        ``days_past`` (days since ``first_statement``; -1 when nothing is billed),
        ``dunning_level`` (0 when nothing is billed), ``past_due`` (cents on billed items at
        level 2 or more), ``unbilled`` (cents on items never billed) and ``patients`` (tuple of
        the PatientIDs with patient-due items).
    """
    aged = age_lines(ledger, statements, as_of=as_of, thresholds=thresholds)
    guarantors = aged["Guarantor"].to_numpy(dtype=object)
    frame = pd.DataFrame(index=pd.Index(sorted(set(guarantors)), name="Guarantor", dtype=object))
    billed = aged[aged["billed"].to_numpy(dtype=bool)]
    by = billed.groupby(billed["Guarantor"].astype(object), sort=True)
    frame["first_statement"] = by["bill_date"].min().reindex(frame.index)
    frame["newest_statement"] = by["bill_date"].max().reindex(frame.index)
    days = by["age_days"].max().reindex(frame.index)
    frame["days_past"] = days.fillna(-1).astype(np.int64)
    levels = dunning_levels(frame["days_past"].clip(lower=0).to_numpy(), thresholds)
    frame["dunning_level"] = np.where(frame["days_past"] >= 0, levels, 0).astype(np.int64)
    late = billed[billed["dunning_level"].to_numpy() >= 2]
    past = late.groupby(late["Guarantor"].astype(object))["amount"].sum()
    frame["past_due"] = past.reindex(frame.index).fillna(0).astype(np.int64)
    never = aged[~aged["billed"].to_numpy(dtype=bool)]
    unbilled = never.groupby(never["Guarantor"].astype(object))["amount"].sum()
    frame["unbilled"] = unbilled.reindex(frame.index).fillna(0).astype(np.int64)
    members = aged.groupby(aged["Guarantor"].astype(object))["PatientID"].unique()
    frame["patients"] = [tuple(sorted(members[g])) for g in frame.index]
    return frame


def amounts_due(ledger: Ledger) -> pd.Series:
    """What each account owes now, in cents, as its bill says: the guarantor's patient-due
    balance less the account's credit, never below zero (indexed by Guarantor)."""
    rows = ledger.guarantors
    return (rows["patient_due"] - rows["credit"]).clip(lower=0).astype(np.int64)


def find_overdue(
    ledger: Ledger,
    statements: pd.DataFrame | None,
    patients: pd.DataFrame | None,
    policy: Mapping[str, object],
    *,
    as_of: dt.date,
) -> tuple[OverdueAccount, ...]:
    """Every overdue account (module doc, first two rules), most overdue first.

    Order: dunning level, then days past (both descending), then account ID.
    """
    thresholds = thresholds_from_policy(policy)
    ages = account_ages(ledger, statements, as_of=as_of, thresholds=thresholds)
    due = amounts_due(ledger).reindex(ages.index).fillna(0).astype(np.int64)
    late = ages[(ages["dunning_level"] >= 2) & (due > 0)]
    contacts = contacts_by_id(patients)
    found = []
    for account, row in late.iterrows():
        level = int(row["dunning_level"])
        found.append(
            OverdueAccount(
                account=str(account),
                patients=row["patients"],
                contact=contacts.get(str(account)) or Contact(str(account), ""),
                amount_due=from_cents(int(due[account])),
                past_due=from_cents(int(row["past_due"])),
                first_statement=pd.Timestamp(row["first_statement"]).date(),
                days_past=int(row["days_past"]),
                dunning_level=level,
                message=str(policy.get(f"dunning_{level}") or ""),
            )
        )
    found.sort(key=lambda o: (-o.dunning_level, -o.days_past, o.account))
    return tuple(found)


# --- the worklist ------------------------------------------------------------------------------


def plan_notices(book: Book, now: dt.datetime | dt.date) -> NoticePlan:
    """The notice worklist of a loaded workbook at ``now`` (rules: module doc).

    Args:
        book: the loaded workbook (Patients, Statements, Contacts, PaymentPlans, ledger tables).
        now: the moment of the run; naive = practice time, a date = noon practice time.

    Returns:
        The plan; problems (invalid time zones, missing addresses, Policy settings clamped) are
        findings naming sheet, row and column, never exceptions.
    """
    policy = book.policy
    findings: list[Finding] = []
    practice_zone_name = policy.get("practice_time_zone")
    practice_zone = zone_or_none(practice_zone_name)
    if practice_zone is None:
        findings.append(
            Finding(
                "bad_time_zone",
                "Policy practice_time_zone is not an IANA time zone name; calls to patients "
                "without their own zone are not offered and times are read as UTC.",
                sheet="Policy",
                column="practice_time_zone",
                fix="Enter the practice's zone, e.g. America/New_York.",
            )
        )
    moment = notice_moment(now, practice_zone).astimezone(practice_zone or dt.UTC)
    as_of = moment.date()
    rules, rule_findings = call_rules_from_policy(policy)
    findings += rule_findings

    ledger = ledger_from_book(book, as_of=as_of)
    patients = book.tables.get("Patients")
    overdue = find_overdue(ledger, book.tables.get("Statements"), patients, policy, as_of=as_of)
    on_plan = _patients_on_active_plans(book.tables.get("PaymentPlans"))
    account_of = _account_of(ledger)
    worked: list[OverdueAccount] = []
    skipped: dict[str, int] = {}
    for item in overdue:
        status = item.contact.account_status
        if status in NOT_WORKED_STATUSES:
            skipped[status] = skipped.get(status, 0) + 1
        elif on_plan.intersection((item.account, *item.patients)):
            skipped["Active plan"] = skipped.get("Active plan", 0) + 1
        else:
            worked.append(item)

    attempts = call_attempts(
        book.tables.get("Contacts"), account_of, moment, practice_zone, rules.days
    )
    notices = []
    for item in worked:
        contact = item.contact
        channel, note = choose_channel(contact.preferred, email=contact.email, phone=contact.phone)
        if channel is Channel.LETTER and not contact.address_lines:
            findings.append(_where(contact, "no_address", "Address1", Severity.WARNING))
        if channel is Channel.LETTER and contact.preferred == "Email":
            findings.append(_where(contact, "no_email", "Email", Severity.WARNING))
        if channel is Channel.LETTER and contact.preferred in ("Phone", "Text"):
            findings.append(_where(contact, "no_phone", "Phone", Severity.WARNING))
        if channel not in (Channel.CALL, Channel.TEXT):
            notices.append(Notice(item, channel, note))
            continue
        zone_name = contact.time_zone or (practice_zone_name if practice_zone else None)
        zone = zone_or_none(zone_name)
        if contact.time_zone and zone is None:
            findings.append(_where(contact, "bad_time_zone", "TimeZone", Severity.ERROR))
        check = check_call(moment, zone, attempts.get(item.account, 0), rules)
        notices.append(Notice(item, channel, note, zone_name if zone else None, check))
    return NoticePlan(
        now=moment,
        as_of=as_of,
        practice=practice_of(policy),
        rules=rules,
        notices=tuple(notices),
        findings=tuple(findings),
        skipped=skipped,
    )


_MESSAGES = {
    "no_address": (
        "Patient {pid} gets a letter but has no mailing address.",
        "Enter Address1, City, State and ZIP.",
    ),
    "no_email": (
        "Patient {pid} prefers email but has no usable email address; a letter is made instead.",
        "Enter a valid Email or change PreferredContact.",
    ),
    "no_phone": (
        "Patient {pid} prefers phone or text but has no phone number; a letter is made instead.",
        "Enter a Phone or change PreferredContact.",
    ),
    "bad_time_zone": (
        "Patient {pid}'s TimeZone is not an IANA time zone name, so no call is offered.",
        "Enter a zone such as America/Chicago, or leave it blank for the practice's zone.",
    ),
}


def _where(contact: Contact, code: str, column: str, severity: Severity) -> Finding:
    message, fix = _MESSAGES[code]
    return Finding(
        code,
        message.format(pid=contact.patient_id),
        sheet=contact.sheet or "Patients",
        row=contact.row,
        column=column,
        severity=severity,
        fix=fix,
        ids=(contact.patient_id,),
    )


def _patients_on_active_plans(plans: pd.DataFrame | None) -> set[str]:
    if plans is None or not len(plans):
        return set()
    active = plans[plans["Status"].to_numpy(dtype=object) == "Active"]
    return {str(p) for p in active["PatientID"].dropna()}


def _account_of(ledger: Ledger) -> dict[str, str]:
    accounts = ledger.accounts
    return dict(zip(accounts.index.astype(str), accounts["Guarantor"].astype(str), strict=True))


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None
