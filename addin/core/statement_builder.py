"""Patient statements from the ledger: which accounts to bill, and what each bill says (pure).

A bill goes to a **guarantor account** (the guarantor's PatientID; dependants' lines are on it).
:func:`prepare_billing` does the bulk work once (ledger, aging, last statements, payments since,
in integer cents with pandas); :func:`select_accounts` decides vectorised which accounts get a
bill; :func:`build_statement` assembles one :class:`~addin.core.statement.Statement`.

**Amount due** (cents, then ``Decimal`` dollars): the ledger's guarantor row
``max(0, patient_due − credit)`` — what the account owes after insurance, less any credit on the
account (unapplied money, overpayments), never below zero. Amounts pending with insurance are not
due. Nothing is rounded: the ledger only adds and subtracts cents.

**Itemised lines**: every ledger line of the account's patients with an open amount (patient due,
or pending with insurance), oldest service first. ``charge`` = billed; ``insurance_paid`` = insurer
payments on the line net of refunds on it; ``adjustments``; ``patient_paid`` = patient payments on
the line plus money the ledger applied to it (unapplied payments and credits, oldest first);
``patient_owes`` = the line's open amount = ``charge − insurance_paid − adjustments −
patient_paid``. So, exactly: Σ ``patient_owes`` of the lines not pending insurance
+ ``other_due`` − ``unapplied_credit`` = ``amount_due``, where ``other_due`` is patient debt
without a line (refunds larger than the money they returned) and ``unapplied_credit`` the part of
the account's credit netted against the bill.

**Previous balance / payments since**: ``AmountDue`` of the account's last logged statement
(Statements rows of the account or its dependants dated on or before the statement date; 0 with
none) and the patient payments less patient refunds of the account's patients dated after it.

**Dunning** (Policy ``dunning_1..5``, thresholds ``aging_1..4``): each open patient-due line is
aged from the first statement that billed it (:func:`addin.core.aging.bill_dates`); a line never
billed counts as new (age 0, level 1) — not from its ServiceDate, so an old unbilled line never
gets a final notice on its very first bill. The account's level is that of its oldest line, so
level 5 (final notice) needs a statement sent more than ``aging_4`` days earlier. The bill's
aging line uses the same ages; debt without a line is current, and credit is taken off the oldest
bucket first, so the buckets sum to the amount due.

**Plan options** (:mod:`addin.core.plan_options`) for the amount due, using the guarantor's
income and the account's biller type (Hospital when any of its lines is a hospital line); none
while the account has an Active payment plan. **Assistance notice**: Policy
``assistance_notice`` if the workbook has it (``{apply_by}`` and ``{phone}`` are filled in), else
a plain default naming the last day to apply: the account's first statement + 240 days
(:data:`addin.core.eca.APPLICATION_DAYS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from addin.core.aging import bill_dates, bucket_indexes, bucket_labels, thresholds_from_policy
from addin.core.eca import APPLICATION_DAYS
from addin.core.ledger import Ledger, ledger_from_book
from addin.core.money import from_cents, to_money
from addin.core.plan_options import PlanPolicy, plan_options
from addin.core.statement import AgingLine, Party, PlanOption, Practice, Statement, StatementLine
from addin.core.text_sort import sort_codes

__all__ = [
    "BILL",
    "SKIP_REASONS",
    "BillingData",
    "build_statement",
    "log_row",
    "prepare_billing",
    "select_accounts",
    "statement_channel",
    "statement_id",
]

BILL = "bill"
#: the columns of the open lines a bill reads
LINE_FIELDS = (
    "PatientID",
    "ServiceDate",
    "Code",
    "description",
    "billed",
    "insurance_paid",
    "patient_paid",
    "adjustments",
    "refunds",
    "applied",
    "open",
    "patient_due",
    "patient_responsible",
    "dunning_days",
    "dunning_bucket",
)
#: why an account gets no bill, in the order they are checked
SKIP_REASONS = (
    "in collections",
    "closed",
    "guarantor not in Patients",
    "nothing due",
    "below minimum",
    "billed within cycle",
)
_STATUS_SKIPS = {"Collections": "in collections", "Closed": "closed"}
PATIENT_PAYER = "Patient"
DEFAULT_DESCRIPTION = "Medical service"
#: longest family patient line before it is shortened to "Name and N others"
PATIENT_NAME_CHARS = 24
DEFAULT_ASSISTANCE = (
    "Financial assistance is available. You may qualify for free or discounted care based on "
    "your household income and size. Call {phone} or ask us for an application; we accept "
    "applications until {apply_by}."
)
ASSISTANCE_APPLIED = (
    "We have received your application for financial assistance and are reviewing it; "
    "we will not send this account to collections while it is pending."
)
ASSISTANCE_APPROVED = "Your financial assistance discount is included in the amounts above."


@dataclass(frozen=True)
class BillingData:
    """Everything the statements of one run are built from, computed once.

    Attributes:
        as_of: the statement date; nothing dated after it counts.
        policy: the Policy settings.
        ledger: the ledger as of ``as_of`` (int64 cents).
        lines: the open ledger lines (``open > 0``) with ``Code``, ``BillerType``,
            ``description``, ``dunning_days`` added; ordered by guarantor, service date, ChargeID.
        line_rows: guarantor → positions of its rows in ``lines``.
        line_columns: the columns of ``lines`` as numpy arrays (per-bill reads stay cheap).
        accounts: per guarantor (index): ``amount_due``, ``patient_due``, ``credit``,
            ``line_due``, ``insurance_pending`` (cents), ``status``, ``last_date``,
            ``last_amount``, ``first_date``, ``payments_since`` (cents), ``oldest_days``,
            ``active_plan``, ``hospital``.
        account_rows: the rows of ``accounts`` as dicts, by account.
        decisions: per account, in the order of ``accounts``: ``"bill"`` or why it gets no
            bill (see :func:`select_accounts`).
        patients: PatientID → the Patients row as a dict (typed values).
        thresholds: the aging thresholds in days.
        aging_labels: the names of their buckets (``"0-30"``, ...).
        plan_policy: plan settings read from the Policy.
        used_ids: StatementIDs already in the log (new IDs avoid them).
    """

    as_of: dt.date
    policy: Mapping[str, object]
    ledger: Ledger
    lines: pd.DataFrame
    line_rows: Mapping[str, np.ndarray]
    line_columns: Mapping[str, np.ndarray]
    accounts: pd.DataFrame
    account_rows: Mapping[str, Mapping[str, object]]
    decisions: np.ndarray
    patients: Mapping[str, Mapping[str, object]]
    thresholds: tuple[int, ...]
    aging_labels: tuple[str, ...]
    plan_policy: PlanPolicy
    used_ids: frozenset[str]


class RowsByKey(Mapping[str, Mapping[str, object]]):
    """Key → one row of a frame as a dict, as ``frame.to_dict("records")`` converts it.

    A statement run reads the rows of the billable accounts only (in the sample about one in
    ten), so the rows of the ``likely`` keys are converted together up front and any other row
    on first access (slower per row, but rare); each comes out exactly as ``to_dict`` gives it
    (python scalars, ``Timestamp`` for dates).
    """

    def __init__(
        self, frame: pd.DataFrame, positions: Mapping[str, int], likely: Iterable[str] = ()
    ) -> None:
        self._frame = frame
        self._positions = positions
        keys = sorted({k for k in likely if k in positions}, key=positions.__getitem__)
        rows = frame.iloc[[positions[k] for k in keys]].to_dict("records") if keys else []
        self._rows: dict[str, Mapping[str, object]] = dict(zip(keys, rows, strict=True))

    def __getitem__(self, key: str) -> Mapping[str, object]:
        row = self._rows.get(key)
        if row is None:
            row = self._frame.iloc[[self._positions[key]]].to_dict("records")[0]
            self._rows[key] = row
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)

    def __contains__(self, key: object) -> bool:
        return key in self._positions


# --- bulk preparation ----------------------------------------------------------------------------


def prepare_billing(book: object, *, as_of: dt.date) -> BillingData:
    """Ledger, aging, last statements and payments of every account as of a date.

    Args:
        book: a loaded :class:`~addin.workbook.book.Book` (``tables`` and ``policy``).
        as_of: the statement date.

    Raises:
        PaxlError: the ledger cannot be computed, or a Policy setting cannot be read (the
            message names the table, row and column or the Policy cell).
    """
    tables, policy = book.tables, book.policy  # type: ignore[attr-defined]
    thresholds = thresholds_from_policy(policy)
    ledger = ledger_from_book(book, as_of=as_of)  # type: ignore[arg-type]
    patients_frame = tables["Patients"]
    guarantor_of = _guarantor_map(ledger)
    statements = _statements_of_accounts(tables["Statements"], guarantor_of, as_of)
    lines = _open_lines(ledger, tables, statements, as_of, thresholds)
    accounts = _accounts(ledger, lines, statements, tables, guarantor_of, as_of, thresholds)
    patients_frame = patients_frame.drop(columns=["_sheet", "_row"], errors="ignore")
    patient_ids = patients_frame["PatientID"].to_numpy(dtype=object)
    patient_rows = {str(pid): i for i, pid in enumerate(patient_ids) if pid is not None}
    # a run reads the rows of the accounts it bills (and of their patients): convert those
    decisions = _decisions(accounts, policy, as_of, patient_rows)
    billed = accounts.index[decisions == BILL]
    family = guarantor_of[guarantor_of.isin(billed)].index
    patients = RowsByKey(patients_frame, patient_rows, likely=[str(p) for p in (*billed, *family)])
    ids = tables["Statements"]["StatementID"].dropna()
    return BillingData(
        as_of=as_of,
        policy=policy,
        ledger=ledger,
        lines=lines,
        line_rows=lines.groupby("Guarantor", sort=False).indices if len(lines) else {},
        line_columns={c: lines[c].to_numpy() for c in LINE_FIELDS},
        accounts=accounts,
        account_rows=RowsByKey(
            accounts, {a: i for i, a in enumerate(accounts.index)}, likely=billed
        ),
        decisions=decisions,
        patients=patients,
        thresholds=thresholds,
        aging_labels=bucket_labels(thresholds),
        plan_policy=PlanPolicy.from_policy(policy),
        used_ids=frozenset(str(i) for i in ids),
    )


def _guarantor_map(ledger: Ledger) -> pd.Series:
    accounts = ledger.accounts
    return pd.Series(accounts["Guarantor"].to_numpy(dtype=object), index=accounts.index)


def _statements_of_accounts(
    statements: pd.DataFrame, guarantor_of: pd.Series, as_of: dt.date
) -> pd.DataFrame:
    """Logged statements dated on or before ``as_of``, each with the account it billed."""
    sent = statements.dropna(subset=["PatientID", "StatementDate"])
    sent = sent[sent["StatementDate"] <= pd.Timestamp(as_of)]
    account = sent["PatientID"].map(guarantor_of)
    account = account.where(account.notna(), sent["PatientID"])
    return pd.DataFrame(
        {
            "account": account.to_numpy(dtype=object),
            "PatientID": sent["PatientID"].to_numpy(dtype=object),
            "StatementDate": sent["StatementDate"].to_numpy(),
            "AmountDue": sent["AmountDue"].fillna(0).to_numpy(dtype=np.int64),
            "order": np.arange(len(sent)),
        }
    )


def _open_lines(
    ledger: Ledger,
    tables: Mapping[str, pd.DataFrame],
    statements: pd.DataFrame,
    as_of: dt.date,
    thresholds: Sequence[int],
) -> pd.DataFrame:
    lines = ledger.lines[ledger.lines["open"] > 0].copy()
    charges = tables["Charges"].dropna(subset=["ChargeID"]).drop_duplicates("ChargeID")
    charge_at = pd.Index(charges["ChargeID"]).get_indexer(lines["ChargeID"])
    for column in ("Code", "BillerType"):  # NaN for a charge not found, as Series.map gives
        values = charges[column].to_numpy(dtype=object)
        found = take(values, charge_at, allow_fill=True, fill_value=np.nan)
        lines[column] = pd.Series(found, index=lines.index, dtype=object)
    fees = tables["Fees"].dropna(subset=["Code"]).drop_duplicates("Code").set_index("Code")
    described = lines["Code"].map(fees["Description"]).astype(object)
    lines["description"] = described.where(described.notna(), DEFAULT_DESCRIPTION)
    # Dunning age: days since the first statement that billed the line; never billed → 0.
    due = lines["patient_due"].to_numpy() > 0
    bill_date, billed = bill_dates(lines[due], statements, as_of=as_of)
    age = (np.datetime64(as_of, "D") - bill_date).astype(np.int64)
    days = np.zeros(len(lines), dtype=np.int64)
    days[due] = np.where(billed, age, 0)
    lines["dunning_days"] = days
    lines["dunning_bucket"] = bucket_indexes(days, thresholds)
    order = np.lexsort(  # by Guarantor, ServiceDate, ChargeID
        (
            sort_codes(lines["ChargeID"].to_numpy(dtype=object)),
            lines["ServiceDate"].to_numpy(),
            sort_codes(lines["Guarantor"].to_numpy(dtype=object)),
        )
    )
    return lines.take(order).reset_index(drop=True)


def _accounts(
    ledger: Ledger,
    lines: pd.DataFrame,
    statements: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    guarantor_of: pd.Series,
    as_of: dt.date,
    thresholds: Sequence[int],
) -> pd.DataFrame:
    """Per-account figures (see :class:`BillingData`); lines, statements and payments are
    summed by their account's position in the frame, each key looked up once."""
    g = ledger.guarantors
    frame = pd.DataFrame(index=g.index.copy())
    n = len(frame)
    frame["patient_due"] = g["patient_due"].astype(np.int64)
    frame["credit"] = g["credit"].astype(np.int64)
    frame["insurance_pending"] = g["insurance_pending"].astype(np.int64)
    frame["amount_due"] = np.maximum(frame["patient_due"] - frame["credit"], 0)

    at = frame.index.get_indexer(lines["Guarantor"].to_numpy(dtype=object))
    due = (lines["patient_due"].to_numpy() > 0) & (at >= 0)
    frame["line_due"] = _sum_by(at[due], lines["patient_due"].to_numpy()[due], n)
    oldest = np.zeros(n, dtype=np.int64)  # ages are never negative: bills are dated <= as_of
    np.maximum.at(oldest, at[due], lines["dunning_days"].to_numpy(dtype=np.int64)[due])
    frame["oldest_days"] = oldest
    frame["dunning_level"] = bucket_indexes(oldest, thresholds) + 1
    hospital = np.zeros(n, dtype=bool)
    hospital[at[(lines["BillerType"] == "Hospital").to_numpy(dtype=bool) & (at >= 0)]] = True
    frame["hospital"] = hospital

    patients = tables["Patients"].dropna(subset=["PatientID"]).drop_duplicates("PatientID")
    status = patients.set_index("PatientID")["AccountStatus"]
    frame["status"] = pd.Series(frame.index, index=frame.index).map(status).astype(object)

    # the last statement of each account (latest date, then latest logged) and its first date
    sent_at = frame.index.get_indexer(statements["account"].to_numpy(dtype=object))
    sent_dates = statements["StatementDate"].to_numpy()
    order = np.lexsort((statements["order"].to_numpy(), sent_dates, sent_at))
    order = order[sent_at[order] >= 0]
    run_at = sent_at[order]  # sorted: each account's statements are one run, oldest first
    billed_at, first_of = np.unique(run_at, return_index=True)
    last_of = len(run_at) - 1 - np.unique(run_at[::-1], return_index=True)[1]
    last, first = np.full(n, -1), np.full(n, -1)
    last[billed_at] = order[last_of]
    first[billed_at] = order[first_of]
    last_date = take(sent_dates, last, allow_fill=True)  # NaT: never billed
    frame["last_date"] = last_date
    amounts = statements["AmountDue"].to_numpy(dtype=np.int64)
    frame["last_amount"] = take(amounts, last, allow_fill=True, fill_value=0)
    frame["first_date"] = take(sent_dates, first, allow_fill=True)

    # patient payments less patient refunds dated after the account's last statement
    account_of = frame.index.get_indexer(guarantor_of.to_numpy(dtype=object))
    payments = tables["Payments"]
    dated = payments["Date"] <= pd.Timestamp(as_of)
    mine = payments[(payments["Payer"] == PATIENT_PAYER) & dated]
    patient_at = guarantor_of.index.get_indexer(mine["PatientID"].to_numpy(dtype=object))
    paid_at = take(account_of, patient_at, allow_fill=True, fill_value=-1)
    since = take(last_date, paid_at, allow_fill=True)
    after = mine["Date"].to_numpy() > since  # False when never billed (NaT)
    signed = np.where(mine["Kind"] == "Refund", -1, 1) * mine["Amount"].fillna(0).to_numpy(
        dtype=np.int64
    )
    frame["payments_since"] = _sum_by(paid_at[after], signed[after], n)

    plans = tables["PaymentPlans"]
    active = plans[plans["Status"] == "Active"]["PatientID"].map(guarantor_of).dropna()
    frame["active_plan"] = frame.index.isin(list(active))
    return frame


def _sum_by(positions: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sum of ``values`` per position ``0..size-1`` (int64 cents, exact)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, positions, values.astype(np.int64, copy=False))
    return out


# --- which accounts get a bill -------------------------------------------------------------------


def select_accounts(data: BillingData) -> pd.DataFrame:
    """Whether each guarantor account gets a bill (decided once, by :func:`prepare_billing`).

    Returns a frame indexed by account with ``amount_due`` (cents) and ``decision``: ``"bill"``
    or the first of :data:`SKIP_REASONS` that applies — AccountStatus Collections or Closed
    (the guarantor's row), a guarantor ID missing from Patients, nothing due, an amount due below
    Policy ``statement_minimum``, or a logged statement fewer than ``statement_cycle_days`` days
    before the statement date.
    """
    acc = data.accounts
    return pd.DataFrame(
        {"amount_due": acc["amount_due"], "decision": data.decisions}, index=acc.index
    )


def _decisions(
    accounts: pd.DataFrame,
    policy: Mapping[str, object],
    as_of: dt.date,
    patient_ids: Iterable[str],
) -> np.ndarray:
    """``"bill"`` or the skip reason of each account (rules: :func:`select_accounts`)."""
    minimum = _cents(policy.get("statement_minimum") or 0)
    cycle = int(policy.get("statement_cycle_days") or 0)
    days_since = (pd.Timestamp(as_of) - accounts["last_date"]).dt.days
    decision = np.full(len(accounts), BILL, dtype=object)
    checks = [
        ("billed within cycle", (days_since < cycle).fillna(False).to_numpy(dtype=bool)),
        ("below minimum", (accounts["amount_due"] < minimum).to_numpy()),
        ("nothing due", (accounts["amount_due"] <= 0).to_numpy()),
        ("guarantor not in Patients", ~accounts.index.isin(list(patient_ids))),
        ("closed", (accounts["status"] == "Closed").to_numpy(dtype=bool)),
        ("in collections", (accounts["status"] == "Collections").to_numpy(dtype=bool)),
    ]
    for reason, mask in checks:  # later checks win: the order of SKIP_REASONS
        decision[mask] = reason
    return decision


def _cents(value: object) -> int:
    return int(to_money(value) * 100)


# --- one statement -------------------------------------------------------------------------------


def statement_id(as_of: dt.date, account: str, used: frozenset[str] = frozenset()) -> str:
    """``ST-<YYYYMMDD>-<account>``; ``-2``, ``-3``, ... appended if the log already has it."""
    base = f"ST-{as_of:%Y%m%d}-{account}"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def build_statement(data: BillingData, account: str) -> Statement:
    """The statement of one guarantor account as of ``data.as_of`` (rules: module docstring).

    Raises:
        KeyError: the account is not in the ledger.
    """
    acc = data.account_rows[account]
    policy = data.policy
    as_of = data.as_of
    due_date = as_of + dt.timedelta(days=int(policy.get("due_days") or 0))
    amount_due = int(acc["amount_due"])
    unapplied = min(int(acc["credit"]), int(acc["patient_due"]))
    other_due = int(acc["patient_due"]) - int(acc["line_due"])
    rows = data.line_rows.get(account, np.zeros(0, dtype=np.int64))
    lines, patients = _statement_lines(data, rows)
    level = int(acc["dunning_level"])
    guarantor = data.patients.get(account, {})
    first_date = acc["first_date"]
    first = as_of if pd.isna(first_date) else pd.Timestamp(first_date).date()
    options = ()
    if amount_due > 0 and not bool(acc["active_plan"]):
        options = _plan_options(data, guarantor, amount_due, bool(acc["hospital"]))
    return Statement(
        statement_id=statement_id(as_of, account, data.used_ids),
        account=account,
        statement_date=as_of,
        due_date=due_date,
        practice=practice_of(policy),
        guarantor=Party(_name(guarantor) or account, _address_lines(guarantor)),
        patients=patients,
        patient_name=_patient_names(data, patients, account),
        lines=lines,
        previous_balance=from_cents(int(acc["last_amount"])),
        payments_since=from_cents(int(acc["payments_since"])),
        amount_due=from_cents(amount_due),
        insurance_pending=from_cents(int(acc["insurance_pending"])),
        unapplied_credit=from_cents(unapplied),
        aging=_aging(data, rows, other_due, unapplied),
        dunning_level=level,
        message=str(policy.get(f"dunning_{level}") or ""),
        plan_options=options,
        assistance_notice=_assistance_notice(policy, guarantor, first),
        final_notice=level == 5,
        other_due=from_cents(other_due),
    )


def practice_of(policy: Mapping[str, object]) -> Practice:
    """The practice's name, address, billing phone and remit-to address from the Policy."""
    return Practice(
        name=str(policy.get("practice_name") or ""),
        address=str(policy.get("practice_address") or ""),
        phone=str(policy.get("practice_phone") or ""),
        remit_to=str(policy.get("remit_to") or policy.get("practice_name") or ""),
    )


def _statement_lines(
    data: BillingData, rows: np.ndarray
) -> tuple[tuple[StatementLine, ...], tuple[str, ...]]:
    if not len(rows):
        return (), ()
    col = data.line_columns
    pids = [str(p) for p in col["PatientID"][rows]]
    patients = tuple(dict.fromkeys(pids))
    family = len(patients) > 1
    # numpy → python values once per column: ints, and dates as datetime.date
    days = col["ServiceDate"][rows].astype("datetime64[D]").tolist()
    codes = col["Code"][rows].tolist()
    descriptions = col["description"][rows].tolist()
    billed = col["billed"][rows].tolist()
    insurance = (col["insurance_paid"][rows] - col["refunds"][rows]).tolist()
    adjustments = col["adjustments"][rows].tolist()
    paid = (col["patient_paid"][rows] + col["applied"][rows]).tolist()
    owes = col["open"][rows].tolist()
    responsible = col["patient_responsible"][rows].tolist()
    result = []
    for i, pid in enumerate(pids):
        description = str(descriptions[i])
        if family:
            description = f"{_first_name(data, pid)}: {description}"
        result.append(
            StatementLine(
                service_date=days[i],
                code=str(codes[i] or ""),
                description=description,
                charge=from_cents(billed[i]),
                insurance_paid=from_cents(insurance[i]),
                adjustments=from_cents(adjustments[i]),
                patient_paid=from_cents(paid[i]),
                patient_owes=from_cents(owes[i]),
                pending_insurance=not responsible[i],
            )
        )
    return tuple(result), patients


def _aging(data: BillingData, rows: np.ndarray, other_due: int, credit: int) -> AgingLine:
    labels = data.aging_labels
    amounts = [0] * len(labels)
    amounts[0] = other_due
    if len(rows):
        buckets = data.line_columns["dunning_bucket"][rows].tolist()
        dues = data.line_columns["patient_due"][rows].tolist()
        for bucket, due in zip(buckets, dues, strict=True):
            amounts[bucket] += due
    left = credit
    for i in range(len(amounts) - 1, -1, -1):  # credit pays the oldest first
        take = min(left, amounts[i])
        amounts[i] -= take
        left -= take
    return AgingLine(
        tuple((label, from_cents(a)) for label, a in zip(labels, amounts, strict=True))
    )


def _plan_options(
    data: BillingData,
    guarantor: Mapping[str, object],
    amount_due: int,
    hospital: bool,
) -> tuple[PlanOption, ...]:
    income = guarantor.get("MonthlyIncome")
    monthly = None if income is None or pd.isna(income) else from_cents(int(income))
    options = plan_options(
        from_cents(amount_due),
        data.plan_policy,
        monthly_income=monthly,
        biller_type="Hospital" if hospital else "Professional",
    )
    shown = [o for o in options.options if o.key == "full" or o.count > 1]
    recommended = options.recommended
    if all(o.key != recommended for o in shown):  # a one-payment plan is paying in full again
        recommended = "full"
    return tuple(
        PlanOption(
            label=o.label,
            installment=o.installment,
            count=o.count,
            final_payment=o.final_payment,
            total_paid=o.total_paid,
            forgiven=o.forgiven,
            recommended=o.key == recommended,
        )
        for o in shown
    )


def _assistance_notice(
    policy: Mapping[str, object], guarantor: Mapping[str, object], first: dt.date
) -> str:
    apply_by = first + dt.timedelta(days=APPLICATION_DAYS)
    template = str(policy.get("assistance_notice") or DEFAULT_ASSISTANCE)
    text = template.format_map(
        _Blank(apply_by=f"{apply_by:%m/%d/%Y}", phone=str(policy.get("practice_phone") or "us"))
    )
    status = guarantor.get("AssistanceStatus")
    if status == "Applied":
        return f"{ASSISTANCE_APPLIED} {text}"
    if status == "Approved":
        return f"{ASSISTANCE_APPROVED} {text}"
    return text


class _Blank(dict):
    """Fills unknown ``{placeholders}`` of a rep-written notice with nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _name(row: Mapping[str, object]) -> str:
    return " ".join(p for p in (_text(row.get("FirstName")), _text(row.get("LastName"))) if p)


def _first_name(data: BillingData, patient_id: str) -> str:
    return _text(data.patients.get(patient_id, {}).get("FirstName")) or patient_id


def _address_lines(row: Mapping[str, object]) -> tuple[str, ...]:
    city = _text(row.get("City"))
    state_zip = " ".join(p for p in (_text(row.get("State")), _text(row.get("ZIP"))) if p)
    last = ", ".join(p for p in (city, state_zip) if p)
    return tuple(p for p in (_text(row.get("Address1")), _text(row.get("Address2")), last) if p)


def _patient_names(data: BillingData, patients: tuple[str, ...], account: str) -> str:
    """The patient line of the bill: the full name of a single patient; for a family, first
    names ("Joseph and Mary"), or "Joseph and 3 others" when that would not fit the box."""
    if len(patients) <= 1:
        pid = patients[0] if patients else account
        return _name(data.patients.get(pid, {})) or pid
    firsts = [_first_name(data, p) for p in patients]
    text = ", ".join(firsts[:-1]) + " and " + firsts[-1]
    if len(text) <= PATIENT_NAME_CHARS:
        return text
    return f"{firsts[0]} and {len(firsts) - 1} others"


# --- the log -------------------------------------------------------------------------------------


def statement_channel(preferred_contact: object) -> str:
    """Statements.Channel from Patients.PreferredContact: ``Email`` → Email, anything else Mail."""
    return "Email" if preferred_contact == "Email" else "Mail"


def log_row(statement: Statement, channel: str) -> dict[str, object]:
    """The Statements log row of a bill, keys in the schema's column order (money in dollars)."""
    return {
        "StatementID": statement.statement_id,
        "PatientID": statement.account,
        "StatementDate": statement.statement_date,
        "DueDate": statement.due_date,
        "AmountDue": statement.amount_due,
        "DunningLevel": statement.dunning_level,
        "Channel": channel,
        "FinalNotice": statement.final_notice,
    }
