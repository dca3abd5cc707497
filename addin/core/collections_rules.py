"""Which accounts may be placed with a collection agency, and why the others may not.

An **account** is a guarantor with their dependants (as on the bill; :mod:`addin.core.overdue`).
Its *members* here are the guarantor and every patient with a patient-due item on the account.
Every account with an amount due above zero is reviewed; it is **eligible** only when
every rule holds, and each failed rule gives a :class:`Reason` (code + one sentence, IDs and
dates only):

1. ``under_minimum`` — the balance, the account's amount due as on its bill (patient-due less
   credit, never below zero: :func:`addin.core.overdue.amounts_due`, cents), is at least
   Policy ``collections_minimum``. *Never* eligible under it.
2. ``never_billed`` / ``too_recent`` — account age, the days from the first statement of the
   oldest open billed item to the as-of date (:func:`addin.core.overdue.account_ages`), is
   **more than** Policy ``collections_days``. Items never billed do not age the account.
3. ``no_final_notice`` / ``final_notice_recent`` — a written final notice (a Statements row of a
   member with FinalNotice TRUE, dated on or after that first statement and not after the as-of
   date) was sent **at least** Policy ``final_notice_days`` days ago (the earliest such notice
   counts).
4. ``active_plan`` / ``status_payment_plan`` / ``status_closed`` / ``status_collections`` — no
   member has an ``Active`` PaymentPlans row, and no member's AccountStatus is ``Payment plan``,
   ``Closed`` or ``Collections`` (blank counts as Active).
5. ``assistance_pending`` — no member's AssistanceStatus is ``Applied`` (an application
   being decided stops collection).
6. Only when Policy ``nonprofit_hospital`` is TRUE — IRS 501(r) (:mod:`addin.core.eca`): bills
   of several episodes may be placed together only once 120 days have passed since the first
   statement of the **most recent** episode included (26 CFR 1.501(r)-6, aggregated bills), so
   the clock starts at the newest first-statement date of the open billed items, and the final
   notice must be on or after it and 30 days old: ``501r_unbilled`` (an open item was never
   billed: its notification period has not started), ``501r_no_final_notice`` (no final notice
   since that statement), ``501r_too_early`` (the earliest ECA date is after the as-of date).
   Policy ``collections_days``/``final_notice_days`` lengthen the 501(r) periods, never shorten
   them.

An eligible account comes with the **status changes** to apply: each member whose AccountStatus
is ``Active`` (or blank) → ``Collections`` (sheet and row of their Patients row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from addin.core.aging import thresholds_from_policy
from addin.core.eca import FINAL_NOTICE_DAYS, NOTIFICATION_DAYS, collections_clock
from addin.core.ledger import ledger_from_book
from addin.core.money import MoneyError, from_cents, to_cents
from addin.core.overdue import Contact, account_ages, amounts_due, contacts_by_id
from addin.errors import PaxlError

if TYPE_CHECKING:
    from addin.workbook.book import Book

__all__ = [
    "BLOCKING_STATUSES",
    "AccountFacts",
    "CollectionsReview",
    "CollectionsRules",
    "Decision",
    "Reason",
    "StatusChange",
    "check_account",
    "review_collections",
]

BLOCKING_STATUSES = {
    "Payment plan": "status_payment_plan",
    "Closed": "status_closed",
    "Collections": "status_collections",
}
NEW_STATUS = "Collections"


@dataclass(frozen=True)
class CollectionsRules:
    """The Policy's collections settings: ``minimum`` in cents, periods in days."""

    minimum: int = 5000
    collections_days: int = 120
    final_notice_days: int = 30
    nonprofit: bool = False

    @classmethod
    def from_policy(cls, policy: Mapping[str, object]) -> CollectionsRules:
        """Read ``collections_minimum``, ``collections_days``, ``final_notice_days`` and
        ``nonprofit_hospital`` (defaults for blanks).

        Raises:
            PaxlError: a setting is not a non-negative amount or whole number of days.
        """
        base = cls()
        try:
            raw = policy.get("collections_minimum")
            minimum = base.minimum if raw is None else to_cents(raw)
        except MoneyError:
            minimum = -1
        if minimum < 0:
            raise PaxlError(
                "Policy collections_minimum must be an amount of 0 or more (e.g. 50.00); "
                "fix it on the Policy sheet."
            )
        return cls(
            minimum=minimum,
            collections_days=_days(policy, "collections_days", base.collections_days),
            final_notice_days=_days(policy, "final_notice_days", base.final_notice_days),
            nonprofit=bool(policy.get("nonprofit_hospital") or False),
        )


@dataclass(frozen=True)
class AccountFacts:
    """What the rules look at for one account (all plain values).

    Attributes:
        account: the guarantor's PatientID.
        balance: the amount due in cents (positive = owed).
        patients: PatientIDs with patient-due items on the account (their care is billed).
        first_statement: first-statement date of the oldest open billed item (None: none billed).
        newest_statement: first-statement date of the most recently billed open item.
        unbilled: cents on open items never billed.
        final_notices: dates of the members' final notices up to the as-of date.
        statuses: member PatientID → AccountStatus (None = blank).
        active_plans: PlanNo of the members' Active payment plans.
        assistance_applied: members whose AssistanceStatus is Applied.
    """

    account: str
    balance: int
    patients: tuple[str, ...] = ()
    first_statement: dt.date | None = None
    newest_statement: dt.date | None = None
    unbilled: int = 0
    final_notices: tuple[dt.date, ...] = ()
    statuses: Mapping[str, str | None] | None = None
    active_plans: tuple[str, ...] = ()
    assistance_applied: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """A rule the account fails: a short code and one sentence (IDs and dates only)."""

    code: str
    message: str


@dataclass(frozen=True)
class StatusChange:
    """One AccountStatus cell to change on the Patients sheet."""

    patient_id: str
    sheet: str | None
    row: int | None
    old: str | None
    new: str = NEW_STATUS
    column: str = "AccountStatus"


@dataclass(frozen=True)
class Decision:
    """The review of one account.

    Attributes:
        facts: what was looked at.
        contact: the guarantor's contact details (for the placement file).
        reasons: every failed rule; empty = eligible.
        final_notice: the final notice that counts for rule 3, if any.
        days_past: days since ``facts.first_statement`` (None when nothing is billed).
        earliest_eca: 501(r) earliest collection date (nonprofit hospitals only).
        status_changes: what to change when the account is placed (eligible accounts only).
    """

    facts: AccountFacts
    contact: Contact
    reasons: tuple[Reason, ...]
    final_notice: dt.date | None
    days_past: int | None
    earliest_eca: dt.date | None
    status_changes: tuple[StatusChange, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def account(self) -> str:
        return self.facts.account

    @property
    def balance(self) -> Decimal:
        """The amount due in dollars."""
        return from_cents(self.facts.balance)


@dataclass(frozen=True)
class CollectionsReview:
    """Every account with an amount due, split into eligible and not (account order)."""

    as_of: dt.date
    rules: CollectionsRules
    eligible: tuple[Decision, ...]
    ineligible: tuple[Decision, ...]


# --- the rules ---------------------------------------------------------------------------------


def check_account(
    facts: AccountFacts, rules: CollectionsRules, as_of: dt.date
) -> tuple[tuple[Reason, ...], dt.date | None, dt.date | None]:
    """Apply the rules of the module doc to one account.

    Returns:
        ``(reasons, final_notice, earliest_eca)``: the failed rules (empty = eligible), the
        final notice that counts for rule 3, and the 501(r) earliest collection date
        (``None`` unless the practice is a nonprofit hospital and a clock exists).
    """
    reasons: list[Reason] = []
    if facts.balance <= 0 or facts.balance < rules.minimum:
        reasons.append(
            Reason(
                "under_minimum",
                f"The balance is under the collections minimum of ${from_cents(rules.minimum):,}"
                " and is never sent to collections.",
            )
        )
    first = facts.first_statement
    if first is None:
        reasons.append(
            Reason("never_billed", "No open item has been billed yet; bill the account first.")
        )
    else:
        days = (as_of - first).days
        if days <= rules.collections_days:
            reasons.append(
                Reason(
                    "too_recent",
                    f"The oldest open bill was first sent on {first} ({days} days ago); "
                    f"collections needs more than {rules.collections_days} days.",
                )
            )
    notice = _first_on_or_after(facts.final_notices, first, as_of)
    if notice is None:
        since = f" since {first}" if first else ""
        reasons.append(Reason("no_final_notice", f"No written final notice has been sent{since}."))
    elif (as_of - notice).days < rules.final_notice_days:
        reasons.append(
            Reason(
                "final_notice_recent",
                f"The final notice was sent on {notice} ({(as_of - notice).days} days ago); "
                f"wait at least {rules.final_notice_days} days.",
            )
        )
    for plan in facts.active_plans:
        reasons.append(Reason("active_plan", f"Payment plan {plan} is active."))
    for pid, status in sorted((facts.statuses or {}).items()):
        code = BLOCKING_STATUSES.get(status or "")
        if code:
            reasons.append(Reason(code, f"Patient {pid}'s AccountStatus is {status}."))
    for pid in facts.assistance_applied:
        reasons.append(
            Reason(
                "assistance_pending",
                f"Patient {pid} has a financial-assistance application pending "
                "(AssistanceStatus Applied).",
            )
        )
    earliest = None
    if rules.nonprofit:
        more, earliest = _check_501r(facts, rules, as_of)
        reasons += more
    return tuple(reasons), notice, earliest


def _check_501r(
    facts: AccountFacts, rules: CollectionsRules, as_of: dt.date
) -> tuple[list[Reason], dt.date | None]:
    reasons = []
    if facts.unbilled > 0:
        reasons.append(
            Reason(
                "501r_unbilled",
                "501(r): an open item has never been billed, so its notification period has "
                "not started; bill it and wait 120 days.",
            )
        )
    newest = facts.newest_statement
    if newest is None:
        return reasons, None
    notice = _first_on_or_after(facts.final_notices, newest, as_of)
    clock = collections_clock(
        newest,
        notice,
        notification_days=max(rules.collections_days, NOTIFICATION_DAYS),
        final_notice_days=max(rules.final_notice_days, FINAL_NOTICE_DAYS),
    )
    if clock.earliest_eca is None:
        reasons.append(
            Reason(
                "501r_no_final_notice",
                "501(r): no written final notice since the first statement of the most recent "
                f"care on the account ({newest}).",
            )
        )
    elif clock.earliest_eca > as_of:
        wait = (clock.notification_end - newest).days
        reasons.append(
            Reason(
                "501r_too_early",
                f"501(r): no collection action before {clock.earliest_eca} (the later of the "
                f"first statement of the most recent care, {newest}, + {wait} days and the "
                f"final notice, {notice}, + at least "
                f"{max(rules.final_notice_days, FINAL_NOTICE_DAYS)} days).",
            )
        )
    return reasons, clock.earliest_eca


def _first_on_or_after(
    dates: tuple[dt.date, ...], start: dt.date | None, end: dt.date
) -> dt.date | None:
    usable = [d for d in dates if (start is None or d >= start) and d <= end]
    return min(usable) if usable else None


# --- from a workbook ---------------------------------------------------------------------------


def review_collections(book: Book, as_of: dt.date) -> CollectionsReview:
    """Review every account of a loaded workbook with an amount due (module doc)."""
    policy = book.policy
    rules = CollectionsRules.from_policy(policy)
    thresholds = thresholds_from_policy(policy)
    ledger = ledger_from_book(book, as_of=as_of)
    statements = book.tables.get("Statements")
    ages = account_ages(ledger, statements, as_of=as_of, thresholds=thresholds)
    due = amounts_due(ledger).reindex(ages.index).fillna(0).astype(np.int64)
    ages = ages[due > 0]
    contacts = contacts_by_id(book.tables.get("Patients"))
    notices = _final_notices(statements, as_of)
    plans = _active_plans(book.tables.get("PaymentPlans"))
    eligible, ineligible = [], []
    for account, row in ages.iterrows():
        account = str(account)
        members = tuple(dict.fromkeys((account, *row["patients"])))
        member_contacts = {pid: contacts.get(pid) for pid in members}
        facts = AccountFacts(
            account=account,
            balance=int(due[account]),
            patients=tuple(row["patients"]),
            first_statement=_date(row["first_statement"]),
            newest_statement=_date(row["newest_statement"]),
            unbilled=int(row["unbilled"]),
            final_notices=tuple(sorted(d for pid in members for d in notices.get(pid, ()))),
            statuses={p: c.account_status if c else None for p, c in member_contacts.items()},
            active_plans=tuple(sorted(n for pid in members for n in plans.get(pid, ()))),
            assistance_applied=tuple(
                p for p, c in member_contacts.items() if c and c.assistance_status == "Applied"
            ),
        )
        reasons, notice, earliest = check_account(facts, rules, as_of)
        changes: tuple[StatusChange, ...] = ()
        if not reasons:
            changes = tuple(
                StatusChange(pid, c.sheet if c else "Patients", c.row if c else None, status)
                for pid, c in member_contacts.items()
                if (status := c.account_status if c else None) in (None, "Active")
            )
        days = None if facts.first_statement is None else (as_of - facts.first_statement).days
        decision = Decision(
            facts=facts,
            contact=contacts.get(account) or Contact(account, ""),
            reasons=reasons,
            final_notice=notice,
            days_past=days,
            earliest_eca=earliest,
            status_changes=changes,
        )
        (eligible if decision.eligible else ineligible).append(decision)
    return CollectionsReview(as_of, rules, tuple(eligible), tuple(ineligible))


def _final_notices(statements: pd.DataFrame | None, as_of: dt.date) -> dict[str, list[dt.date]]:
    if statements is None or not len(statements):
        return {}
    sent = statements.dropna(subset=["PatientID", "StatementDate"])
    sent = sent[sent["FinalNotice"].fillna(False).astype(bool).to_numpy()]
    sent = sent[sent["StatementDate"] <= pd.Timestamp(as_of)]
    out: dict[str, list[dt.date]] = {}
    for pid, when in zip(sent["PatientID"], sent["StatementDate"], strict=True):
        out.setdefault(str(pid), []).append(pd.Timestamp(when).date())
    return out


def _active_plans(plans: pd.DataFrame | None) -> dict[str, list[str]]:
    if plans is None or not len(plans):
        return {}
    active = plans[plans["Status"].to_numpy(dtype=object) == "Active"]
    out: dict[str, list[str]] = {}
    for pid, plan_no in zip(active["PatientID"], active["PlanNo"], strict=True):
        if pid is not None:
            out.setdefault(str(pid), []).append(str(plan_no))
    return out


def _date(value: object) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()  # type: ignore[arg-type]


def _days(policy: Mapping[str, object], name: str, default: int) -> int:
    value = policy.get(name)
    if value is None:
        return default
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number != value:
        raise PaxlError(
            f"Policy {name} must be a whole number of days, 0 or more (e.g. {default}); "
            "fix it on the Policy sheet."
        )
    return number
