"""The ledger: balances, open items, credits and refunds due, as of any date.

Entry points (the stable API other modules build on):

* :func:`ledger_from_book` ``(book, *, as_of=None) -> Ledger`` — everything from a loaded workbook;
* :func:`compute_ledger` ``(charges, payments, adjustments, *, as_of=None, coverage=None,
  plans=None, patients=None, apply_credit_first=True) -> Ledger`` — from typed frames;
* :func:`account_summary` / :func:`guarantor_summary` ``(ledger, id) -> AccountSummary`` and
  :func:`patient_balance` / :func:`guarantor_balance` ``(ledger, id) -> Decimal`` for one account.

**Units and sign.** Every amount in the frames is an ``int64`` number of **cents**; the summaries
are ``Decimal`` dollars with two places. Nothing is rounded: the ledger only adds and subtracts
cents. Balance = charges − payments − adjustments + refunds + reversals; **positive = owes**,
negative = credit. Amounts in the input tables are entered positive; Payments.Kind ``Refund``
and Adjustments.Kind ``Reversal`` (which takes back an earlier adjustment) add back. The
``adjustments`` columns (per line and per account) are **net** of reversals, so
``balance = charges − payments − adjustments + refunds`` holds with them; the account columns
per Kind (``contractual`` … ``correction``) are gross and ``reversals`` is the Reversal total:
``adjustments == contractual + write_off + assistance + correction − reversals``.

**As of.** Charges with ServiceDate after ``as_of`` and payments/adjustments dated after it are
ignored (``as_of=None``: every row counts).

**Rules** (DESIGN §4–§5), in the order they are applied:

1. *Void* charges (Status ``Void``) stay in ``lines`` with ``billed`` 0, so money posted to them
   becomes credit.
2. A payment, refund, adjustment or reversal naming a ChargeID goes to that line — unless the
   charge does not exist as of the date, is another patient's, or is blank: then it is
   *unapplied* for the row's own PatientID (the audit reports the bad references).
3. A line is **patient responsibility** (``patient_responsible``) once insurance has acted on it:
   an insurer payment or refund (Payer other than ``Patient``) or a ``CO``-group or ``Contractual``
   adjustment names it, or its Status is ``Adjudicated``, ``Patient due`` or ``Denied``, or — when
   ``coverage`` is given — the patient had no coverage in force on the ServiceDate (plans of type
   ``Self-pay`` do not count when ``plans`` is given). Without ``coverage`` only postings and Status
   decide. Otherwise the line's open amount is *pending with insurance*. ``due_since`` is the date
   of the first insurer posting on the line, else the ServiceDate.
4. A line paid beyond zero is **overpaid**: ``open`` stays 0 and the excess becomes account
   credit — the patient's money first (up to what the patient paid on the line, net of refunds),
   the rest insurer money.
5. Unapplied patient money — patient payments minus patient refunds without a line, plus
   adjustments without a line (net of reversals without a line), plus (when
   ``apply_credit_first``) the patient's overpayments — goes to the patient's open
   patient-responsibility lines, oldest first (by ServiceDate, then ChargeID as text). Lines
   pending with insurance receive nothing. With ``apply_credit_first`` off, overpayment credit
   is held and refunded instead (unapplied payments are still applied).
6. Unapplied insurer money (insurer payments minus insurer refunds without a line, plus insurer
   overpayments) is never guessed onto lines: it stays as credit until posted to a line.
7. What is left over is ``credit``. A negative leftover (refunds larger than the money they
   return) is a ``debit`` owed on the account without a line: patient money adds to
   ``patient_due``, insurer money to ``insurance_pending``.
8. ``refund_due`` is the patient credit the patient can be paid back: at most what the patient
   paid net of refunds, and less what is still pending with insurance (credit is held against
   it). Credits are never moved between family members of a guarantor.
9. A patient's guarantor is Patients.Guarantor, or the patient when blank or not listed; it is
   taken as written (one step, chains are not followed).

**Identities** (proven by the tests): per account ``balance == charges − insurance_paid −
patient_paid − adjustments + refunds == insurance_pending + patient_due − credit``; per line
``open == billed − insurance_paid − patient_paid − adjustments + refunds + overpaid − applied``,
``open == patient_due + insurance_pending`` and ``open >= 0``; guarantor rows are sums of their
dependants' rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from addin.core.money import from_cents
from addin.core.text_sort import sort_codes
from addin.errors import PaxlError

if TYPE_CHECKING:
    from addin.workbook.book import Book

__all__ = [
    "ACCOUNT_COLUMNS",
    "ADJUSTMENT_KIND_COLUMNS",
    "LINE_COLUMNS",
    "PATIENT_DUE_STATUSES",
    "REVERSAL_KIND",
    "AccountSummary",
    "Ledger",
    "account_summary",
    "compute_ledger",
    "guarantor_balance",
    "guarantor_summary",
    "ledger_from_book",
    "patient_balance",
]

PATIENT_PAYER = "Patient"
PATIENT_DUE_STATUSES = ("Adjudicated", "Patient due", "Denied")
VOID_STATUS = "Void"
SELF_PAY_PLAN_TYPE = "Self-pay"
#: The Adjustments.Kind that takes back an earlier adjustment: it adds to the balance.
REVERSAL_KIND = "Reversal"
#: Adjustments.Kind → the account column holding its (gross, positive) total.
ADJUSTMENT_KIND_COLUMNS = {
    "Contractual": "contractual",
    "Write-off": "write_off",
    "Assistance": "assistance",
    "Correction": "correction",
    REVERSAL_KIND: "reversals",
}
PAYMENT_KINDS = ("Payment", "Refund")

#: Money columns of ``Ledger.lines`` (int64 cents).
LINE_MONEY = (
    "billed",
    "insurance_paid",
    "patient_paid",
    "adjustments",
    "refunds",
    "overpaid",
    "applied",
    "open",
    "patient_due",
    "insurance_pending",
)
LINE_COLUMNS = (
    "ChargeID",
    "PatientID",
    "Guarantor",
    "ServiceDate",
    "Status",
    *LINE_MONEY,
    "patient_responsible",
    "due_since",
    "_sheet",
    "_row",
)
#: Money columns of ``Ledger.accounts`` and ``Ledger.guarantors`` (int64 cents).
ACCOUNT_COLUMNS = (
    "charges",
    "insurance_paid",
    "patient_paid",
    "adjustments",
    *ADJUSTMENT_KIND_COLUMNS.values(),
    "refunds",
    "balance",
    "insurance_pending",
    "patient_due",
    "credit",
    "refund_due",
    "debit",
)


@dataclass(frozen=True)
class Ledger:
    """The ledger as of a date. All money columns are ``int64`` cents.

    Attributes:
        as_of: the cut-off date (``None`` = every row counted).
        apply_credit_first: the policy switch the ledger was computed with.
        lines: one row per charge line (columns :data:`LINE_COLUMNS`), ordered by PatientID and
            then oldest first (ServiceDate, ChargeID). ``_sheet``/``_row`` locate the charge.
        accounts: one row per patient, indexed by ``PatientID``; columns ``Guarantor`` and
            :data:`ACCOUNT_COLUMNS`. Includes every patient of the Patients table, if given.
        guarantors: sums of ``accounts`` per guarantor, indexed by ``Guarantor``; columns
            ``patients`` (how many) and :data:`ACCOUNT_COLUMNS`.
    """

    as_of: dt.date | None
    apply_credit_first: bool
    lines: pd.DataFrame
    accounts: pd.DataFrame
    guarantors: pd.DataFrame


@dataclass(frozen=True)
class AccountSummary:
    """One account in dollars (``Decimal``, two places); see :data:`ACCOUNT_COLUMNS`.

    ``balance`` is positive when the account owes, negative when it is in credit.
    """

    account_id: str
    guarantor: str
    charges: Decimal
    insurance_paid: Decimal
    patient_paid: Decimal
    adjustments: Decimal
    contractual: Decimal
    write_off: Decimal
    assistance: Decimal
    correction: Decimal
    reversals: Decimal
    refunds: Decimal
    balance: Decimal
    insurance_pending: Decimal
    patient_due: Decimal
    credit: Decimal
    refund_due: Decimal
    debit: Decimal


# --- public API ------------------------------------------------------------------------------


def ledger_from_book(
    book: Book, *, as_of: dt.date | None = None, apply_credit_first: bool | None = None
) -> Ledger:
    """The ledger of a loaded :class:`~addin.workbook.book.Book` (all tables it needs).

    ``apply_credit_first`` defaults to the Policy setting of the same name.
    """
    tables, policy = book.tables, book.policy
    if apply_credit_first is None:
        apply_credit_first = bool(policy.get("apply_credit_first", True))
    return compute_ledger(
        tables["Charges"],
        tables["Payments"],
        tables["Adjustments"],
        as_of=as_of,
        coverage=tables.get("Coverage"),
        plans=tables.get("Plans"),
        patients=tables.get("Patients"),
        apply_credit_first=apply_credit_first,
    )


def compute_ledger(
    charges: pd.DataFrame,
    payments: pd.DataFrame,
    adjustments: pd.DataFrame,
    *,
    as_of: dt.date | None = None,
    coverage: pd.DataFrame | None = None,
    plans: pd.DataFrame | None = None,
    patients: pd.DataFrame | None = None,
    apply_credit_first: bool = True,
) -> Ledger:
    """Compute lines, accounts and guarantor accounts from typed frames (rules: module doc).

    Args:
        charges, payments, adjustments: typed frames of those tables (money as Int64 cents).
        as_of: ignore rows dated after this day; ``None`` counts every row.
        coverage: the Coverage table; lines of patients with no coverage in force are patient
            responsibility. ``None``: coverage is not considered.
        plans: the Plans table, to ignore ``Self-pay`` coverage rows.
        patients: the Patients table, for guarantors and to list patients with no postings.
            Without it every patient is their own guarantor.
        apply_credit_first: apply overpayment credit to other open items before refunding.

    Raises:
        PaxlError: a row lacks a value the ledger needs, has an unknown Kind, or a ChargeID is
            used twice; the message names sheet, row and column.
    """
    _check(charges, "Charges", ("ChargeID", "PatientID", "ServiceDate", "Amount"))
    _check(payments, "Payments", ("PatientID", "Date", "Payer", "Kind", "Amount"))
    _check(adjustments, "Adjustments", ("PatientID", "Date", "Kind", "Amount"))
    _check_choices(payments, "Payments", "Kind", PAYMENT_KINDS)
    _check_choices(adjustments, "Adjustments", "Kind", tuple(ADJUSTMENT_KIND_COLUMNS))

    cutoff = None if as_of is None else _day_number(as_of)
    if cutoff is not None:
        charges = charges[_days(charges["ServiceDate"]) <= cutoff]
        payments = payments[_days(payments["Date"]) <= cutoff]
        adjustments = adjustments[_days(adjustments["Date"]) <= cutoff]

    patient_ids = [_text(charges["PatientID"]), _text(payments["PatientID"])]
    patient_ids.append(_text(adjustments["PatientID"]))
    if patients is not None:
        patient_ids.append(_text(patients["PatientID"].dropna()))
    sizes = [len(a) for a in patient_ids]
    all_codes, uniques = pd.factorize(np.concatenate(patient_ids), sort=True)
    uniques = np.asarray(uniques, dtype=object)
    c_pat, p_pat, a_pat = np.split(all_codes, np.cumsum(sizes))[:3]
    n_pat = len(uniques)
    guarantor = _guarantors(uniques, patients)

    lines = _Lines(charges, c_pat)
    pay = _Postings(payments, p_pat, lines)
    adj = _Postings(adjustments, a_pat, lines)
    is_patient = _text(payments["Payer"]) == PATIENT_PAYER
    is_refund = _text(payments["Kind"]) == "Refund"
    adj_kind = _text(adjustments["Kind"])
    is_reversal = adj_kind == REVERSAL_KIND
    insurer_adj = (_text(adjustments["Group"]) == "CO") | (adj_kind == "Contractual")

    n = lines.count
    ins_paid = pay.per_line(~is_patient & ~is_refund, n)
    pat_paid = pay.per_line(is_patient & ~is_refund, n)
    ins_ref = pay.per_line(~is_patient & is_refund, n)
    pat_ref = pay.per_line(is_patient & is_refund, n)
    adjusted = adj.per_line(~is_reversal, n) - adj.per_line(is_reversal, n)

    # Rule 3: who is responsible for the open amount of each line.
    due_since = lines.service_day.copy()
    insurer_day = np.full(n, np.iinfo(np.int64).max)
    pay.first_day(~is_patient, insurer_day)
    adj.first_day(insurer_adj, insurer_day)
    insurer_acted = insurer_day < np.iinfo(np.int64).max
    due_since[insurer_acted] = insurer_day[insurer_acted]
    responsible = insurer_acted | pd.Series(lines.status).isin(PATIENT_DUE_STATUSES).to_numpy()
    if coverage is not None:
        insured = _insured(lines, coverage, plans, uniques)
        responsible |= ~insured

    # Rule 4: overpaid lines; the excess becomes credit, the patient's money first.
    raw_open = lines.billed - ins_paid - pat_paid - adjusted + ins_ref + pat_ref
    overpaid = np.maximum(-raw_open, 0)
    over_patient = np.minimum(overpaid, np.maximum(pat_paid - pat_ref, 0))
    over_insurer = overpaid - over_patient
    open_before = np.maximum(raw_open, 0)

    # Rule 5: unapplied patient money, oldest patient-responsibility line first.
    pool_patient = pay.unapplied(is_patient & ~is_refund, n_pat) - pay.unapplied(
        is_patient & is_refund, n_pat
    )
    pool_patient += adj.unapplied(~is_reversal, n_pat) - adj.unapplied(is_reversal, n_pat)
    net_patient = pool_patient + _sum_at(lines.patient, over_patient, n_pat)
    available = np.maximum(net_patient if apply_credit_first else pool_patient, 0)
    due_open = np.where(responsible, open_before, 0)
    applied = _apply_oldest_first(lines.patient, due_open, available)
    leftover_patient = net_patient - _sum_at(lines.patient, applied, n_pat)

    # Rule 6: unapplied insurer money stays credit.
    leftover_insurer = (
        pay.unapplied(~is_patient & ~is_refund, n_pat)
        - pay.unapplied(~is_patient & is_refund, n_pat)
        + _sum_at(lines.patient, over_insurer, n_pat)
    )

    open_now = open_before - applied
    line_due = np.where(responsible, open_now, 0)
    line_pending = open_now - line_due
    line_frame = lines.frame(
        guarantor,
        {
            "billed": lines.billed,
            "insurance_paid": ins_paid,
            "patient_paid": pat_paid,
            "adjustments": adjusted,
            "refunds": ins_ref + pat_ref,
            "overpaid": overpaid,
            "applied": applied,
            "open": open_now,
            "patient_due": line_due,
            "insurance_pending": line_pending,
        },
        responsible,
        due_since,
    )

    # Accounts (rules 7 and 8).
    amount = pay.amount
    acct: dict[str, np.ndarray] = {
        "charges": _sum_at(lines.patient, lines.billed, n_pat),
        "insurance_paid": _sum_at(p_pat, np.where(~is_patient & ~is_refund, amount, 0), n_pat),
        "patient_paid": _sum_at(p_pat, np.where(is_patient & ~is_refund, amount, 0), n_pat),
        "adjustments": _sum_at(a_pat, np.where(is_reversal, -adj.amount, adj.amount), n_pat),
    }
    for kind, column in ADJUSTMENT_KIND_COLUMNS.items():
        acct[column] = _sum_at(a_pat, np.where(adj_kind == kind, adj.amount, 0), n_pat)
    acct["refunds"] = _sum_at(p_pat, np.where(is_refund, amount, 0), n_pat)
    acct["balance"] = (
        acct["charges"]
        - acct["insurance_paid"]
        - acct["patient_paid"]
        - acct["adjustments"]
        + acct["refunds"]
    )
    debit_patient = np.maximum(-leftover_patient, 0)
    debit_insurer = np.maximum(-leftover_insurer, 0)
    credit_patient = np.maximum(leftover_patient, 0)
    acct["insurance_pending"] = _sum_at(lines.patient, line_pending, n_pat) + debit_insurer
    acct["patient_due"] = _sum_at(lines.patient, line_due, n_pat) + debit_patient
    acct["credit"] = credit_patient + np.maximum(leftover_insurer, 0)
    patient_net_paid = acct["patient_paid"] - _sum_at(
        p_pat, np.where(is_patient & is_refund, amount, 0), n_pat
    )
    refundable = np.minimum(credit_patient, np.maximum(patient_net_paid, 0))
    acct["refund_due"] = np.maximum(refundable - acct["insurance_pending"], 0)
    acct["debit"] = debit_patient + debit_insurer

    accounts = pd.DataFrame(
        {"Guarantor": guarantor, **{c: acct[c].astype(np.int64) for c in ACCOUNT_COLUMNS}},
        index=pd.Index(uniques, name="PatientID", dtype=object),
    )
    by_guarantor = accounts.groupby("Guarantor", sort=True)  # grouped once, summed and counted
    guarantors = by_guarantor[list(ACCOUNT_COLUMNS)].sum()
    guarantors.insert(0, "patients", by_guarantor.size())
    return Ledger(
        as_of=_as_date(as_of),
        apply_credit_first=apply_credit_first,
        lines=line_frame,
        accounts=accounts,
        guarantors=guarantors,
    )


def account_summary(ledger: Ledger, patient_id: str) -> AccountSummary:
    """One patient's account in dollars.

    Raises:
        PaxlError: the patient has no account in the ledger (no postings and not in Patients).
    """
    return _summary(ledger.accounts, patient_id, "patient")


def guarantor_summary(ledger: Ledger, guarantor_id: str) -> AccountSummary:
    """A guarantor's account (the sum of their dependants' accounts, themselves included)."""
    return _summary(ledger.guarantors, guarantor_id, "guarantor")


def patient_balance(ledger: Ledger, patient_id: str) -> Decimal:
    """The patient's balance in dollars: positive = owes, negative = credit."""
    return account_summary(ledger, patient_id).balance


def guarantor_balance(ledger: Ledger, guarantor_id: str) -> Decimal:
    """The guarantor's balance in dollars over all dependants: positive = owes."""
    return guarantor_summary(ledger, guarantor_id).balance


# --- internals -------------------------------------------------------------------------------


class _Lines:
    """Charge lines sorted by patient, ServiceDate and ChargeID, as numpy arrays."""

    def __init__(self, charges: pd.DataFrame, patient_codes: np.ndarray) -> None:
        ids = _text(charges["ChargeID"])
        id_rank = sort_codes(ids)
        day = _days(charges["ServiceDate"])
        order = np.lexsort((id_rank, day, patient_codes))
        self.charges = charges  # in table order; the columns a line needs are taken by ``order``
        self.order = order
        self.count = len(order)
        self.ids = ids[order]
        self.patient = patient_codes[order]
        self.service_day = day[order]
        self.status = _text(charges["Status"])[order]
        billed = _cents(charges["Amount"])[order]
        self.billed = np.where(self.status == VOID_STATUS, 0, billed)
        self.index = pd.Index(self.ids, dtype=object)
        if not self.index.is_unique:
            _check_unique(charges.iloc[order], "Charges", "ChargeID")

    def locate(self, charge_ids: np.ndarray, patient_codes: np.ndarray) -> np.ndarray:
        """Line position of each posting, ``-1`` when unapplied (blank, unknown, other patient)."""
        if self.count == 0:
            return np.full(len(charge_ids), -1, dtype=np.int64)
        pos = self.index.get_indexer(charge_ids)
        same_patient = self.patient[np.maximum(pos, 0)] == patient_codes
        return np.where((pos >= 0) & same_patient, pos, -1)

    def frame(
        self,
        guarantor: np.ndarray,
        money: Mapping[str, np.ndarray],
        responsible: np.ndarray,
        due_since: np.ndarray,
    ) -> pd.DataFrame:
        """The ``Ledger.lines`` frame: columns :data:`LINE_COLUMNS`, built in that order."""
        src, order = self.charges, self.order
        sheets = _text(src["_sheet"])[order] if "_sheet" in src else [None] * self.count
        rows = (
            src["_row"].to_numpy(dtype=np.int64)[order]
            if "_row" in src
            else np.zeros(self.count, dtype=np.int64)
        )
        data: dict[str, object] = {
            "ChargeID": pd.Series(self.ids, dtype=object),
            "PatientID": pd.Series(_text(src["PatientID"])[order], dtype=object),
            "Guarantor": pd.Series(guarantor[self.patient], dtype=object),
            "ServiceDate": pd.Series(src["ServiceDate"].to_numpy(dtype="datetime64[ns]")[order]),
            "Status": pd.Series(self.status, dtype=object),
            **{k: pd.Series(money[k].astype(np.int64)) for k in LINE_MONEY},
            "patient_responsible": pd.Series(responsible.astype(bool)),
            "due_since": pd.Series(due_since.astype("datetime64[D]").astype("datetime64[ns]")),
            "_sheet": pd.Series(sheets, dtype=object),
            "_row": pd.Series(rows),
        }
        return pd.DataFrame(data, columns=list(LINE_COLUMNS))


class _Postings:
    """Payments or adjustments with the line each one lands on (``-1`` = unapplied)."""

    def __init__(self, frame: pd.DataFrame, patient_codes: np.ndarray, lines: _Lines) -> None:
        self.patient = patient_codes
        self.amount = _cents(frame["Amount"])
        self.day = _days(frame["Date"])
        self.line = lines.locate(_text(frame["ChargeID"]), patient_codes)
        self.on_line = self.line >= 0

    def per_line(self, mask: np.ndarray, size: int) -> np.ndarray:
        """Sum of the selected postings' cents per line."""
        take = mask & self.on_line
        return _sum_at(self.line[take], self.amount[take], size)

    def unapplied(self, mask: np.ndarray, size: int) -> np.ndarray:
        """Sum of the selected postings' cents per patient, for postings without a line."""
        take = mask & ~self.on_line
        return _sum_at(self.patient[take], self.amount[take], size)

    def first_day(self, mask: np.ndarray, out: np.ndarray) -> None:
        """Lower ``out[line]`` to the earliest day of the selected postings on each line."""
        take = mask & self.on_line
        np.minimum.at(out, self.line[take], self.day[take])


def _apply_oldest_first(
    patient: np.ndarray, due_open: np.ndarray, available: np.ndarray
) -> np.ndarray:
    """Spread each patient's ``available`` cents over their lines in order, capped per line.

    ``patient`` is sorted (lines grouped by patient, oldest first inside a group). Vectorised:
    the amount before each line within its patient is a cumulative sum, and a line receives
    ``clip(available − before, 0, due_open)``.
    """
    if len(patient) == 0:
        return np.zeros(0, dtype=np.int64)
    before_global = np.cumsum(due_open) - due_open
    first = np.r_[True, patient[1:] != patient[:-1]]
    group = np.cumsum(first) - 1
    before = before_global - before_global[first][group]
    return np.clip(available[patient] - before, 0, due_open)


def _insured(
    lines: _Lines, coverage: pd.DataFrame, plans: pd.DataFrame | None, uniques: np.ndarray
) -> np.ndarray:
    """Whether each line's patient had (non-self-pay) coverage in force on its ServiceDate."""
    cov = coverage.dropna(subset=["PatientID", "EffectiveFrom"])
    if plans is not None and len(plans):
        self_pay = plans.loc[_text(plans["PlanType"]) == SELF_PAY_PLAN_TYPE, "PlanID"]
        cov = cov[~cov["PlanID"].isin(list(self_pay))]
    code = pd.Index(uniques, dtype=object).get_indexer(_text(cov["PatientID"]))
    start = _days(cov["EffectiveFrom"])
    end = _days(cov["EffectiveTo"])
    end = np.where(cov["EffectiveTo"].isna().to_numpy(), np.iinfo(np.int64).max, end)
    spans = pd.DataFrame({"patient": code, "start": start, "end": end})
    spans = spans[spans["patient"] >= 0]
    left = pd.DataFrame(
        {"patient": lines.patient, "day": lines.service_day, "pos": np.arange(lines.count)}
    )
    both = left.merge(spans, on="patient", how="inner")
    hit = both.loc[(both["start"] <= both["day"]) & (both["day"] <= both["end"]), "pos"]
    insured = np.zeros(lines.count, dtype=bool)
    insured[hit.to_numpy()] = True
    return insured


def _guarantors(uniques: np.ndarray, patients: pd.DataFrame | None) -> np.ndarray:
    """Guarantor of each patient code: Patients.Guarantor, or the patient when blank/unknown."""
    result = uniques.copy()
    if patients is None or not len(patients):
        return result
    known = patients.dropna(subset=["PatientID"])
    mapping = pd.Series(_text(known["Guarantor"]), index=_text(known["PatientID"]), dtype=object)
    mapping = mapping[~mapping.index.duplicated()].dropna()
    found = pd.Series(uniques, dtype=object).map(mapping).to_numpy(dtype=object)
    has = pd.notna(found)
    result[has] = found[has]
    return result


def _sum_at(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sum of ``values`` per key in ``0..size-1`` (exact int64, no floats)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, keys, values.astype(np.int64, copy=False))
    return out


def _text(series: pd.Series) -> np.ndarray:
    """A text column as an object array (typed frames hold ``None`` for blanks; kept as is)."""
    if series.dtype == object:
        return series.to_numpy(dtype=object)  # no copy, no scan for blanks
    return series.to_numpy(dtype=object, na_value=None)


def _cents(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=np.int64, na_value=0)


def _days(series: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970-01-01 (int64)."""
    values = series.to_numpy(dtype="datetime64[ns]")
    return values.astype("datetime64[D]").astype(np.int64)


def _day_number(value: object) -> int:
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return int(np.datetime64(stamp.date(), "D").astype(np.int64))


def _as_date(value: object) -> dt.date | None:
    return None if value is None else pd.Timestamp(value).date()  # type: ignore[arg-type]


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> str:
    bad = frame[mask]
    sheets = bad["_sheet"] if "_sheet" in bad else pd.Series([""] * len(bad))
    rows = bad["_row"] if "_row" in bad else pd.Series([""] * len(bad))
    shown = [f"{s} row {r}" for s, r in zip(sheets.iloc[:5], rows.iloc[:5], strict=True)]
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    return ", ".join(shown) + more


def _check(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    for column in columns:
        if column not in frame:
            raise PaxlError(f"The {name} table has no {column} column; add it to the table.")
        blank = frame[column].isna().to_numpy()
        if blank.any():
            raise PaxlError(
                f"{_rows(frame, blank)}, {column}: blank; fill it in before computing balances."
            )


def _check_choices(frame: pd.DataFrame, name: str, column: str, allowed: tuple[str, ...]) -> None:
    bad = ~frame[column].isin(list(allowed)).to_numpy()
    if bad.any():
        raise PaxlError(
            f"{_rows(frame, bad)}, {column}: not one of {', '.join(allowed)}; pick one of them."
        )


def _check_unique(frame: pd.DataFrame, name: str, column: str) -> None:
    twice = frame[column].duplicated(keep=False).to_numpy()
    if twice.any():
        raise PaxlError(
            f"{_rows(frame, twice)}, {column}: the same {column} is used more than once in "
            f"{name}; give each row its own {column}."
        )


def _summary(frame: pd.DataFrame, key: str, what: str) -> AccountSummary:
    if key not in frame.index:
        raise PaxlError(f"There is no {what} account {key!r}; check the ID.")
    row = frame.loc[key]
    guarantor = str(row["Guarantor"]) if "Guarantor" in row else key
    money = {c: from_cents(int(row[c])) for c in ACCOUNT_COLUMNS}
    return AccountSummary(account_id=key, guarantor=guarantor, **money)
