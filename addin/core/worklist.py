"""Today's worklist: one ranked list of what a rep should do, why, for how much and by when.

Each :class:`Task` has a kind, a reason (one sentence; IDs, codes and dates only, never a name),
the money at stake (int **cents**, positive), a deadline, the action, the IDs involved and the
sheet/row/column to go to. :func:`build_worklist` makes the list from a loaded workbook.

Kinds, in tie order — *when* → *amount at stake* (cents) → *deadline*:

* ``fix_data`` — an error in the workbook: an error-severity validation problem, an audit error
  (:mod:`addin.core.audit`), an untrackable payment plan, an invalid patient time zone → the
  row's Amount (0 if it has none) → today.
* ``refund_credit`` — a patient's ledger ``refund_due`` is above zero → refund_due → the last
  payment or adjustment on the patient's account + :data:`REFUND_DAYS` (60).
* ``appeal_underpayment`` — an insurer paid less than its contract (:mod:`addin.core.expected`;
  lines without a contract rate are not judged) → the shortfall → its first payment on the line
  (else the line's ``due_since``) + :data:`APPEAL_DAYS` (90).
* ``work_denial`` — a charge with Status ``Denied`` and an open amount → the open amount → the
  first insurer posting on the line (else its service date) + :data:`APPEAL_DAYS`.
* ``fix_coverage`` — coverage findings (:func:`addin.core.coverage.verify_coverage`) on a charge
  with Status ``Unbilled``, one task per charge, every finding in its reason → the billed amount
  → the service date + :data:`FILING_DAYS` (90, timely filing).
* ``plan_behind`` — a payment plan recorded ``Active`` that is behind or in default
  (:mod:`addin.core.plan_tracking`) → past due (remaining when in default) → the due date of
  the installment whose miss defaults it (today when in default).
* ``collections_date`` — an account eligible for collections, or one whose only wait is time
  (too recent, final notice too recent, 501(r) too early) and whose date comes within
  :data:`LOOKAHEAD_DAYS` (7) → the amount due → that date: the later of first bill +
  ``collections_days`` + 1 and final notice + ``final_notice_days``, and for a nonprofit
  hospital the 501(r) earliest ECA date (:mod:`addin.core.collections_rules`).
* ``dunning_notice`` — an account's dunning level (2–5, from its oldest billed open item) is
  above the DunningLevel of the last statement sent to it, it owes something, and it is worked
  (not ``Collections``/``Closed``/``Payment plan``, no ``Active`` plan) → the amount due → the
  day the level was reached.
* ``call_now`` — an overdue account preferring phone that may be called now, inside
  08:00–21:00 its local time and under 7 attempts in 7 days (:mod:`addin.core.overdue`,
  :mod:`addin.core.contact_window`) → the amount due → today.

**Ranking** (:func:`rank_tasks`): ``days_left = deadline − as_of`` in days; the urgency weight is
8 when ``days_left <= 0`` (due today or overdue), 4 when ``<= 7``, 2 when ``<= 30`` and 1 beyond
(or with no deadline); the stake is ``max(amount, $25.00)`` so a task without an amount still
ranks by urgency; ``score = weight × stake`` in integer cents. Tasks are sorted by score
(highest first), ties by kind in the order of this list, then by IDs, then sheet and row.

**Rows with errors** are listed as ``fix_data`` tasks and left out of every other task until
fixed (their numbers cannot be trusted): rows with an error-severity validation problem, and
the repeat row of a duplicate payment or duplicate charge found by the audit. A problem that is
not on a row (a missing table or column) stops the worklist with a :class:`PaxlError`.

**As of** is one aware moment ``now`` (a naive time is practice wall-clock time, Policy
``practice_time_zone``; a date alone is 12:00 noon there). Rows dated after its practice date
are ignored. Account = guarantor, as on the bill (:mod:`addin.core.overdue`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from addin.core.aging import thresholds_from_policy
from addin.core.audit import audit_book
from addin.core.benefits import plans_from_frame
from addin.core.collections_rules import Decision, review_collections
from addin.core.contact_window import zone_or_none
from addin.core.coverage import verify_coverage
from addin.core.expected import NO_CONTRACT, expected_payments
from addin.core.findings import Finding, Severity
from addin.core.ledger import Ledger, ledger_from_book
from addin.core.money import from_cents, to_cents
from addin.core.overdue import (
    NOT_WORKED_STATUSES,
    Channel,
    Notice,
    account_ages,
    amounts_due,
    contacts_by_id,
    notice_moment,
    plan_notices,
)
from addin.core.plan_tracking import PlanState, PlanTracking, track_plans
from addin.core.schedule import due_dates
from addin.errors import PaxlError

if TYPE_CHECKING:
    from addin.workbook.book import Book

__all__ = [
    "APPEAL_DAYS",
    "FILING_DAYS",
    "KIND_ORDER",
    "LOOKAHEAD_DAYS",
    "MIN_STAKE",
    "REFUND_DAYS",
    "Task",
    "TaskKind",
    "Worklist",
    "build_worklist",
    "rank_tasks",
    "urgency_weight",
]

#: days after the last payment or adjustment to refund a credit
REFUND_DAYS = 60
#: days after the insurer's remittance to appeal an underpayment or a denial
APPEAL_DAYS = 90
#: days after the service to file the claim (timely filing)
FILING_DAYS = 90
#: how far ahead a collections (501(r)) date is shown
LOOKAHEAD_DAYS = 7
#: the smallest stake a task ranks with, in cents ($25.00)
MIN_STAKE = 2500
#: audit codes whose row is a repeat, left out of the money until fixed
REPEAT_CODES = ("duplicate_payment", "duplicate_charge")
#: table → the column naming its rows, for the IDs of a data error
ROW_IDS = {
    "Patients": "PatientID",
    "Plans": "PlanID",
    "Coverage": "PlanID",
    "Fees": "Code",
    "Allowed": "PlanID",
    "Charges": "ChargeID",
    "Payments": "PaymentID",
    "Adjustments": "AdjustmentID",
    "PaymentPlans": "PlanNo",
    "Statements": "StatementID",
    "Contacts": "ContactID",
}
#: collections reasons that only say "not yet": the account has a date to watch
WAITING_CODES = frozenset({"too_recent", "final_notice_recent", "501r_too_early"})


class TaskKind(StrEnum):
    FIX_DATA = "fix_data"
    REFUND = "refund_credit"
    UNDERPAID = "appeal_underpayment"
    DENIAL = "work_denial"
    COVERAGE = "fix_coverage"
    PLAN = "plan_behind"
    COLLECTIONS = "collections_date"
    DUNNING = "dunning_notice"
    CALL = "call_now"


KIND_ORDER: dict[TaskKind, int] = {kind: i for i, kind in enumerate(TaskKind)}


@dataclass(frozen=True)
class Task:
    """One thing to do. ``amount`` is int cents (≥ 0); ``days_left``, ``weight`` and ``score``
    are filled by :func:`rank_tasks` (``score`` in cents × weight)."""

    kind: TaskKind
    reason: str
    amount: int
    deadline: dt.date | None
    action: str
    ids: tuple[str, ...]
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    codes: tuple[str, ...] = ()
    days_left: int | None = None
    weight: int = 1
    score: int = 0

    @property
    def dollars(self) -> Decimal:
        """The amount at stake in dollars (two places)."""
        return from_cents(self.amount)

    @property
    def key(self) -> tuple[object, ...]:
        """What makes a task distinct (no two tasks of a worklist share it)."""
        return (self.kind, self.ids, self.sheet, self.row, self.column, self.codes)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "reason": self.reason,
            "amount": str(self.dollars),
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "days_left": self.days_left,
            "weight": self.weight,
            "score": self.score,
            "action": self.action,
            "ids": list(self.ids),
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "codes": list(self.codes),
        }


@dataclass(frozen=True)
class Worklist:
    """The ranked tasks at ``now`` (aware, practice zone); ``as_of`` is its practice date.

    ``left_out`` counts the rows left out of the money tasks because they have errors.
    """

    now: dt.datetime
    as_of: dt.date
    tasks: tuple[Task, ...]
    left_out: int = 0

    @property
    def total(self) -> Decimal:
        """Money at stake over every task, in dollars (a sum: accounts may repeat)."""
        return from_cents(sum(t.amount for t in self.tasks))

    def to_dict(self) -> dict[str, object]:
        return {
            "now": self.now.isoformat(),
            "as_of": self.as_of.isoformat(),
            "left_out_rows": self.left_out,
            "tasks": [t.to_dict() for t in self.tasks],
        }


# --- ranking -----------------------------------------------------------------------------------


def urgency_weight(days_left: int | None) -> int:
    """8 when due today or overdue, 4 within 7 days, 2 within 30 days, else (or none) 1."""
    if days_left is None:
        return 1
    if days_left <= 0:
        return 8
    if days_left <= 7:
        return 4
    return 2 if days_left <= 30 else 1


def rank_tasks(tasks: Iterable[Task], as_of: dt.date) -> tuple[Task, ...]:
    """Score and sort tasks (module doc: ``score = weight(days_left) × max(amount, $25)``)."""
    scored = []
    for task in tasks:
        days = None if task.deadline is None else (task.deadline - as_of).days
        weight = urgency_weight(days)
        score = weight * max(task.amount, MIN_STAKE)
        scored.append(replace(task, days_left=days, weight=weight, score=score))
    scored.sort(
        key=lambda t: (-t.score, KIND_ORDER[t.kind], t.ids, t.sheet or "", t.row or 0, t.codes)
    )
    return tuple(scored)


# --- the worklist ------------------------------------------------------------------------------


def build_worklist(
    book: Book, now: dt.datetime | dt.date, *, problems: Sequence[Finding] = ()
) -> Worklist:
    """Every task of the day, ranked (rules: module doc).

    Args:
        book: the workbook's typed tables and Policy (it may hold rows with errors).
        now: the moment of the run (naive = practice time; a date = noon practice time).
        problems: the validation problems found when the workbook was read.

    Raises:
        PaxlError: an error that is not on a row (a missing table or column), or a value the
            ledger cannot use.
    """
    zone = zone_or_none(book.policy.get("practice_time_zone"))
    moment = notice_moment(now, zone).astimezone(zone or dt.UTC)
    as_of = moment.date()
    _refuse_structural(problems)
    audit = audit_book(book, as_of=as_of)
    errors = _data_errors(problems, audit)
    left_out = {(f.sheet, f.row) for f in problems if f.severity == Severity.ERROR}
    left_out |= {(f.sheet, f.row) for f in audit if f.code in REPEAT_CODES}
    clean = _cleaned(book, left_out, as_of)
    ledger = ledger_from_book(clean, as_of=as_of)
    plans, plan_findings = track_plans(
        clean["PaymentPlans"],
        clean["Payments"],
        as_of=as_of,
        missed_to_default=int(clean.policy.get("plan_missed_to_default") or 0),
        apr=Decimal(str(clean.policy.get("plan_apr") or 0)),
    )
    notices = plan_notices(clean, moment)
    errors += [f for f in (*plan_findings, *notices.findings) if f.severity == Severity.ERROR]
    tasks = _fix_data_tasks(book, errors, as_of)
    tasks += _refund_tasks(ledger, clean)
    tasks += _underpayment_tasks(clean, ledger, _insurer_candidates(book, clean, audit))
    tasks += _denial_tasks(ledger)
    tasks += _coverage_tasks(clean)
    tasks += _plan_tasks(plans, clean, as_of)
    tasks += _collections_tasks(clean, as_of)
    tasks += _dunning_tasks(ledger, clean, as_of)
    for notice in notices.calls:
        call = notice.call
        if notice.channel is Channel.CALL and call is not None and call.may_call:
            tasks.append(_call_task(notice, as_of))
    return Worklist(moment, as_of, rank_tasks(tasks, as_of), left_out=len(left_out))


# --- data errors -------------------------------------------------------------------------------


def _refuse_structural(problems: Sequence[Finding]) -> None:
    """Raise when an error is not on a row (a missing table or column): nothing can be trusted."""
    structural = [p for p in problems if p.severity == Severity.ERROR and p.row is None]
    if structural:
        shown = "; ".join(f"{p.sheet or 'workbook'}: {p.message}" for p in structural[:3])
        raise PaxlError(
            f"The workbook has {len(structural)} problem(s) no row can be left out for "
            f"({shown}); fix them (paxl validate) and make the worklist again."
        )


def _data_errors(problems: Sequence[Finding], audit: Sequence[Finding]) -> list[Finding]:
    """Error-severity validation problems plus the audit errors on cells not already reported."""
    found = [p for p in problems if p.severity == Severity.ERROR]
    reported = {(p.sheet, p.row, p.column) for p in found}
    for f in audit:
        if f.severity == Severity.ERROR and (f.sheet, f.row, f.column) not in reported:
            found.append(f)
    return found


def _cleaned(book: Book, left_out: set[tuple[str | None, int | None]], as_of: dt.date) -> Book:
    """The book without the left-out rows and without rows dated after ``as_of``."""
    stamp = pd.Timestamp(as_of)
    dated = {
        "Charges": "ServiceDate",
        "Payments": "Date",
        "Adjustments": "Date",
        "Statements": "StatementDate",
        "PaymentPlans": "Created",
    }
    tables = {}
    for name, frame in book.tables.items():
        keep = np.ones(len(frame), dtype=bool)
        if left_out and len(frame) and "_row" in frame:
            keep &= ~_places(frame).isin(list(left_out))
        if name in dated and len(frame):
            keep &= ~(frame[dated[name]] > stamp).to_numpy(dtype=bool, na_value=False)
        tables[name] = frame if keep.all() else frame[keep].reset_index(drop=True)
    return replace(book, tables=tables)


def _row_facts(
    book: Book, places: set[tuple[str, int]]
) -> dict[tuple[str, int], tuple[int, tuple[str, ...]]]:
    """(sheet, row) → (|Amount| in cents or 0, the row's own ID and PatientID) for ``places``."""
    out: dict[tuple[str, int], tuple[int, tuple[str, ...]]] = {}
    if not places:
        return out
    for name, key in ROW_IDS.items():
        frame = book.tables.get(name)
        if frame is None or not len(frame) or "_row" not in frame:
            continue
        for record in frame[_places(frame).isin(list(places))].to_dict("records"):
            cents = record.get("Amount")
            amount = 0 if cents is None or pd.isna(cents) else abs(int(cents))
            ids = (record.get(key), record.get("PatientID"))
            texts = tuple(dict.fromkeys(str(i) for i in ids if i is not None and not pd.isna(i)))
            out[(str(record["_sheet"]), int(record["_row"]))] = (amount, texts)
    return out


def _fix_data_tasks(book: Book, errors: Sequence[Finding], as_of: dt.date) -> list[Task]:
    facts = _row_facts(book, {(str(f.sheet), int(f.row)) for f in errors if f.row is not None})
    tasks, seen = [], set()
    for f in errors:
        place = (f.sheet, f.row, f.column, f.code)
        if place in seen:
            continue
        seen.add(place)
        amount, ids = facts.get((str(f.sheet), int(f.row or 0)), (0, ()))
        tasks.append(
            Task(
                TaskKind.FIX_DATA,
                f.message,
                amount,
                as_of,
                f.fix or "Correct the cell.",
                tuple(f.ids) or ids,
                f.sheet,
                f.row,
                f.column,
                (f.code,),
            )
        )
    return tasks


# --- money tasks -------------------------------------------------------------------------------


def _patient_rows(book: Book) -> dict[str, tuple[str, int]]:
    patients = book["Patients"].dropna(subset=["PatientID"])
    return {
        str(pid): (str(sheet), int(row))
        for pid, sheet, row in zip(
            patients["PatientID"], patients["_sheet"], patients["_row"], strict=True
        )
    }


def _refund_tasks(ledger: Ledger, book: Book) -> list[Task]:
    accounts = ledger.accounts
    due = accounts[accounts["refund_due"].to_numpy() > 0]
    if due.empty:
        return []
    last: dict[str, pd.Timestamp] = {}
    for name in ("Payments", "Adjustments"):
        frame = book[name].dropna(subset=["PatientID", "Date"])
        for pid, day in frame.groupby(frame["PatientID"].astype(object))["Date"].max().items():
            last[str(pid)] = max(day, last.get(str(pid), day))
    rows = _patient_rows(book)
    tasks = []
    for pid, account in due.iterrows():
        since = last.get(str(pid))
        sheet, row = rows.get(str(pid), ("Patients", None))
        tasks.append(
            Task(
                TaskKind.REFUND,
                f"Patient {pid} has paid more than owed: a credit the patient can be refunded, "
                "not held against anything pending with insurance.",
                int(account["refund_due"]),
                None if since is None else since.date() + dt.timedelta(days=REFUND_DAYS),
                "Refund the credit to the patient (Issue refund), or apply it to another open "
                "item of theirs if they agree.",
                (str(pid),),
                sheet,
                row,
                "PatientID",
                ("refund_due",),
            )
        )
    return tasks


def _line_dates(ledger: Ledger) -> dict[str, dt.date]:
    lines = ledger.lines
    return {
        str(cid): pd.Timestamp(day).date()
        for cid, day in zip(lines["ChargeID"], lines["due_since"], strict=True)
    }


def _places(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([frame["_sheet"].astype(str), frame["_row"].astype("int64")])


def _insurer_candidates(book: Book, clean: Book, audit: Sequence[Finding]) -> set[str] | None:
    """Patients whose expected insurer payments must be computed (``None``: every patient).

    The audit has already compared every insurer payment with its contract on the whole book;
    :func:`~addin.core.expected.expected_payments` works patient by patient, so on the cleaned
    book only these can differ from it: the patients the audit found underpaid, and those with
    a left-out (or later-dated) Charges, Coverage or Payments row — a payment counts for the
    patient of the charge it names. A left-out Plans, Fees or Allowed row may change anyone's
    contract: then every patient. This spares a second pass over a large book.
    """
    if any(len(book[name]) != len(clean[name]) for name in ("Plans", "Fees", "Allowed")):
        return None
    found = {f.ids[0] for f in audit if f.code == "underpaid" and f.ids}
    charges = book["Charges"]
    owner = dict(zip(charges["ChargeID"], charges["PatientID"], strict=True))
    for name in ("Charges", "Coverage", "Payments"):
        raw = book[name]
        if len(raw) == len(clean[name]):
            continue
        gone = raw[~_places(raw).isin(_places(clean[name]))]
        found |= {str(p) for p in gone["PatientID"].dropna()}
        if name == "Payments":
            found |= {str(owner[c]) for c in gone["ChargeID"].dropna() if owner.get(c)}
    return found


def _underpayment_tasks(book: Book, ledger: Ledger, patients: set[str] | None) -> list[Task]:
    if patients is not None and not patients:
        return []
    tables = dict(book.tables)
    if patients is not None:
        for name in ("Charges", "Coverage"):
            frame = tables[name]
            tables[name] = frame[frame["PatientID"].isin(list(patients)).to_numpy(dtype=bool)]
        frame = tables["Payments"]  # insurer payments count on the charge they name
        named = frame["ChargeID"].isin(list(tables["Charges"]["ChargeID"]))
        tables["Payments"] = frame[named.to_numpy(dtype=bool)]
    payments = tables["Payments"]
    paid_on = dict(zip(payments["PaymentID"], payments["Date"], strict=True))
    since = _line_dates(ledger)
    tasks = []
    for e in expected_payments(tables):
        if e.allowed_source == NO_CONTRACT or e.underpaid <= 0:
            continue
        dates = [paid_on[p].date() for p in e.payment_ids if pd.notna(paid_on.get(p))]
        start = min(dates) if dates else since.get(e.charge_id, e.service_date)
        role = {1: "primary ", 2: "secondary "}.get(e.rank or 0, "")
        if e.payment_rows:
            sheet, row, column = e.payment_sheet, e.payment_rows[-1], "Amount"
        else:
            sheet, row, column = e.charge_sheet, e.charge_row, "Status"
        tasks.append(
            Task(
                TaskKind.UNDERPAID,
                f"Charge {e.charge_id}: {role}plan {e.plan_id} paid {e.paid}, the contract says "
                f"{e.expected} (underpaid by {e.underpaid}).",
                to_cents(e.underpaid),
                start + dt.timedelta(days=APPEAL_DAYS),
                "Check the remittance; appeal or rebill the claim for the difference.",
                (e.patient_id, e.charge_id, e.plan_id),
                sheet,
                row,
                column,
                ("underpaid",),
            )
        )
    return tasks


def _denial_tasks(ledger: Ledger) -> list[Task]:
    lines = ledger.lines
    denied = lines[(lines["Status"].to_numpy(dtype=object) == "Denied") & (lines["open"] > 0)]
    tasks = []
    for cid, pid, served, since, cents, sheet, row in zip(
        denied["ChargeID"],
        denied["PatientID"],
        denied["ServiceDate"],
        denied["due_since"],
        denied["open"],
        denied["_sheet"],
        denied["_row"],
        strict=True,
    ):
        tasks.append(
            Task(
                TaskKind.DENIAL,
                f"Charge {cid} (service {served.date()}) was denied by insurance and is still "
                "open.",
                int(cents),
                since.date() + dt.timedelta(days=APPEAL_DAYS),
                "Read the denial reason on the remittance; correct and resubmit the claim or "
                "appeal it; bill the patient only if the denial makes them responsible.",
                (str(pid), str(cid)),
                sheet,
                int(row),
                "Status",
                ("denied",),
            )
        )
    return tasks


def _coverage_tasks(book: Book) -> list[Task]:
    charges = book["Charges"]
    unbilled = charges[charges["Status"].to_numpy(dtype=object) == "Unbilled"]
    if unbilled.empty:
        return []
    findings = verify_coverage(unbilled, book["Coverage"], plans_from_frame(book["Plans"]))
    by_row: dict[tuple[str, int], list[Finding]] = {}
    for f in findings:
        by_row.setdefault((str(f.sheet), int(f.row or 0)), []).append(f)
    info = {
        (str(s), int(r)): (cid, pid, day, cents)
        for s, r, cid, pid, day, cents in zip(
            unbilled["_sheet"],
            unbilled["_row"],
            unbilled["ChargeID"],
            unbilled["PatientID"],
            unbilled["ServiceDate"],
            unbilled["Amount"].to_numpy(dtype=np.int64, na_value=0),
            strict=True,
        )
    }
    tasks = []
    for (sheet, row), found in by_row.items():
        cid, pid, day, cents = info[(sheet, row)]
        tasks.append(
            Task(
                TaskKind.COVERAGE,
                " ".join(f.message for f in found),
                int(cents),
                day.date() + dt.timedelta(days=FILING_DAYS),
                " ".join(dict.fromkeys(f.fix for f in found)),
                (str(pid), str(cid)),
                sheet,
                row,
                found[0].column,
                tuple(dict.fromkeys(f.code for f in found)),
            )
        )
    return tasks


def _plan_tasks(plans: Sequence[PlanTracking], book: Book, as_of: dt.date) -> list[Task]:
    default_after = int(book.policy.get("plan_missed_to_default") or 0)
    first_due = dict(
        zip(book["PaymentPlans"]["PlanNo"], book["PaymentPlans"]["FirstDue"], strict=True)
    )
    tasks = []
    for p in plans:
        if p.recorded_status not in ("Active", "") or p.status not in (
            PlanState.BEHIND,
            PlanState.DEFAULTED,
        ):
            continue
        if p.status is PlanState.DEFAULTED:
            amount, deadline = p.remaining, as_of
            reason = (
                f"Payment plan {p.plan_no} of patient {p.patient_id} has missed {p.missed} "
                f"installments: it is in default (Policy plan_missed_to_default {default_after})."
            )
            action = (
                "Call the patient about the plan; if it cannot be brought current, set its "
                "Status to Defaulted and bill the remaining balance."
            )
        else:
            amount, deadline = p.past_due, _default_date(p, first_due.get(p.plan_no), default_after)
            when = f"; it defaults on {deadline}" if deadline else ""
            reason = (
                f"Payment plan {p.plan_no} of patient {p.patient_id} is behind: {p.missed} "
                f"installment(s) missed{when}."
            )
            action = "Call the patient to bring the plan current before it defaults."
        tasks.append(
            Task(
                TaskKind.PLAN,
                reason,
                to_cents(amount),
                deadline,
                action,
                (p.patient_id, p.plan_no),
                p.sheet,
                p.row,
                "Status",
                (str(p.status),),
            )
        )
    return tasks


def _default_date(plan: PlanTracking, first_due: object, default_after: int) -> dt.date | None:
    """Due date of the installment whose miss makes the plan defaulted (None: never)."""
    index = plan.installments_covered + default_after - 1
    if default_after <= 0 or first_due is None or pd.isna(first_due) or index >= plan.count:
        return None
    return due_dates(pd.Timestamp(first_due).date(), plan.count)[index]


# --- accounts ----------------------------------------------------------------------------------


def _collections_date(d: Decision, days: int, notice_days: int) -> dt.date | None:
    """The first day the account may be placed, or None when it has no date yet."""
    first, notice = d.facts.first_statement, d.final_notice
    if first is None or notice is None:
        return None
    dates = [first + dt.timedelta(days=days + 1), notice + dt.timedelta(days=notice_days)]
    if d.earliest_eca is not None:
        dates.append(d.earliest_eca)
    return max(dates)


def _collections_tasks(book: Book, as_of: dt.date) -> list[Task]:
    review = review_collections(book, as_of)
    rules = review.rules
    rows = _patient_rows(book)
    horizon = as_of + dt.timedelta(days=LOOKAHEAD_DAYS)
    what = "501(r) earliest collection-action date" if rules.nonprofit else "collections date"
    tasks = []
    for d in (*review.eligible, *review.ineligible):
        codes = {r.code for r in d.reasons}
        on = _collections_date(d, rules.collections_days, rules.final_notice_days)
        if on is None or not codes <= WAITING_CODES or on > horizon:
            continue
        if d.eligible:
            reason = (
                f"Account {d.account} may be placed with a collection agency since {on} (its "
                f"{what}): first billed {d.facts.first_statement}, final notice {d.final_notice}."
            )
            action = (
                "Check for new payments or an assistance application, then place the account "
                "(paxl collections) and set AccountStatus to Collections."
            )
        else:
            reason = f"Account {d.account} reaches its {what} on {on}."
            action = (
                f"Before {on}, check for payments or an assistance application; place the "
                "account with collections on that date if it is still unpaid."
            )
        sheet, row = rows.get(d.account, ("Patients", None))
        tasks.append(
            Task(
                TaskKind.COLLECTIONS,
                reason,
                d.facts.balance,
                on,
                action,
                (d.account, *(p for p in d.facts.patients if p != d.account)),
                sheet,
                row,
                "AccountStatus",
                ("eligible",) if d.eligible else tuple(sorted(codes)),
            )
        )
    return tasks


def _last_levels(book: Book, account_of: Mapping[str, str]) -> dict[str, int]:
    """Account → DunningLevel of its latest statement (blank level = 1)."""
    sent = book["Statements"].dropna(subset=["PatientID", "StatementDate"])
    sent = sent.sort_values(["StatementDate", "StatementID"], kind="stable")
    out: dict[str, int] = {}
    for pid, level in zip(sent["PatientID"], sent["DunningLevel"], strict=True):
        out[account_of.get(str(pid), str(pid))] = 1 if pd.isna(level) else int(level)
    return out


def _dunning_tasks(ledger: Ledger, book: Book, as_of: dt.date) -> list[Task]:
    thresholds = thresholds_from_policy(book.policy)
    ages = account_ages(ledger, book["Statements"], as_of=as_of, thresholds=thresholds)
    due = amounts_due(ledger)
    account_of = dict(zip(ledger.accounts.index, ledger.accounts["Guarantor"], strict=True))
    last = _last_levels(book, account_of)
    contacts = contacts_by_id(book["Patients"])
    plans = book["PaymentPlans"]
    on_plan = {str(p) for p in plans.loc[plans["Status"] == "Active", "PatientID"].dropna()}
    tasks = []
    for account, age in ages.iterrows():
        level, owed = int(age["dunning_level"]), int(due.get(account, 0))
        contact = contacts.get(str(account))
        status = contact.account_status if contact else None
        members = {str(account), *age["patients"]}
        if level < 2 or owed <= 0 or level <= last.get(str(account), 0):
            continue
        if status in NOT_WORKED_STATUSES or members & on_plan:
            continue
        first = pd.Timestamp(age["first_statement"]).date()
        reached = first + dt.timedelta(days=thresholds[level - 2] + 1)
        final = " (final notice: set FinalNotice TRUE)" if level == len(thresholds) + 1 else ""
        tasks.append(
            Task(
                TaskKind.DUNNING,
                f"Account {account}'s oldest open bill, first sent {first}, is "
                f"{int(age['days_past'])} days old: dunning level {level}, above the level "
                f"{last.get(str(account), 0)} of the last statement sent.",
                owed,
                reached,
                f"Send a level-{level} statement{final} (paxl statements).",
                (str(account), *sorted(members - {str(account)})),
                contact.sheet if contact else "Patients",
                contact.row if contact else None,
                "PatientID",
                (f"level_{level}",),
            )
        )
    return tasks


def _call_task(notice: Notice, as_of: dt.date) -> Task:
    item, call = notice.overdue, notice.call
    return Task(
        TaskKind.CALL,
        f"Account {item.account} is {item.days_past} days past its first bill (dunning level "
        f"{item.dunning_level}) and prefers phone; it is {call.local_time:%H:%M} its time and "
        f"{call.attempts} call attempt(s) were logged in the limit period.",
        to_cents(item.amount_due),
        as_of,
        "Call now and log the call on the Contacts sheet (Channel Call, with the outcome).",
        (item.account, *(p for p in item.patients if p != item.account)),
        item.contact.sheet or "Patients",
        item.contact.row,
        "Phone",
        ("may_call",),
    )
