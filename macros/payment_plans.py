"""Payment plans: the options sheet for a patient, and turning the chosen option into a plan.

**Plan options** (selected patient = the PatientID in the active row): the balance planned is
the ledger's ``patient_due`` as of today (amounts pending with insurance are shown, not
planned). The options are :func:`addin.core.plan_options.plan_options` with the Policy's plan
settings, the patient's gross monthly household income from Patients (blank = unknown), the
hospital income cap unless every charge of the patient is ``Professional``, and the first
payment due ``due_days`` (Policy) after today. They go on sheet ``Plan options <PatientID>``
(replaced each time), the recommended one marked, with its schedule and the patient's existing
plans. Nothing due → a message, nothing written.

**Create payment plan**: which option —

* the rep clicked an option row on a ``Plan options`` sheet → that option (a click elsewhere on
  that sheet is refused: the rep was choosing, so paxl asks them to click an option row);
* the selection is anywhere else (e.g. a Patients or Accounts row) → the **recommended** option
  for that patient.

The options are computed again and must match what the sheet showed (same balance covered),
else the rep is asked to refresh the options; "Pay in full" is not a plan and is refused, and
so is a new plan while another plan of the patient is still running (on track or behind: cancel
it first by setting its Status to Cancelled). The plan is appended to ``PaymentPlans`` (next
PlanNo, Created today, Status Active), its schedule goes on sheet ``Plan <PlanNo>``, and an
``Audit`` row is logged.

**Account status.** Data tables are only appended to, so paxl does not rewrite
Patients.AccountStatus. The status that counts is derived from PaymentPlans: an account whose
latest plan is running shows ``Payment plan`` on the Accounts sheet (``refresh_accounts``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from addin.core.findings import Finding
from addin.core.ledger import AccountSummary, account_summary, ledger_from_book
from addin.core.money import to_cents
from addin.core.plan_options import PlanOption, PlanOptions, PlanPolicy, plan_options
from addin.core.plan_tracking import PlanState, PlanTracking, track_plans
from addin.errors import PaxlError
from addin.workbook.frames import is_blank
from addin.workbook.port import (
    Block,
    Selection,
    SheetContent,
    Snapshot,
    WorkbookPort,
    selected_patient_id,
)
from addin.workbook.write_plan import PlanRejected, WritePlan, apply
from macros.ids import next_ids
from macros.layout import (
    DATE,
    MONEY,
    TEXT,
    day,
    dollars,
    header_row,
    labelled_rows,
    sheet_name,
    title,
)
from macros.refunds import patient_record
from macros.runner import Result, require_usable

READS = (
    "Patients",
    "Plans",
    "Coverage",
    "Charges",
    "Payments",
    "Adjustments",
    "PaymentPlans",
    "Audit",
)
OPTIONS_PREFIX = "Plan options"
SCHEDULE_PREFIX = "Plan"
PLAN_PREFIX = "PP"
PLAN_WIDTH = 6
RUNNING = (PlanState.ON_TRACK, PlanState.BEHIND)

#: the options table on the options sheet: its header row and columns
OPTIONS_HEADER_ROW = 12
OPTIONS_HEADER = (
    "PatientID",
    "Key",
    "Option",
    "Rule",
    "Installment",
    "Payments",
    "Final payment",
    "Total paid",
    "Forgiven",
    "Discount",
    "Interest",
    "Covers",
    "Recommended",
)
_OPTION_FORMATS = (
    TEXT,
    None,
    None,
    None,
    MONEY,
    "0",
    MONEY,
    MONEY,
    MONEY,
    MONEY,
    MONEY,
    MONEY,
    None,
)
_KEY = re.compile(r"^(full|income|equal-\d+|interest-\d+)$")


@dataclass(frozen=True)
class PlanContext:
    """What the options for one patient were computed from (money in dollars)."""

    patient_id: str
    today: dt.date
    account: AccountSummary
    biller_type: str
    monthly_income: Decimal | None
    first_due: dt.date
    options: PlanOptions | None
    tracked: tuple[PlanTracking, ...]
    notes: tuple[str, ...]


def plan_context(snapshot: Snapshot, patient_id: str, today: dt.date) -> PlanContext:
    """The patient's plan options as of ``today`` (``options`` is ``None`` when nothing is
    due from the patient).

    Raises:
        PaxlError: the patient is not on Patients, or a Policy plan setting is unreadable.
    """
    patient = patient_record(snapshot, patient_id)
    book = snapshot.book
    account = account_summary(ledger_from_book(book, as_of=today), patient_id)
    income = dollars(patient.get("MonthlyIncome"))
    biller, notes = biller_type(book["Charges"], patient_id)
    first_due = today + dt.timedelta(days=int(book.policy.get("due_days") or 0))
    policy = PlanPolicy.from_policy(book.policy)
    options = None
    if account.patient_due > 0:
        options = plan_options(
            account.patient_due,
            policy,
            monthly_income=income,
            biller_type=biller,
            first_due=first_due,
        )
        notes += list(options.notes)
    plans, payments = book["PaymentPlans"], book["Payments"]
    tracked, problems = track_plans(
        plans[plans["PatientID"] == patient_id],
        payments[payments["PatientID"] == patient_id],
        as_of=today,
        missed_to_default=int(book.policy.get("plan_missed_to_default") or 0),
        apr=policy.apr,
    )
    notes += [f"plan {', '.join(f.ids)} not tracked: {f.message}" for f in problems]
    return PlanContext(
        patient_id, today, account, biller, income, first_due, options, tracked, tuple(notes)
    )


def biller_type(charges: pd.DataFrame, patient_id: str) -> tuple[str, list[str]]:
    """``Professional`` when every charge of the patient is, else ``Hospital`` (with a note
    when both kinds are billed)."""
    kinds = set(charges.loc[charges["PatientID"] == patient_id, "BillerType"].dropna())
    if kinds == {"Professional"}:
        return "Professional", []
    if kinds == {"Hospital", "Professional"}:
        return "Hospital", [
            "the patient has hospital and professional charges; the hospital income cap is used"
        ]
    return "Hospital", []


# --- plan options ---------------------------------------------------------------------------


def plan_options_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Write the selected patient's options sheet (see the module doc)."""
    patient_id = selected_patient_id(port.selection())
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    context = plan_context(snapshot, patient_id, now.date())
    if context.options is None:
        message = nothing_due_message(patient_id)
        port.alert(message)
        return Result(message)
    sheet = options_sheet(context)
    options = context.options
    message = (
        f"Payment options for patient {patient_id} are on sheet {sheet.name}. To make a plan, "
        "click an option row there, then click Create payment plan."
    )
    plan = (
        WritePlan()
        .write_sheet(sheet)
        .audit(
            at=now,
            who=user,
            action="plan_options",
            detail=(
                f"patient {patient_id}: {len(options.options)} option(s), "
                f"recommended {options.recommended}; sheet {sheet.name}"
            ),
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot))


def nothing_due_message(patient_id: str) -> str:
    return (
        f"Nothing is due from patient {patient_id} today, so no payment plan is needed. "
        "Nothing was written."
    )


def options_sheet(context: PlanContext) -> SheetContent:
    """The options sheet: the basis, the options (one row each), the recommended schedule,
    the patient's existing plans and notes."""
    options = context.options
    assert options is not None
    best = options.recommended_option
    if options.income_cap is not None:
        cap: object = options.income_cap
    elif context.monthly_income is None:
        cap = "monthly income not on file"
    else:
        cap = "no income-based plan (see the notes)"
    blocks: list[Block] = [title(1, f"Payment options for patient {context.patient_id}")]
    blocks += labelled_rows(
        3,
        [
            ("As of", context.today, DATE),
            ("Due from the patient (planned)", options.balance, MONEY),
            ("Pending with insurance (not planned)", context.account.insurance_pending, MONEY),
            ("Income cap per month", cap, MONEY),
            ("Income cap used", f"{options.biller_type} bill", None),
            ("First payment due", context.first_due, DATE),
            ("Recommended", best.label, None),
            ("Why", options.reason, None),
        ],
    )
    blocks.append(header_row(OPTIONS_HEADER_ROW, OPTIONS_HEADER))
    rows = tuple(
        (
            context.patient_id,
            o.key,
            o.label,
            o.rule,
            o.installment,
            o.count,
            o.final_payment,
            o.total_paid,
            o.forgiven,
            o.discount,
            o.interest,
            options.balance,
            "Yes" if o.key == options.recommended else None,
        )
        for o in options.options
    )
    blocks.append(Block(OPTIONS_HEADER_ROW + 1, 1, rows, column_formats=_OPTION_FORMATS))
    row = OPTIONS_HEADER_ROW + 1 + len(rows) + 1
    blocks.append(
        Block(
            row,
            1,
            (
                (
                    "To make a plan: click an option row above, then click Create payment plan "
                    "(clicked elsewhere, the recommended option is used).",
                ),
            ),
        )
    )
    row += 2
    blocks.append(title(row, f"Schedule of the recommended option: {best.label}"))
    schedule = schedule_blocks(best, row + 1)
    blocks += schedule
    row += 2 + len(best.schedule) + 1
    if context.tracked:
        blocks.append(title(row, "Existing plans"))
        blocks.append(
            header_row(row + 1, ("PlanNo", "Rule", "Recorded status", "Status", "Remaining"))
        )
        blocks.append(
            Block(
                row + 2,
                1,
                tuple(
                    (t.plan_no, t.rule, t.recorded_status, str(t.status), t.remaining)
                    for t in context.tracked
                ),
                column_formats=(None, None, None, None, MONEY),
            )
        )
        row += 3 + len(context.tracked)
    if context.notes:
        blocks.append(title(row, "Notes"))
        blocks.append(Block(row + 1, 1, tuple((f"- {n}",) for n in context.notes)))
    return SheetContent(
        sheet_name(OPTIONS_PREFIX, context.patient_id),
        blocks=tuple(blocks),
        column_widths=((1, 36), (2, 12), (3, 44), *((c, 13) for c in range(4, 14))),
    )


def schedule_blocks(option: PlanOption, row: int) -> list[Block]:
    """An option's payments from ``row`` down: header, then one row per payment (with
    interest, principal and what remains for an interest-bearing plan)."""
    if option.amortization:
        header = ("#", "Due", "Payment", "Interest", "Principal", "Remaining")
        body = tuple(
            (r.n, r.due_date, r.payment, r.interest, r.principal, r.remaining)
            for r in option.amortization
        )
        formats: tuple[str | None, ...] = ("0", DATE, MONEY, MONEY, MONEY, MONEY)
    else:
        header = ("#", "Due", "Amount")
        body = tuple((i.n, i.due_date, i.amount) for i in option.schedule)
        formats = ("0", DATE, MONEY)
    return [header_row(row, header), Block(row + 1, 1, body, column_formats=formats)]


# --- create payment plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What the rep chose: an option key and the balance the options sheet showed, or nothing
    (use the recommended option)."""

    key: str | None = None
    covers: int | None = None  # cents
    sheet: str | None = None
    row: int | None = None


def chosen_option(selection: Selection) -> Choice:
    """The option the rep clicked on a ``Plan options`` sheet (rule: module doc).

    Raises:
        PaxlError: the selection is on an options sheet but not on an option row.
    """
    if not selection.sheet.casefold().startswith(OPTIONS_PREFIX.casefold() + " "):
        return Choice()
    record = {str(k).strip(): v for k, v in selection.record.items()}
    key = record.get("Key")
    if not isinstance(key, str) or not _KEY.match(key.strip()):
        raise PaxlError(
            f"Click one of the option rows on sheet {selection.sheet} (below the header in row "
            f"{OPTIONS_HEADER_ROW}), then click Create payment plan again."
        )
    covers = record.get("Covers")
    cents = None if is_blank(covers) else to_cents(covers)
    return Choice(key.strip(), cents, selection.sheet, selection.row)


def create_payment_plan_on(port: WorkbookPort, *, now: dt.datetime, user: str) -> Result:
    """Append the chosen (or recommended) option to PaymentPlans (see the module doc).

    Raises:
        PaxlError: no patient selected; the options changed since the sheet was made; the
            choice is "Pay in full"; another plan is still running. Nothing was written.
    """
    selection = port.selection()
    choice = chosen_option(selection)
    patient_id = selected_patient_id(selection)
    snapshot = port.snapshot(READS)
    require_usable(snapshot, READS)
    context = plan_context(snapshot, patient_id, now.date())
    options = context.options
    if options is None:
        message = nothing_due_message(patient_id)
        port.alert(message)
        return Result(message)
    _refuse_running(snapshot, context)
    option = _option(options, choice, patient_id)

    plans = snapshot["PaymentPlans"]
    plan_no = next_ids(plans["PlanNo"], 1, prefix=PLAN_PREFIX, width=PLAN_WIDTH)[0]
    record = {
        "PlanNo": plan_no,
        "PatientID": patient_id,
        "Created": context.today,
        "Balance": options.balance,
        "Installment": option.installment,
        "Count": option.count,
        "FirstDue": option.schedule[0].due_date,
        "Rule": option.rule,
        "Forgiven": option.forgiven,
        "Status": "Active",
    }
    sheet = schedule_sheet(plan_no, context, option)
    message = (
        f"Payment plan {plan_no} ({option.label}) is added to PaymentPlans for patient "
        f"{patient_id}; its schedule is on sheet {sheet.name}."
    )
    plan = (
        WritePlan()
        .append("PaymentPlans", [record])
        .write_sheet(sheet)
        .audit(
            at=now,
            who=user,
            action="create_payment_plan",
            table="PaymentPlans",
            rows=1,
            detail=f"{plan_no} for patient {patient_id}: {option.key}",
        )
        .alert(message)
    )
    return Result(message, apply(plan, port, snapshot))


def _option(options: PlanOptions, choice: Choice, patient_id: str) -> PlanOption:
    if choice.key is None:
        option = options.recommended_option
        if option.rule == "Full":
            raise PaxlError(
                f"No payment plan fits patient {patient_id}'s balance (only Pay in full is "
                "offered); nothing was written. Click Plan options to see why."
            )
        return option
    stale = PaxlError(
        f"The payment options for patient {patient_id} have changed since sheet "
        f"{choice.sheet} was made. Click Plan options again, then choose a row."
    )
    if choice.covers is not None and choice.covers != to_cents(options.balance):
        raise stale
    try:
        option = options.option(choice.key)
    except KeyError:
        raise stale from None
    if option.rule == "Full":
        raise PaxlError(
            f"Pay in full is not a payment plan (sheet {choice.sheet}, row {choice.row}). "
            "Click a plan row, then click Create payment plan again."
        )
    return option


def _refuse_running(snapshot: Snapshot, context: PlanContext) -> None:
    running = [t for t in context.tracked if t.status in RUNNING]
    if running:
        raise PlanRejected(
            [
                Finding(
                    "plan_running",
                    f"Patient {context.patient_id} already has plan {t.plan_no}, still "
                    f"{t.status}; a patient has one running plan at a time.",
                    t.sheet or snapshot.sheets.get("PaymentPlans"),
                    t.row,
                    "Status",
                    fix="Set that plan's Status to Cancelled first if the new plan replaces it.",
                    ids=(t.plan_no, context.patient_id),
                )
                for t in running
            ]
        )


def schedule_sheet(plan_no: str, context: PlanContext, option: PlanOption) -> SheetContent:
    """The new plan's sheet: its terms, then every payment with its due date."""
    options = context.options
    assert options is not None
    blocks: list[Block] = [title(1, f"Payment plan {plan_no} for patient {context.patient_id}")]
    blocks += labelled_rows(
        3,
        [
            ("Created", context.today, DATE),
            ("Option", option.label, None),
            ("Rule", option.rule, None),
            ("Balance covered", options.balance, MONEY),
            ("Installment", option.installment, MONEY),
            ("Number of payments", option.count, "0"),
            ("Final payment", option.final_payment, MONEY),
            ("Total paid", option.total_paid, MONEY),
            ("Interest", option.interest, MONEY),
            ("Forgiven after the last payment", option.forgiven, MONEY),
            ("First payment due", day(option.schedule[0].due_date), DATE),
        ],
    )
    blocks += schedule_blocks(option, 15)
    return SheetContent(
        sheet_name(SCHEDULE_PREFIX, plan_no),
        blocks=tuple(blocks),
        column_widths=((1, 32), (2, 14), (3, 14), (4, 14), (5, 14), (6, 14)),
    )
